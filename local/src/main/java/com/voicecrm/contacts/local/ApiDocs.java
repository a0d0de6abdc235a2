package com.voicecrm.contacts.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The API description for local runs: {@code /openapi.json} and the Swagger UI page at {@code
 * /docs}, read from the files {@code make openapi} builds in {@code openapi/build} (the directory
 * is the system property {@value #DIR_PROPERTY}). They are files on disk, not class path resources,
 * so the Lambda jar carries none of them. Neither path needs an API key; every API route still goes
 * through the gateway and its authorizer.
 */
public final class ApiDocs {

  public static final String DIR_PROPERTY = "contacts.docs.dir";
  static final String DOCUMENT_PATH = "/openapi.json";
  static final String PAGE_PATH = "/docs";

  /** The only files served under /docs, with their media types: nothing else on disk is. */
  private static final Map<String, String> PAGE_FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "swagger-init.js", "text/javascript; charset=utf-8",
          "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
          "swagger-ui.css", "text/css; charset=utf-8",
          "favicon-32x32.png", "image/png");

  private final Path dir;

  private ApiDocs(Path dir) {
    this.dir = dir;
  }

  /** Adds /openapi.json and /docs to the server, from the directory the property names. */
  public static void mount(HttpServer server) {
    ApiDocs docs = new ApiDocs(configuredDir());
    server.createContext(DOCUMENT_PATH, docs::serveDocument);
    server.createContext(PAGE_PATH, docs::servePage);
  }

  /** The line {@code make run} prints, or null when the docs were not built. */
  public static String whereToRead(URI base) {
    if (!Files.isRegularFile(configuredDir().resolve("openapi.json"))) {
      return null;
    }
    return "API reference on " + base + PAGE_PATH + " (document: " + base + DOCUMENT_PATH + ")";
  }

  /** The property's directory; by default openapi/build under the working directory. */
  private static Path configuredDir() {
    return Path.of(System.getProperty(DIR_PROPERTY, "openapi/build"));
  }

  private void serveDocument(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    send(
        exchange,
        path.equals(DOCUMENT_PATH) ? dir.resolve("openapi.json") : null,
        "application/json");
  }

  private void servePage(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String name =
        path.equals(PAGE_PATH) || path.equals(PAGE_PATH + "/")
            ? "index.html"
            : path.startsWith(PAGE_PATH + "/") ? path.substring(PAGE_PATH.length() + 1) : "";
    String type = PAGE_FILES.get(name);
    send(exchange, type == null ? null : dir.resolve("docs").resolve(name), type);
  }

  private static void send(HttpExchange exchange, Path file, String type) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        text(exchange, 405, "Method not allowed");
        return;
      }
      if (file == null || !Files.isRegularFile(file)) {
        text(exchange, 404, file == null ? "Not found" : "API docs not built: run make openapi");
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
