package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold invocation of the function, run in a fresh JVM by {@link Bench}: the handler class is
 * loaded by name and built with its no-argument constructor, as the Lambda runtime does, then
 * serves the event file (arguments: handler class, event file). Prints the timings and the status,
 * and stops at once (no shutdown work is counted).
 */
public final class ColdStart {

  private ColdStart() {}

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
        (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>)
            Class.forName(args[0]).getDeclaredConstructor().newInstance();
    long init = System.currentTimeMillis();
    APIGatewayProxyRequestEvent event = Events.read(Files.readAllBytes(Path.of(args[1])));
    APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
    long done = System.currentTimeMillis();
    System.out.println("RESULT " + response.getStatusCode() + " " + main + " " + init + " " + done);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
