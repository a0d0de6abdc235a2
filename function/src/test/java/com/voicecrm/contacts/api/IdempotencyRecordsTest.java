package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voicecrm.contacts.domain.ApiKeyScope;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 11's header rules, fingerprint, kept answer and replay, without I/O. */
class IdempotencyRecordsTest {

  private static final ApiKeyScope KEY = new ApiKeyScope("acc", null, "k1");
  private static final ApiKeyScope OTHER_ACCOUNT = new ApiKeyScope("acc2", null, "k1");
  private static final byte[] BODY =
      "{\"phone\":\"+14155551234\"}".getBytes(StandardCharsets.UTF_8);

  private static APIGatewayProxyRequestEvent event(String method, String path) {
    return event(method, path, BODY);
  }

  private static APIGatewayProxyRequestEvent event(String method, String path, byte[] body) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHttpMethod(method);
    event.setPath(path);
    event.setBody(new String(body, StandardCharsets.UTF_8));
    event.setIsBase64Encoded(false);
    return event;
  }

  private static APIGatewayProxyRequestEvent withKey(String... values) {
    APIGatewayProxyRequestEvent event = event("POST", "/v1/contacts/upsert");
    event.setHeaders(Map.of("idempotency-key", values[values.length - 1]));
    event.setMultiValueHeaders(Map.of("idempotency-key", List.of(values)));
    return event;
  }

  @Test
  void header_absent_isAbsent() {
    IdempotencyRecords.Header header =
        IdempotencyRecords.header(event("POST", "/v1/contacts/upsert"));
    assertFalse(header.isPresent());
    assertNull(header.problem());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "!", "~", "order-4711", "Zx9!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
  void header_visibleAscii_isAccepted(String value) {
    IdempotencyRecords.Header header = IdempotencyRecords.header(withKey(value));
    assertEquals(value, header.value());
    assertNull(header.problem());
  }

  @Test
  void header_of255Characters_isAccepted_of256_isRefused() {
    assertTrue(IdempotencyRecords.header(withKey("k".repeat(255))).isPresent());
    assertInvalid(withKey("k".repeat(256)), "At most 255 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"with space", "tab\there", "caf\u00e9", "line\nbreak", "\u007f", " "})
  void header_withSpaceControlOrNonAscii_isRefused(String value) {
    assertInvalid(withKey(value), "Only visible ASCII characters (! to ~), no spaces");
  }

  @Test
  void header_empty_isRefused() {
    assertInvalid(withKey(""), "Must not be empty");
  }

  @Test
  void header_sentTwice_isRefused() {
    assertInvalid(withKey("a", "b"), "Send one Idempotency-Key header");
  }

  @Test
  void header_onlyInSingleValueHeaders_isRead() {
    APIGatewayProxyRequestEvent event = event("POST", "/v1/contacts/upsert");
    event.setHeaders(Map.of("Idempotency-Key", "abc"));
    assertEquals("abc", IdempotencyRecords.header(event).value());
  }

  private static void assertInvalid(APIGatewayProxyRequestEvent event, String message) {
    IdempotencyRecords.Header header = IdempotencyRecords.header(event);
    assertFalse(header.isPresent());
    assertEquals(Problem.VALIDATION_ERROR, header.problem().problem());
    assertEquals(List.of(new FieldError("Idempotency-Key", message)), header.problem().errors());
  }

  @Test
  void claim_namesTheKeysRecord_byTheValuesSha256_neverTheValue() {
    Claim claim = IdempotencyRecords.claim(event("POST", "/v1/contacts/upsert"), KEY, "order-4711");
    assertEquals("k1", claim.id().keyId());
    // sha256("order-4711")
    assertEquals(
        IdempotencyRecords.sha256Hex("order-4711".getBytes(StandardCharsets.UTF_8)),
        claim.id().keyHash());
    assertEquals(64, claim.id().keyHash().length());
    assertNull(claim.id().itemIndex());
  }

  @Test
  void fingerprint_isTheSame_forTheSameMethodPathAndBody_whateverElse() {
    Claim first = IdempotencyRecords.claim(event("POST", "/v1/contacts/upsert"), KEY, "one");
    APIGatewayProxyRequestEvent second = event("post", "/v1/contacts/upsert");
    second.setHeaders(Map.of("User-Agent", "retry/2", "Idempotency-Key", "two"));
    assertEquals(first.fingerprint(), IdempotencyRecords.claim(second, KEY, "two").fingerprint());
  }

  @Test
  void fingerprint_differs_byMethodPathQueryBodyAndScope() {
    String base = fingerprint(event("POST", "/v1/contacts/upsert"), KEY, BODY);
    assertNotEquals(base, fingerprint(event("PATCH", "/v1/contacts/upsert"), KEY, BODY));
    assertNotEquals(base, fingerprint(event("POST", "/v1/contacts"), KEY, BODY));
    assertNotEquals(
        base,
        fingerprint(
            event("POST", "/v1/contacts/upsert"), KEY, "{}".getBytes(StandardCharsets.UTF_8)));
    assertNotEquals(base, fingerprint(event("POST", "/v1/contacts/upsert"), OTHER_ACCOUNT, BODY));
    assertNotEquals(
        base,
        fingerprint(
            event("POST", "/v1/contacts/upsert"), new ApiKeyScope("acc", "ws", "k1"), BODY));
    APIGatewayProxyRequestEvent withQuery = event("POST", "/v1/contacts/upsert");
    withQuery.setQueryStringParameters(Map.of("dryRun", "1"));
    assertNotEquals(base, fingerprint(withQuery, KEY, BODY));
  }

  @Test
  void fingerprint_cannotBeForged_byMovingBytesBetweenParts() {
    // Length prefixes: "/v1/a" + body "b" is not "/v1/ab" + empty body.
    assertNotEquals(
        fingerprint(event("POST", "/v1/a"), KEY, "b".getBytes(StandardCharsets.UTF_8)),
        fingerprint(event("POST", "/v1/ab"), KEY, new byte[0]));
  }

  @Test
  void pathWithQuery_sortsNames_keepsEachNamesValueOrder_andKeepsTheStage() {
    APIGatewayProxyRequestEvent event = event("POST", "/v1/contacts");
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("b", List.of("2", "1"));
    query.put("a", List.of("x y"));
    event.setMultiValueQueryStringParameters(query);
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setPath("/dev/v1/contacts");
    event.setRequestContext(context);
    assertEquals("/dev/v1/contacts?a=x+y&b=2&b=1", IdempotencyRecords.pathWithQuery(event));
  }

  private static String fingerprint(
      APIGatewayProxyRequestEvent event, ApiKeyScope scope, byte[] body) {
    event.setBody(new String(body, StandardCharsets.UTF_8));
    return IdempotencyRecords.claim(event, scope, "key").fingerprint();
  }

  @Test
  void fingerprint_countsTheBytesSent_base64DecodedOrNot() {
    APIGatewayProxyRequestEvent encoded = event("POST", "/v1/contacts/upsert");
    encoded.setBody(java.util.Base64.getEncoder().encodeToString(BODY));
    encoded.setIsBase64Encoded(true);
    assertEquals(
        IdempotencyRecords.claim(event("POST", "/v1/contacts/upsert"), KEY, "k").fingerprint(),
        IdempotencyRecords.claim(encoded, KEY, "k").fingerprint());
    APIGatewayProxyRequestEvent broken = event("POST", "/v1/contacts/upsert");
    broken.setBody("not base64 !");
    broken.setIsBase64Encoded(true);
    assertEquals(
        "not base64 !", new String(IdempotencyRecords.bodyBytes(broken), StandardCharsets.UTF_8));
  }

  @Test
  void answerOf_keepsStatusBodyTypeLocationAndETag_notTheRequestId() {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Request-Id", "r1");
    headers.put("Content-Type", "application/json");
    headers.put("Location", "/v1/contacts/c1");
    headers.put("ETag", "\"0\"");
    Answer answer =
        IdempotencyRecords.answerOf(
            new APIGatewayProxyResponseEvent()
                .withStatusCode(201)
                .withHeaders(headers)
                .withBody("{\"id\":\"c1\"}"));
    assertEquals(
        new Answer(201, "application/json", "{\"id\":\"c1\"}", "/v1/contacts/c1", "\"0\""), answer);
  }

  @Test
  void replay_givesTheFirstAnswer_markedReplayed_underTheNewRequestId() {
    APIGatewayProxyResponseEvent replay =
        IdempotencyRecords.replay(
            new Answer(201, "application/json", "{\"id\":\"c1\"}", "/dev/v1/contacts/c1", "\"3\""),
            "r2");
    assertEquals(201, replay.getStatusCode());
    assertEquals("{\"id\":\"c1\"}", replay.getBody());
    assertEquals(
        Map.of(
            "X-Request-Id", "r2",
            "Idempotent-Replayed", "true",
            "Content-Type", "application/json",
            "Location", "/dev/v1/contacts/c1",
            "ETag", "\"3\""),
        replay.getHeaders());
  }

  @Test
  void replay_ofNoContent_hasNoBodyNorContentType() {
    APIGatewayProxyResponseEvent replay =
        IdempotencyRecords.replay(new Answer(204, null, null, null, null), "r2");
    assertEquals(204, replay.getStatusCode());
    assertNull(replay.getBody());
    assertEquals(Map.of("X-Request-Id", "r2", "Idempotent-Replayed", "true"), replay.getHeaders());
  }

  @Test
  void replay_ofAProblem_namesTheNewRequest_andKeepsEverythingElse() throws Exception {
    String first =
        Responses.problemJson(
            new Problem.Details(
                Problem.VALIDATION_ERROR,
                "The request has 2 problems; see errors.",
                List.of(new FieldError("email", "Invalid"), new FieldError("phone", "Invalid"))),
            "r1");
    APIGatewayProxyResponseEvent replay =
        IdempotencyRecords.replay(
            new Answer(400, "application/problem+json", first, null, null), "r2");
    ObjectMapper json = new ObjectMapper();
    JsonNode expected = json.readTree(first);
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("requestId", "r2");
    assertEquals(expected, json.readTree(replay.getBody()));
    assertEquals("r2", replay.getHeaders().get("X-Request-Id"));
    // The key order of the problem is kept too.
    assertEquals(
        List.of("type", "title", "status", "detail", "requestId", "errors"),
        iterable(json.readTree(replay.getBody()).fieldNames()));
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
