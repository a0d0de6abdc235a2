package com.voicecrm.contacts.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP on 127.0.0.1 in front of a {@link LocalGateway}. Requests are served by a pool of threads,
 * as Lambda runs several instances of a function at once.
 */
public final class LocalServer implements AutoCloseable {

  static final int THREADS = 16;

  private final HttpServer server;
  private final ExecutorService pool;

  private LocalServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts serving; port 0 picks a free one. */
  public static LocalServer start(LocalGateway gateway, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    server.setExecutor(pool);
    server.createContext("/", exchange -> serve(gateway, exchange));
    ApiDocs.mount(server); // /openapi.json and /docs, outside the gateway: no key needed
    server.start();
    return new LocalServer(server, pool);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private static void serve(LocalGateway gateway, HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = readAtMost(exchange.getRequestBody(), LocalGateway.GATEWAY_MAX_BODY_BYTES + 1);
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(exchange.getRequestHeaders());
      APIGatewayProxyResponseEvent response =
          gateway.handle(
              exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body);
      if (response.getHeaders() != null) {
        response
            .getHeaders()
            .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      }
      byte[] out = responseBytes(response);
      int status = response.getStatusCode();
      boolean empty =
          out.length == 0 || status == 204 || "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, empty ? -1 : out.length);
      if (!empty) {
        try (OutputStream stream = exchange.getResponseBody()) {
          stream.write(out);
        }
      }
    }
  }

  private static byte[] responseBytes(APIGatewayProxyResponseEvent response) {
    String body = response.getBody();
    if (body == null) {
      return new byte[0];
    }
    return Boolean.TRUE.equals(response.getIsBase64Encoded())
        ? Base64.getDecoder().decode(body)
        : body.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    return in.readNBytes(limit);
  }
}
