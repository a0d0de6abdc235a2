package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What every error response must look like (SPEC section 2), and what it must never show. */
final class ProblemChecks {

  /** Words that only an internal error text would contain: exception names, SDK text, storage. */
  static final List<String> INTERNAL_WORDS =
      List.of(
          "exception",
          "software.amazon",
          "awssdk",
          "dynamo",
          "throughput",
          "conditionalcheck",
          "transactioncanceled",
          "cancellation",
          "internal server error",
          "connection reset",
          "java.",
          "at com.",
          "caused by",
          "moto",
          "contacts-it",
          "reliability-",
          "stack",
          "sk_live_",
          "sk_test_",
          "CONTACT#",
          "WS#",
          "APIKEY#",
          "IDEMPOTENCY#");

  private static final Map<Integer, String> SLUGS =
      Map.ofEntries(
          Map.entry(400, "validation-error"),
          Map.entry(401, "unauthorized"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not-found"),
          Map.entry(405, "method-not-allowed"),
          Map.entry(409, "conflict"),
          Map.entry(412, "precondition-failed"),
          Map.entry(413, "payload-too-large"),
          Map.entry(415, "unsupported-media-type"),
          Map.entry(422, "idempotency-key-reused"),
          Map.entry(429, "rate-limited"),
          Map.entry(500, "internal-error"),
          Map.entry(503, "service-unavailable"));

  private ProblemChecks() {}

  /** A problem+json body of the right type, quoting the request id, leaking nothing internal. */
  static JsonNode assertProblem(Response response) {
    String context = response.toString();
    assertEquals("application/problem+json", response.header("Content-Type"), context);
    JsonNode problem = response.json();
    assertEquals(
        ServiceContractSlugs.BASE + SLUGS.get(response.status()),
        problem.path("type").asText(),
        context);
    assertEquals(response.status(), problem.path("status").asInt(), context);
    assertFalse(problem.path("title").asText().isEmpty(), context);
    assertFalse(problem.path("detail").asText().isEmpty(), context);
    assertNotNull(response.header("X-Request-Id"), context);
    assertEquals(response.header("X-Request-Id"), problem.path("requestId").asText(), context);
    assertNoInternals(response.body(), context);
    if (response.status() == 503 || response.status() == 429) {
      String retryAfter = response.header("Retry-After");
      assertNotNull(retryAfter, context);
      assertTrue(Integer.parseInt(retryAfter) >= 1, context);
    }
    return problem;
  }

  static void assertNoInternals(String body, String context) {
    String lower = body.toLowerCase(Locale.ROOT);
    for (String word : INTERNAL_WORDS) {
      assertFalse(
          lower.contains(word.toLowerCase(Locale.ROOT)), () -> "'" + word + "' leaked: " + context);
    }
  }

  /** The SPEC's problem type base, without depending on the product's constant. */
  static final class ServiceContractSlugs {
    static final String BASE = "https://api.voicecrm.example/errors/";
  }
}
