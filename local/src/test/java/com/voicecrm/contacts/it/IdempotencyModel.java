package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voicecrm.contacts.it.TestApi.Response;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SPEC 11 as plainly as it reads, for the model suite: per API key and {@code Idempotency-Key}, the
 * first request whose answer SPEC 11 keeps (2xx, and 4xx other than 401, 403, 409, 412 and 429) and
 * that answer. A later request under the key is a replay when it is the same request (method, path
 * with query, body bytes; no other header counts), else 422; under a key with nothing kept it runs
 * as any request. No expiry: a sequence lasts seconds of a 24-hour retention.
 */
final class IdempotencyModel {

  /** A write as the client sends it, kept so that it can be sent again byte for byte. */
  record Request(
      String apiKey,
      String idempotencyKey,
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body) {

    /** Its headers: the bearer key, a JSON content type with a body, the Idempotency-Key. */
    static Map<String, List<String>> headers(
        String apiKey, String idempotencyKey, String contentType) {
      Map<String, List<String>> headers = TestApi.headers(apiKey, false);
      if (contentType != null) {
        headers.put("Content-Type", List.of(contentType));
      }
      if (idempotencyKey != null) {
        headers.put("Idempotency-Key", List.of(idempotencyKey));
      }
      return headers;
    }

    /** "The same request" of SPEC 11: method, path with query, body bytes. */
    String fingerprint() {
      // ISO-8859-1 maps each byte to one char, so equal strings are equal bytes.
      return method
          + " "
          + path
          + "\n"
          + (body == null ? "" : new String(body, StandardCharsets.ISO_8859_1));
    }
  }

  /** What SPEC 11 says a request under its key gets. */
  enum Verdict {
    /** Nothing kept under the key (or no key): the request runs as any request. */
    RUNS,
    /** The same request as the one kept: its answer again, nothing written. */
    REPLAYS,
    /** Another request than the one kept: 422, nothing written. */
    REUSED
  }

  private record Kept(String fingerprint, Response answer) {}

  private final Map<List<String>, Kept> kept = new HashMap<>();
  // Every (API key, Idempotency-Key, fingerprint) sent, to tell a request that runs again.
  private final Set<List<String>> sent = new HashSet<>();

  Verdict verdict(Request request) {
    if (request.idempotencyKey() == null) {
      return Verdict.RUNS;
    }
    Kept first = kept.get(List.of(request.apiKey(), request.idempotencyKey()));
    if (first == null) {
      return Verdict.RUNS;
    }
    return first.fingerprint().equals(request.fingerprint()) ? Verdict.REPLAYS : Verdict.REUSED;
  }

  /**
   * The answer kept for {@code request}'s key; only when its verdict is {@link Verdict#REPLAYS}.
   */
  Response firstAnswer(Request request) {
    return kept.get(List.of(request.apiKey(), request.idempotencyKey())).answer();
  }

  /** The method and path of the request kept under {@code request}'s key, for messages. */
  String keptFor(Request request) {
    if (request.idempotencyKey() == null) {
      return "nothing";
    }
    Kept first = kept.get(List.of(request.apiKey(), request.idempotencyKey()));
    return first == null ? "nothing" : first.fingerprint().lines().findFirst().orElseThrow();
  }

  /** Whether this very request (key and fingerprint) was sent before: it runs again. */
  boolean sentBefore(Request request) {
    return request.idempotencyKey() != null && sent.contains(sentKey(request));
  }

  /** Whether another API key keeps an answer under the same Idempotency-Key value. */
  boolean keptUnderAnotherApiKey(Request request) {
    return kept.keySet().stream()
        .anyMatch(
            k -> k.get(1).equals(request.idempotencyKey()) && !k.get(0).equals(request.apiKey()));
  }

  /** Records the answer of a request that ran: kept when SPEC 11 keeps it. */
  void ran(Request request, Response answer) {
    if (request.idempotencyKey() == null) {
      return;
    }
    sent.add(sentKey(request));
    if (isKept(answer.status())) {
      kept.putIfAbsent(
          List.of(request.apiKey(), request.idempotencyKey()),
          new Kept(request.fingerprint(), answer));
    }
  }

  private static List<String> sentKey(Request request) {
    return List.of(request.apiKey(), request.idempotencyKey(), request.fingerprint());
  }

  /** SPEC 11: 2xx, and 4xx other than 401, 403, 409, 412 and 429; 5xx never. */
  static boolean isKept(int status) {
    return (status >= 200 && status < 300)
        || (status >= 400 && status < 500 && !List.of(401, 403, 409, 412, 429).contains(status));
  }

  /**
   * {@code replay} is {@code first} again: status, body (a problem's {@code requestId} names the
   * new request, as its {@code X-Request-Id} does), {@code Content-Type}, {@code Location} and
   * {@code ETag}, plus {@code Idempotent-Replayed: true}.
   */
  static void assertReplayOf(Response first, Response replay, String context) {
    assertEquals(first.status(), replay.status(), "replayed status: " + context);
    assertEquals("true", replay.header("Idempotent-Replayed"), "replay header: " + context);
    assertEquals(first.header("Location"), replay.header("Location"), "Location: " + context);
    assertEquals(first.header("ETag"), replay.header("ETag"), "ETag: " + context);
    assertEquals(
        first.header("Content-Type"), replay.header("Content-Type"), "Content-Type: " + context);
    assertNotEquals(
        first.header("X-Request-Id"), replay.header("X-Request-Id"), "a new request: " + context);
    if (isProblem(first)) {
      ObjectNode expected = (ObjectNode) first.json().deepCopy();
      expected.put("requestId", replay.header("X-Request-Id"));
      assertEquals(expected, replay.json(), "replayed problem: " + context);
    } else {
      assertEquals(first.body(), replay.body(), "replayed body: " + context);
    }
  }

  /** 422 {@code idempotency-key-reused} problem+json naming this request. */
  static void assertReused(Response response, String context) {
    assertEquals(422, response.status(), "another request under a kept key: " + context);
    assertTrue(isProblem(response), context);
    JsonNode problem = response.json();
    assertTrue(
        problem.get("type").asText().endsWith("/errors/idempotency-key-reused"),
        "slug: " + context);
    assertEquals(response.header("X-Request-Id"), problem.get("requestId").asText(), context);
    assertNull(response.header("Idempotent-Replayed"), context);
  }

  /** A request that ran is no replay. */
  static void assertRan(Response response, String context) {
    assertNull(response.header("Idempotent-Replayed"), "a request that ran: " + context);
  }

  private static boolean isProblem(Response response) {
    String type = response.header("Content-Type");
    return type != null && type.startsWith("application/problem+json");
  }

  /** The table's items by key, to show that a replay or a 422 wrote nothing at all. */
  static Map<String, Object> table(Rig rig) {
    Map<String, Object> items = new TreeMap<>();
    rig.scan().forEach(item -> items.put(item.get("pk").s() + " " + item.get("sk").s(), item));
    return items;
  }
}
