package com.voicecrm.contacts.bench.floor;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold invocation of the floor, in the shape of {@code ColdStart}: build the handler, serve the
 * event file given as argument, print the timings and the response line, and stop at once.
 */
public final class FloorColdStart {

  private FloorColdStart() {}

  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    FloorHandler handler = new FloorHandler();
    long init = System.currentTimeMillis();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    try (InputStream event = Files.newInputStream(Path.of(args[0]))) {
      handler.handleRequest(event, response);
    }
    long done = System.currentTimeMillis();
    String text = response.toString(StandardCharsets.UTF_8);
    int status = text.contains("\"statusCode\":201") ? 201 : 500;
    System.out.println("RESULT " + status + " " + main + " " + init + " " + done);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
