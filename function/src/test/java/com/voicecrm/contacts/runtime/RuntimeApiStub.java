package com.voicecrm.contacts.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API as AWS documents it (version 2018-06-01), served to one runtime client:
 * {@code GET /runtime/invocation/next} hands out queued events with the {@code Lambda-Runtime-*}
 * headers, {@code POST /runtime/invocation/{id}/response} and {@code /error} complete them, {@code
 * POST /runtime/init/error} records a failed init.
 */
public final class RuntimeApiStub implements AutoCloseable {

  private static final String BASE = "/2018-06-01/runtime/";

  /** What the function answered to one invocation. */
  public record Answer(boolean error, String errorType, byte[] body, long answeredAtNanos) {
    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private record Invocation(String requestId, byte[] event, long deadlineMillis) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Answer>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<String> initError = new CompletableFuture<>();
  private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
  private final CompletableFuture<Long> restored = new CompletableFuture<>();

  public RuntimeApiStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(threads);
    server.createContext(BASE, this::serve);
    server.start();
  }

  /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues one event; the future completes when the function answers. */
  public CompletableFuture<Answer> invoke(byte[] event, long budgetMillis) {
    String requestId = UUID.randomUUID().toString();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    pending.put(requestId, answer);
    queue.add(new Invocation(requestId, event, System.currentTimeMillis() + budgetMillis));
    return answer;
  }

  /** Completes with the error the runtime reported from init, if it does. */
  public CompletableFuture<String> initError() {
    return initError;
  }

  /** Completes (with System.nanoTime) when the runtime first asks for an event: init is done. */
  public CompletableFuture<Long> firstPoll() {
    return firstPoll;
  }

  /**
   * Completes (with System.nanoTime) when a SnapStart runtime asks to be restored: its {@code
   * beforeCheckpoint} hooks (the priming) have run, and what it does next is what a restored
   * snapshot does.
   */
  public CompletableFuture<Long> restored() {
    return restored;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestMethod().equals("GET") && path.equals("invocation/next")) {
        firstPoll.complete(System.nanoTime());
        Invocation next = take();
        if (next == null) {
          exchange.sendResponseHeaders(503, -1);
          return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", next.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(next.deadlineMillis()));
        headers.set(
            "Lambda-Runtime-Invoked-Function-Arn",
            "arn:aws:lambda:us-east-1:123456789012:function:contacts-test:live");
        headers.set(
            "Lambda-Runtime-Trace-Id",
            "Root=1-674c2a18-0a1b2c3d4e5f6a7b8c9d0e1f;Parent=53995c3f42cd8ad8;Sampled=0");
        exchange.sendResponseHeaders(200, next.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(next.event());
        }
        return;
      }
      if (exchange.getRequestMethod().equals("GET") && path.equals("restore/next")) {
        restored.complete(System.nanoTime());
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      if (exchange.getRequestMethod().equals("POST")
          && (path.equals("init/error") || path.equals("restore/error"))) {
        initError.complete(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      if (exchange.getRequestMethod().equals("POST") && path.startsWith("invocation/")) {
        String[] parts = path.split("/");
        CompletableFuture<Answer> answer = parts.length == 3 ? pending.remove(parts[1]) : null;
        if (answer == null) {
          exchange.sendResponseHeaders(400, -1);
          return;
        }
        boolean error = parts[2].equals("error");
        String errorType =
            exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        exchange.sendResponseHeaders(202, -1);
        answer.complete(new Answer(error, errorType, body, System.nanoTime()));
        return;
      }
      exchange.sendResponseHeaders(404, -1);
    }
  }

  // The runtime long-polls for the next event; a bounded wait lets the stub close cleanly.
  private Invocation take() {
    try {
      return queue.poll(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
