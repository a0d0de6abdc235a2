package com.voicecrm.contacts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class LambdaLoggingTest {

  private static String captured(Runnable logging) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      logging.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void isTheSlf4jBinding() {
    assertTrue(LoggerFactory.getLogger("x") instanceof LambdaLogging.EventLogger);
  }

  @Test
  void formatsPlaceholders_andFiltersBelowTheThreshold() {
    LambdaLogging.EventLogger logger =
        new LambdaLogging.EventLogger("com.example.Thing", Level.INFO, false);

    String out =
        captured(
            () -> {
              logger.debug("hidden {}", 1);
              logger.info("{} -> {}", "POST", 201);
            });

    assertEquals("INFO Thing - POST -> 201" + System.lineSeparator(), out);
  }

  @Test
  void keepsAStackTraceInTheSameEvent() {
    LambdaLogging.EventLogger logger = new LambdaLogging.EventLogger("a.B", Level.INFO, false);

    String out =
        captured(() -> logger.error("failed on {}", "r1", new IllegalStateException("boom")));

    assertTrue(
        out.startsWith("ERROR B - failed on r1\njava.lang.IllegalStateException: boom"), out);
  }
}
