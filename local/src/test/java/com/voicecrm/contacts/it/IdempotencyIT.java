package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.FaultInjector.Kind;
import com.voicecrm.contacts.it.FaultInjector.Phase;
import com.voicecrm.contacts.it.FaultInjector.Rule;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import com.voicecrm.contacts.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SPEC 11 through the real authorizer and handlers against moto: the first request with a key runs,
 * the same request again replays its answer and writes nothing, another request with the key is
 * 422, keys are per API key, 5xx and the listed 4xx are not kept, records expire, and racing or
 * faulted duplicates have one effect. Each test has a table of its own, so "nothing written" is a
 * scan of the whole table.
 */
class IdempotencyIT {

  private static final String UPSERT = "/v1/contacts/upsert";
  private static final String CREATE = "/v1/contacts";

  private Rig rig;
  private Tenant tenant;

  @BeforeEach
  void openRig() {
    rig = Rig.open();
    tenant = rig.newTenant("America/New_York", "Lead Source");
  }

  @AfterEach
  void closeRig() {
    if (rig != null) {
      rig.close();
    }
  }

  private Map<String, Object> body(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workspaceId", tenant.workspaceId());
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  static Response send(
      Rig rig, String method, String path, String apiKey, String idempotencyKey, Object body) {
    var headers = TestApi.headers(apiKey, body != null);
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", List.of(idempotencyKey));
    }
    return rig.call(
        method,
        path,
        headers,
        body == null ? null : TestApi.json(body).getBytes(StandardCharsets.UTF_8));
  }

  private Response send(String method, String path, String idempotencyKey, Object body) {
    return send(rig, method, path, tenant.accountKey(), idempotencyKey, body);
  }

  private static String newKey() {
    return "key-" + UUID.randomUUID();
  }

  private List<Map<String, AttributeValue>> contacts() {
    // Contact items only (a contact's tag memberships share its partition).
    return rig.scan().stream().filter(i -> i.get("sk").s().equals("CONTACT")).toList();
  }

  private List<Map<String, AttributeValue>> records() {
    return rig.scan().stream().filter(i -> i.get("pk").s().startsWith("IDEMPOTENCY#")).toList();
  }

  private static void assertReplayOf(Response first, Response replay) {
    assertEquals(first.status(), replay.status(), replay.toString());
    assertEquals("true", replay.header("Idempotent-Replayed"), replay.headers().toString());
    assertEquals(first.header("Location"), replay.header("Location"));
    assertEquals(first.header("ETag"), replay.header("ETag"));
    assertEquals(first.header("Content-Type"), replay.header("Content-Type"));
    assertNotEquals(first.header("X-Request-Id"), replay.header("X-Request-Id"));
    if (first.header("Content-Type") != null
        && first.header("Content-Type").startsWith("application/problem+json")) {
      JsonNode expected = first.json().deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) expected)
          .put("requestId", replay.header("X-Request-Id"));
      assertEquals(expected, replay.json());
    } else {
      assertEquals(first.body(), replay.body());
    }
  }

  private static void assertRanAgain(Response response) {
    assertNull(response.header("Idempotent-Replayed"), response.headers().toString());
  }

  // ---- the same request again: the first answer, nothing written ----

  @Test
  void upsert_sameKeySameRequest_replaysThe201_andWritesNothing() {
    String key = newKey();
    Response first = send("POST", UPSERT, key, body("phone", "+14155550100", "tags", List.of("a")));
    assertEquals(201, first.status(), first.toString());
    assertRanAgain(first);
    List<Map<String, AttributeValue>> before = rig.scan();

    Response again = send("POST", UPSERT, key, body("phone", "+14155550100", "tags", List.of("a")));

    assertReplayOf(first, again);
    assertEquals(new HashSet<>(before), new HashSet<>(rig.scan()));
    assertEquals(1, contacts().size());
  }

  @Test
  void upsert_replaysTheFirstAnswer_evenAfterTheContactChanged() {
    String key = newKey();
    Response first = send("POST", UPSERT, key, body("phone", "+14155550101", "firstName", "Ann"));
    assertEquals(201, first.status(), first.toString());
    Response changed = send("POST", UPSERT, null, body("phone", "+14155550101", "lastName", "Lee"));
    assertEquals(200, changed.status(), changed.toString());

    Response again = send("POST", UPSERT, key, body("phone", "+14155550101", "firstName", "Ann"));

    // The first answer, not a fresh read: still 201 with the version it created.
    assertReplayOf(first, again);
    assertEquals("\"0\"", again.header("ETag"));
  }

  @Test
  void upsert_aNoOpIsKeptToo_andReplayedAs200() {
    Response created = send("POST", UPSERT, null, body("phone", "+14155550102", "firstName", "Al"));
    String key = newKey();
    Response noOp = send("POST", UPSERT, key, body("phone", "+14155550102", "firstName", "Al"));
    assertEquals(200, noOp.status(), noOp.toString());
    assertEquals(created.header("ETag"), noOp.header("ETag"));

    Response again = send("POST", UPSERT, key, body("phone", "+14155550102", "firstName", "Al"));

    assertReplayOf(noOp, again);
    assertEquals(1, records().size());
  }

  @Test
  void create_sameKeySameRequest_replaysThe201_notA409() {
    String key = newKey();
    Response first = send("POST", CREATE, key, body("phone", "+14155550103"));
    assertEquals(201, first.status(), first.toString());

    Response again = send("POST", CREATE, key, body("phone", "+14155550103"));

    assertReplayOf(first, again);
    assertEquals(1, contacts().size());
  }

  @Test
  void delete_sameKeySameRequest_replaysThe204_notA404() {
    String id = send("POST", UPSERT, null, body("phone", "+14155550104")).json().get("id").asText();
    String key = newKey();
    Response first = send("DELETE", CREATE + "/" + id, key, null);
    assertEquals(204, first.status(), first.toString());

    Response again = send("DELETE", CREATE + "/" + id, key, null);

    assertReplayOf(first, again);
    assertNull(again.body());
  }

  @Test
  void patch_sameKeySameRequest_replaysThe200_evenAfterTheContactWasDeleted() {
    String id = send("POST", UPSERT, null, body("phone", "+14155550120")).json().get("id").asText();
    String key = newKey();
    Map<String, Object> change = Map.of("firstName", "Ada", "tags", List.of("patched"));
    Response first = send("PATCH", CREATE + "/" + id, key, change);
    assertEquals(200, first.status(), first.toString());
    assertEquals("\"1\"", first.header("ETag"));
    assertEquals(204, send("DELETE", CREATE + "/" + id, null, null).status());

    Response again = send("PATCH", CREATE + "/" + id, key, change);

    // The first answer, not the 404 the deleted contact would get now.
    assertReplayOf(first, again);
  }

  @Test
  void patch_sameKeyAnotherBody_is422_andChangesNothing() {
    String id = send("POST", UPSERT, null, body("phone", "+14155550121")).json().get("id").asText();
    String key = newKey();
    assertEquals(200, send("PATCH", CREATE + "/" + id, key, Map.of("firstName", "Ada")).status());

    Response reused = send("PATCH", CREATE + "/" + id, key, Map.of("firstName", "Eve"));

    assertEquals(422, reused.status(), reused.toString());
    Response read = rig.call("GET", CREATE + "/" + id, tenant.accountKey(), null);
    assertEquals("Ada", read.json().get("firstName").asText());
  }

  // ---- another request with the key: 422, nothing written ----

  @Test
  void sameKey_anotherBody_is422_andWritesNothing() {
    String key = newKey();
    assertEquals(201, send("POST", UPSERT, key, body("phone", "+14155550105")).status());
    List<Map<String, AttributeValue>> before = rig.scan();

    Response reused = send("POST", UPSERT, key, body("phone", "+14155550106"));

    assertEquals(422, reused.status(), reused.toString());
    ProblemChecks.assertProblem(reused);
    assertEquals(
        ProblemChecks.ServiceContractSlugs.BASE + "idempotency-key-reused",
        reused.json().get("type").asText());
    assertRanAgain(reused);
    assertEquals(new HashSet<>(before), new HashSet<>(rig.scan()));
  }

  @Test
  void sameKey_anotherPath_orAnotherMethod_is422() {
    String key = newKey();
    Response first = send("POST", UPSERT, key, body("phone", "+14155550107"));
    assertEquals(201, first.status());
    String id = first.json().get("id").asText();

    assertEquals(422, send("POST", CREATE, key, body("phone", "+14155550107")).status());
    assertEquals(422, send("DELETE", CREATE + "/" + id, key, null).status());
    // Nothing was deleted.
    assertEquals(200, rig.call("GET", CREATE + "/" + id, tenant.accountKey(), null).status());
  }

  @Test
  void sameKey_anInvalidBodyAfterASuccess_is422_notA400() {
    String key = newKey();
    assertEquals(201, send("POST", UPSERT, key, body("phone", "+14155550108")).status());

    Response reused = send("POST", UPSERT, key, body("phone", "not a phone"));

    assertEquals(422, reused.status(), reused.toString());
  }

  // ---- scope: per API key ----

  @Test
  void anotherApiKey_withTheSameIdempotencyKey_runsNormally() {
    String key = newKey();
    Response first = send("POST", UPSERT, key, body("phone", "+14155550109", "tags", List.of("a")));
    assertEquals(201, first.status());

    String otherApiKey = rig.newKey(tenant.accountId(), null);
    Response other =
        send(
            rig,
            "POST",
            UPSERT,
            otherApiKey,
            key,
            body("phone", "+14155550109", "tags", List.of("b")));

    assertEquals(200, other.status(), other.toString());
    assertRanAgain(other);
    assertEquals(
        List.of("a", "b"),
        TestApi.JSON.convertValue(other.json().get("tags"), List.class),
        other.toString());
    assertEquals(2, records().size());
  }

  // ---- what is kept, what is not ----

  @Test
  void kept4xx_areReplayed_withTheNewRequestId() {
    String invalid = newKey();
    Response bad = send("POST", UPSERT, invalid, body("phone", "+14155550110", "email", "nope"));
    assertEquals(400, bad.status(), bad.toString());
    assertReplayOf(
        bad, send("POST", UPSERT, invalid, body("phone", "+14155550110", "email", "nope")));

    String missing = newKey();
    String unknown = UUID.randomUUID().toString();
    Response notFound = send("DELETE", CREATE + "/" + unknown, missing, null);
    assertEquals(404, notFound.status(), notFound.toString());
    assertReplayOf(notFound, send("DELETE", CREATE + "/" + unknown, missing, null));

    String media = newKey();
    var headers = TestApi.headers(tenant.accountKey(), false);
    headers.put("Idempotency-Key", List.of(media));
    headers.put("Content-Type", List.of("text/plain"));
    byte[] text = "{}".getBytes(StandardCharsets.UTF_8);
    Response unsupported = rig.call("POST", UPSERT, headers, text);
    assertEquals(415, unsupported.status(), unsupported.toString());
    assertReplayOf(unsupported, rig.call("POST", UPSERT, headers, text));
  }

  @Test
  void a409IsNotKept_theSameRequestRunsAgainOnceTheConflictIsGone() {
    Response holder = send("POST", CREATE, null, body("phone", "+14155550111"));
    String key = newKey();
    Response conflict = send("POST", CREATE, key, body("phone", "+14155550111"));
    assertEquals(409, conflict.status(), conflict.toString());
    assertEquals(
        204, send("DELETE", CREATE + "/" + holder.json().get("id").asText(), null, null).status());

    Response again = send("POST", CREATE, key, body("phone", "+14155550111"));

    assertEquals(201, again.status(), again.toString());
    assertRanAgain(again);
  }

  @Test
  void a412IsNotKept_theSameRequestRunsAgainOnceTheVersionMatches() {
    String id = send("POST", UPSERT, null, body("phone", "+14155550112")).json().get("id").asText();
    String key = newKey();
    var headers = TestApi.headers(tenant.accountKey(), false);
    headers.put("Idempotency-Key", List.of(key));
    headers.put("If-Match", List.of("\"1\""));
    Response stale = rig.call("DELETE", CREATE + "/" + id, headers, null);
    assertEquals(412, stale.status(), stale.toString());
    assertEquals(
        200, send("POST", UPSERT, null, body("phone", "+14155550112", "lastName", "X")).status());

    Response again = rig.call("DELETE", CREATE + "/" + id, headers, null);

    assertEquals(204, again.status(), again.toString());
    assertRanAgain(again);
  }

  @Test
  void a403IsNotKept_norLookedUp() {
    String key = newKey();
    Map<String, Object> elsewhere = new LinkedHashMap<>();
    elsewhere.put("workspaceId", UUID.randomUUID().toString());
    elsewhere.put("phone", "+14155550113");
    Response forbidden = send(rig, "POST", UPSERT, tenant.workspaceKey(), key, elsewhere);
    assertEquals(403, forbidden.status(), forbidden.toString());

    Response again = send(rig, "POST", UPSERT, tenant.workspaceKey(), key, elsewhere);

    assertEquals(403, again.status());
    assertRanAgain(again);
    assertEquals(0, records().size());
  }

  @Test
  void an503IsNotKept_theRetryRunsAndCreates() {
    rig.close();
    FaultInjector faults = new FaultInjector();
    DynamoDbClient client = Rig.clientWith(faults);
    try {
      rig = Rig.open(client, new RetryPolicy(3, 1, 4, 1_000));
      tenant = rig.newTenant("America/New_York");
      String key = newKey();
      // Every write fails before it reaches DynamoDB, after the SDK's own retries.
      faults.arm(
          List.of(
              new Rule("TransactWriteItems", Phase.BEFORE_SEND, Kind.INTERNAL_ERROR, Set.of())));
      Response unavailable = send("POST", UPSERT, key, body("phone", "+14155550114"));
      faults.disarm();
      assertEquals(503, unavailable.status(), unavailable.toString());
      assertEquals(0, records().size());

      Response retry = send("POST", UPSERT, key, body("phone", "+14155550114"));

      assertEquals(201, retry.status(), retry.toString());
      assertRanAgain(retry);
      assertEquals(1, contacts().size());
    } finally {
      rig.close();
      rig = null;
      client.close();
    }
  }

  // ---- retention ----

  @Test
  void aRecordPastItsExpiry_isIgnored_evenBeforeDynamoDbDeletesIt() {
    rig.close();
    ManualClock clock = new ManualClock(Instant.now());
    rig = Rig.openWithClock(clock);
    tenant = rig.newTenant("America/New_York");
    String key = newKey();
    Response first = send("POST", UPSERT, key, body("phone", "+14155550115"));
    assertEquals(201, first.status(), first.toString());

    clock.advance(Duration.ofHours(24).minusSeconds(2));
    assertEquals(422, send("POST", UPSERT, key, body("phone", "+14155550116")).status());

    clock.advance(Duration.ofSeconds(3));
    Response later = send("POST", UPSERT, key, body("phone", "+14155550116"));

    assertEquals(201, later.status(), later.toString());
    assertRanAgain(later);
    assertEquals(1, records().size(), "the expired record is replaced, not added to");
    assertEquals(2, contacts().size());
  }

  // ---- concurrency: one effect ----

  @Test
  void theSameKeySent20TimesAtOnce_hasOneEffect_andOneAnswer() throws Exception {
    String key = newKey();
    Map<String, Object> body = body("phone", "+14155550117", "tags", List.of("lead"));
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(() -> send("POST", UPSERT, key, body));
    }

    List<Response> responses = ConcurrencyIT.race(calls);

    assertEquals(1, contacts().size());
    Response original = null;
    for (Response response : responses) {
      assertEquals(201, response.status(), response.toString());
      if (response.header("Idempotent-Replayed") == null) {
        assertNull(original, "two requests claim the effect: " + original + " and " + response);
        original = response;
      }
    }
    assertTrue(original != null, "one request made the effect");
    for (Response response : responses) {
      if (response != original) {
        assertReplayOf(original, response);
      }
    }
    assertEquals(1, records().size());
  }

  // ---- the batch: each item's answer in its own record ----

  private static final String BATCH = "/v1/contacts/batch/upsert";

  private Map<String, Object> batchOf(Object... items) {
    return body("items", List.of(items));
  }

  @Test
  void batch_sameKeySameBody_replaysEveryItem_andWritesNothing() {
    Response existing = send("POST", UPSERT, null, body("phone", "+14155550140", "lastName", "K"));
    assertEquals(201, existing.status(), existing.toString());
    String key = newKey();
    Map<String, Object> batch =
        batchOf(
            Map.of("phone", "+14155550141", "tags", List.of("new")),
            Map.of("phone", "+14155550140", "lastName", "K"),
            Map.of("phone", "not a phone"),
            Map.of("email", "batch@example.com"));
    Response first = send("POST", BATCH, key, batch);
    assertEquals(207, first.status(), first.toString());
    assertRanAgain(first);
    JsonNode results = first.json().path("results");
    assertEquals(201, results.get(0).path("status").asInt());
    assertEquals(200, results.get(1).path("status").asInt(), "a no-op");
    assertEquals(400, results.get(2).path("status").asInt());
    assertEquals(201, results.get(3).path("status").asInt());
    assertEquals(5, records().size(), "one record per item, and the batch's claim on the key");
    List<Map<String, AttributeValue>> before = rig.scan();

    Response again = send("POST", BATCH, key, batch);

    assertEquals(207, again.status(), again.toString());
    assertEquals("true", again.header("Idempotent-Replayed"));
    assertNotEquals(first.header("X-Request-Id"), again.header("X-Request-Id"));
    assertEquals(first.json(), again.json());
    assertEquals(new HashSet<>(before), new HashSet<>(rig.scan()), "nothing written");
    assertEquals(3, contacts().size());
  }

  @Test
  void batch_sameKeyAnotherBody_is422_andWritesNothing() {
    String key = newKey();
    Response first =
        send("POST", BATCH, key, batchOf(Map.of("phone", "+14155550142", "lastName", "A")));
    assertEquals(200, first.status(), first.toString());
    List<Map<String, AttributeValue>> before = rig.scan();

    Response other =
        send(
            "POST",
            BATCH,
            key,
            batchOf(
                Map.of("phone", "+14155550142", "lastName", "B"), Map.of("phone", "+14155550143")));
    Response invalid = send("POST", BATCH, key, batchOf());

    assertEquals(422, other.status(), other.toString());
    assertEquals(
        ProblemChecks.ServiceContractSlugs.BASE + "idempotency-key-reused",
        other.json().path("type").asText());
    assertEquals(422, invalid.status(), "an envelope problem under a used key: " + invalid);
    assertEquals(new HashSet<>(before), new HashSet<>(rig.scan()), "nothing written");
  }

  /**
   * A batch as API Gateway hands it to the function once the authorizer passed the tenant's
   * workspace key (always the same key id): {@code body} as its bytes, with {@code contentType}. A
   * body over 1 MiB with its {@code Content-Length} never gets this far (the edge answers 413), so
   * the function's own checks are met here.
   */
  private Response invokeBatch(String idempotencyKey, String contentType, String body) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHttpMethod("POST");
    event.setPath(BATCH);
    event.setResource(BATCH);
    event.setHeaders(Map.of("Content-Type", contentType, "Idempotency-Key", idempotencyKey));
    event.setBody(body);
    event.setIsBase64Encoded(false);
    var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setRequestId(UUID.randomUUID().toString());
    Map<String, Object> scope = new HashMap<>();
    scope.put(ServiceContract.CONTEXT_ACCOUNT_ID, tenant.accountId());
    scope.put(ServiceContract.CONTEXT_WORKSPACE_ID, tenant.workspaceId());
    scope.put(ServiceContract.CONTEXT_KEY_ID, "test-key");
    context.setAuthorizer(scope);
    event.setRequestContext(context);
    return rig.invoke(event);
  }

  /** Bodies the batch route cannot read, each with its status: JSON syntax, 1 MiB + 1, a 415. */
  private Map<String, Integer> unreadableBatches() {
    String json = TestApi.json(batchOf(Map.of("phone", "+14155550147")));
    Map<String, Integer> bodies = new LinkedHashMap<>();
    bodies.put("{\"workspaceId\": ", 400);
    bodies.put(
        json.substring(0, json.length() - 1)
            + " ".repeat(ServiceContract.MAX_BATCH_BODY_BYTES)
            + "}",
        413);
    bodies.put("text:" + json, 415);
    return bodies;
  }

  private static String contentTypeFor(String body) {
    return body.startsWith("text:") ? "text/plain" : "application/json";
  }

  private static String bytesOf(String body) {
    return body.startsWith("text:") ? body.substring("text:".length()) : body;
  }

  @Test
  void batch_aBodyTheRouteCannotReadUnderAKeyThatAnsweredABatch_is422_andTheBatchStillReplays() {
    String key = newKey();
    String batch = TestApi.json(batchOf(Map.of("phone", "+14155550146", "lastName", "A")));
    Response first = invokeBatch(key, "application/json", batch);
    assertEquals(200, first.status(), first.toString());
    List<Map<String, AttributeValue>> before = rig.scan();

    for (Map.Entry<String, Integer> unreadable : unreadableBatches().entrySet()) {
      String body = unreadable.getKey();
      Response reused = invokeBatch(key, contentTypeFor(body), bytesOf(body));

      assertEquals(422, reused.status(), "not " + unreadable.getValue() + ": " + reused);
      assertEquals(
          ProblemChecks.ServiceContractSlugs.BASE + "idempotency-key-reused",
          reused.json().path("type").asText());
      assertRanAgain(reused);
      assertEquals(new HashSet<>(before), new HashSet<>(rig.scan()), "nothing written");
    }

    Response again = invokeBatch(key, "application/json", batch);
    assertEquals(200, again.status(), again.toString());
    assertEquals("true", again.header("Idempotent-Replayed"));
    assertEquals(first.json(), again.json());
  }

  @Test
  void batch_aBodyTheRouteCannotReadUnderAFreshKey_isKept_andReplayed() {
    for (Map.Entry<String, Integer> unreadable : unreadableBatches().entrySet()) {
      String key = newKey();
      String body = unreadable.getKey();
      Response first = invokeBatch(key, contentTypeFor(body), bytesOf(body));
      assertEquals((int) unreadable.getValue(), first.status(), first.toString());
      assertRanAgain(first);

      Response again = invokeBatch(key, contentTypeFor(body), bytesOf(body));

      assertReplayOf(first, again);
    }
    assertEquals(0, contacts().size());
    assertEquals(3, records().size(), "one record per key: the batch's own");
  }

  @Test
  void batch_theBytesOfABatchAnswered_underAnotherContentType_are415_notKept() {
    String key = newKey();
    String batch = TestApi.json(batchOf(Map.of("phone", "+14155550148")));
    Response first = invokeBatch(key, "application/json", batch);
    assertEquals(200, first.status(), first.toString());

    // The same request by SPEC 11 (headers do not count), but its body cannot be read as sent: the
    // 415 is answered and not kept, so the key keeps answering the batch.
    Response text = invokeBatch(key, "text/plain", batch);

    assertEquals(415, text.status(), text.toString());
    assertEquals(2, records().size(), "item 0's record and the batch's claim only");
    Response again = invokeBatch(key, "application/json", batch);
    assertEquals("true", again.header("Idempotent-Replayed"));
    assertEquals(first.json(), again.json());
  }

  @Test
  void batch_anInvalidKey_is400_andAnEnvelopeProblemIsKept() {
    Response invalid = send("POST", BATCH, "has space", batchOf(Map.of("phone", "+14155550144")));
    assertEquals(400, invalid.status(), invalid.toString());
    assertEquals(0, contacts().size());

    String key = newKey();
    Response first = send("POST", BATCH, key, batchOf());
    assertEquals(400, first.status(), first.toString());
    Response again = send("POST", BATCH, key, batchOf());
    assertReplayOf(first, again);
  }

  @Test
  void batch_a403IsNotKept_norLookedUp() {
    String key = newKey();
    // The same API key both times: its record of the first batch is there to be looked up.
    Response used =
        send(
            rig,
            "POST",
            BATCH,
            tenant.workspaceKey(),
            key,
            batchOf(Map.of("phone", "+14155550145")));
    assertEquals(200, used.status(), used.toString());
    Map<String, Object> elsewhere = new LinkedHashMap<>();
    elsewhere.put("workspaceId", UUID.randomUUID().toString());
    elsewhere.put("items", List.of(Map.of("phone", "+14155550146")));

    Response forbidden = send(rig, "POST", BATCH, tenant.workspaceKey(), key, elsewhere);

    assertEquals(403, forbidden.status(), "403 before the key, never 422: " + forbidden);
    assertRanAgain(forbidden);
    assertEquals(2, records().size(), "the first batch's item and claim only");
  }

  @Test
  void batch_theSameKeyedBatchSent8TimesAtOnce_hasOneEffectPerItem() throws Exception {
    String key = newKey();
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(Map.of("phone", String.format("+1415555%04d", 150 + i), "tags", List.of("t")));
    }
    Map<String, Object> batch = body("items", items);
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(() -> send("POST", BATCH, key, batch));
    }

    List<Response> responses = ConcurrencyIT.race(calls);

    assertEquals(5, contacts().size());
    assertEquals(6, records().size(), "one per item, and one claim of the batch on the key");
    JsonNode expected = null;
    for (Response response : responses) {
      assertEquals(200, response.status(), response.toString());
      assertEquals(
          "{\"created\":5,\"updated\":0,\"failed\":0}",
          response.json().path("summary").toString(),
          "each item created once and replayed to every duplicate");
      if (expected == null) {
        expected = response.json();
      }
      assertEquals(expected, response.json());
    }
  }

  // ---- faults: the record rides with the write ----

  @Test
  void aLostResponseOfTheWritesTransaction_isAnsweredFromItsRecord_neverAppliedTwice() {
    rig.close();
    FaultInjector faults = new FaultInjector();
    DynamoDbClient client = Rig.clientWith(faults);
    try {
      rig = Rig.open(client, RetryPolicy.DEFAULT);
      tenant = rig.newTenant("America/New_York");
      String key = newKey();
      // DynamoDB applies the transaction (contact, claims, record) and the answer never arrives.
      faults.arm(
          List.of(
              new Rule("TransactWriteItems", Phase.RESPONSE_LOST, Kind.INTERNAL_ERROR, Set.of(1))));
      Response first = send("POST", UPSERT, key, body("phone", "+14155550118"));
      List<String> injected = faults.injected();
      faults.disarm();

      assertEquals(List.of("INTERNAL_ERROR@TransactWriteItems#1/RESPONSE_LOST"), injected);
      // Its own record: a 201, not a replay and not a 200 for the contact it found.
      assertEquals(201, first.status(), first.toString());
      assertRanAgain(first);
      assertEquals(1, contacts().size());

      Response retry = send("POST", UPSERT, key, body("phone", "+14155550118"));

      assertReplayOf(first, retry);
      assertEquals(1, contacts().size());
      assertEquals(1, records().size());
    } finally {
      rig.close();
      rig = null;
      client.close();
    }
  }

  @Test
  void aClientRetryAfterA503WhoseWriteWasApplied_getsThe201Replayed() {
    rig.close();
    FaultInjector faults = new FaultInjector();
    DynamoDbClient client = Rig.clientWith(faults);
    try {
      rig = Rig.open(client, new RetryPolicy(3, 1, 4, 1_000));
      tenant = rig.newTenant("America/New_York");
      String key = newKey();
      // The write is applied and its answer lost; every later send of it fails before reaching
      // DynamoDB, so the function runs out of retries and the client sees 503.
      Set<Integer> afterTheFirst =
          IntStream.rangeClosed(2, 200).boxed().collect(Collectors.toSet());
      faults.arm(
          List.of(
              new Rule("TransactWriteItems", Phase.RESPONSE_LOST, Kind.INTERNAL_ERROR, Set.of(1)),
              new Rule(
                  "TransactWriteItems", Phase.BEFORE_SEND, Kind.INTERNAL_ERROR, afterTheFirst)));
      Response unavailable = send("POST", UPSERT, key, body("phone", "+14155550119"));
      faults.disarm();
      assertEquals(503, unavailable.status(), unavailable.toString());
      assertEquals(1, contacts().size(), "the write was applied");

      Response retry = send("POST", UPSERT, key, body("phone", "+14155550119"));

      // Without the key the retry would answer 200; with it, the 201 it missed.
      assertEquals(201, retry.status(), retry.toString());
      assertEquals("true", retry.header("Idempotent-Replayed"));
      assertEquals(1, contacts().size());
      assertFalse(retry.header("Location").isEmpty());
    } finally {
      rig.close();
      rig = null;
      client.close();
    }
  }
}
