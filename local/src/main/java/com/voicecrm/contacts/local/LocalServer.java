package com.voicecrm.contacts.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.voicecrm.contacts.api.GatewayResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP on 127.0.0.1 in front of a {@link LocalGateway}. Requests are served by a fixed pool of
 * threads, as Lambda runs several instances of a function at once, and wait for a thread in a
 * bounded queue. When the queue is full the request is answered at once with a 503 problem and
 * {@code Retry-After}, without running the function, so memory and waiting time stay bounded under
 * any load. Open connections are bounded too.
 */
public final class LocalServer implements AutoCloseable {

  /** How many requests run at once, and how many may wait for a thread. */
  public record Limits(int threads, int queued) {
    public static final Limits DEFAULT = new Limits(16, 64);

    public Limits {
      if (threads < 1 || queued < 1) {
        throw new IllegalArgumentException("threads and queued must be at least 1");
      }
    }
  }

  /** What serves each request; {@link LocalGateway#handle} in {@code make run}. */
  @FunctionalInterface
  public interface RequestHandler {
    APIGatewayProxyResponseEvent handle(
        String method, String path, Map<String, List<String>> headers, byte[] body);
  }

  static final int RETRY_AFTER_SECONDS = 1;

  static final int MAX_CONNECTIONS = 256;

  /** Time to receive a request, queueing included: a client that stalls loses its connection. */
  static final int MAX_REQUEST_SECONDS = 60;

  static {
    // The JDK server reads these once, when its first instance is made; a JVM flag still wins.
    setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
  }

  // Set while a request the queue had no room for is served on the server's dispatcher thread.
  private static final ThreadLocal<Boolean> OVERLOADED = ThreadLocal.withInitial(() -> false);

  private final HttpServer server;
  private final ThreadPoolExecutor pool;

  private LocalServer(HttpServer server, ThreadPoolExecutor pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts serving with the default limits; port 0 picks a free one. */
  public static LocalServer start(LocalGateway gateway, int port) throws IOException {
    return start(gateway::handle, port, Limits.DEFAULT);
  }

  /** Starts serving; port 0 picks a free one. */
  public static LocalServer start(RequestHandler handler, int port, Limits limits)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(limits.queued()),
            namedThreads(),
            answerOverloaded());
    server.setExecutor(pool);
    server.createContext("/", exchange -> serve(handler, exchange));
    ApiDocs.mount(server); // /openapi.json and /docs, outside the gateway: no key needed
    server.start();
    return new LocalServer(server, pool);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests accepted and waiting for a thread. */
  public int waiting() {
    return pool.getQueue().size();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  /**
   * Runs a request the queue has no room for on the dispatcher thread that offered it, marked so
   * that {@link #serve} answers 503 straight away: the dispatcher is busy only as long as it takes
   * to read the request and write the short answer, and the function never runs.
   */
  private static RejectedExecutionHandler answerOverloaded() {
    return (exchange, executor) -> {
      if (executor.isShutdown()) {
        return; // closing: HttpServer.stop closes the connection
      }
      OVERLOADED.set(true);
      try {
        exchange.run();
      } finally {
        OVERLOADED.remove();
      }
    };
  }

  private static void serve(RequestHandler handler, HttpExchange exchange) throws IOException {
    try (exchange) {
      if (OVERLOADED.get()) {
        send(
            exchange,
            GatewayResponses.overloaded(UUID.randomUUID().toString(), RETRY_AFTER_SECONDS));
        return;
      }
      byte[] body = readAtMost(exchange.getRequestBody(), LocalGateway.GATEWAY_MAX_BODY_BYTES + 1);
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(exchange.getRequestHeaders());
      send(
          exchange,
          handler.handle(
              exchange.getRequestMethod(), target(exchange.getRequestURI()), headers, body));
    }
  }

  /** The raw path and query string, as the gateway reads them. */
  private static String target(URI uri) {
    return uri.getRawQuery() == null
        ? uri.getRawPath()
        : uri.getRawPath() + "?" + uri.getRawQuery();
  }

  private static void send(HttpExchange exchange, APIGatewayProxyResponseEvent response)
      throws IOException {
    if (response.getHeaders() != null) {
      response
          .getHeaders()
          .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    }
    byte[] out = responseBytes(response);
    int status = response.getStatusCode();
    boolean empty = out.length == 0 || status == 204 || "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, empty ? -1 : out.length);
    if (!empty) {
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(out);
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

  private static ThreadFactory namedThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "local-api-" + count.incrementAndGet());
      return thread;
    };
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
