package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.RuntimeTier.assertProblem;
import static com.voicecrm.contacts.it.RuntimeTier.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.it.TestApi.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API function as AWS runs it: the shaded jar under the Lambda runtime interface client, fed
 * REST (v1) proxy events as API Gateway sends them (the events/ samples, then variations of them).
 * Every answer must be a proxy response API Gateway accepts, and what SPEC says of it.
 */
class RuntimeApiFunctionIT {

  private static final String SAMPLE_ID = "00000000-0000-4000-8000-000000000000";
  private static final String WORKSPACE = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
  private static final java.util.concurrent.atomic.AtomicInteger LEADS =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicInteger REQUESTS =
      new java.util.concurrent.atomic.AtomicInteger();
  private static RuntimeTier tier;

  @BeforeAll
  static void start() throws Exception {
    tier = RuntimeTier.start(ServiceContract.API_HANDLER);
  }

  @AfterAll
  static void stop() throws Exception {
    tier.close();
  }

  @Test
  void sampleEvents_upsertGetDelete_answerAsSpecSays() throws Exception {
    Response created = tier.invokeApi(sample("upsert.json").toString());
    // The listings show a write once its settle horizon has passed; this tier runs the jar on the
    // real clock, so the list below is sent that long after the write answered, as a client would.
    long settledAt = System.nanoTime() + ServiceContract.SETTLE.toNanos();
    assertEquals(201, created.status(), created.body());
    String id = created.json().get("id").asText();
    // The sample was sent to the stage's execute-api URL, so the stage is part of the address.
    assertEquals("/dev/v1/contacts/" + id, created.header("Location"));
    assertEquals("application/json", created.header("Content-Type"));
    assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", created.header("X-Request-Id"));

    Response again = tier.invokeApi(sample("upsert.json").toString());
    assertEquals(200, again.status(), again.body());
    assertEquals(id, again.json().get("id").asText());
    assertNull(again.header("Location"));

    String get = sample("get.json").toString().replace(SAMPLE_ID, id);
    Response read = tier.invokeApi(get);
    assertEquals(200, read.status(), read.body());
    assertEquals("+442079460958", read.json().get("phone").asText());
    assertEquals("Europe/London", read.json().get("timezone").asText());

    // The list sample: its query string as API Gateway passes it, the page with the contact.
    Thread.sleep(Math.max(0, (settledAt - System.nanoTime()) / 1_000_000 + 1));
    Response listed = tier.invokeApi(sample("list.json").toString());
    assertEquals(200, listed.status(), listed.body());
    assertEquals("application/json", listed.header("Content-Type"));
    java.util.List<String> listedIds = new java.util.ArrayList<>();
    listed.json().get("data").forEach(c -> listedIds.add(c.get("id").asText()));
    assertTrue(listedIds.contains(id), listed.body());

    String delete = sample("delete.json").toString().replace(SAMPLE_ID, id);
    Response deleted = tier.invokeApi(delete);
    assertEquals(204, deleted.status(), deleted.body());
    assertEquals("", deleted.body());
    assertProblem(tier.invokeApi(delete), 404, "not-found");
    assertProblem(tier.invokeApi(get), 404, "not-found");
  }

  @Test
  void sampleCreateEvent_is201WithStageLocationAndETag_thenA409NamingTheContact() throws Exception {
    Response created = tier.invokeApi(sample("create.json").toString());
    assertEquals(201, created.status(), created.body());
    String id = created.json().get("id").asText();
    assertEquals("/dev/v1/contacts/" + id, created.header("Location"));
    assertEquals("\"0\"", created.header("ETag"));
    assertEquals("Europe/London", created.json().get("timezone").asText());

    Response again = tier.invokeApi(sample("create.json").toString());
    assertProblem(again, 409, "conflict");
    assertEquals(
        "[{\"field\":\"phone\",\"contactId\":\""
            + id
            + "\"},"
            + "{\"field\":\"email\",\"contactId\":\""
            + id
            + "\"}]",
        again.json().get("conflicts").toString());
  }

  @Test
  void lowerCaseHeaderNames_asHttp2ClientsSendThem_areRead() throws Exception {
    ObjectNode event = upsertEvent(newLead());
    ObjectNode headers = event.putObject("headers");
    headers.put("authorization", "Bearer sk_test_demoAccountKey0000000000000000000001");
    headers.put("content-type", "application/json; charset=utf-8");
    ObjectNode multi = event.putObject("multiValueHeaders");
    multi.putArray("authorization").add("Bearer sk_test_demoAccountKey0000000000000000000001");
    multi.putArray("content-type").add("application/json; charset=utf-8");

    assertEquals(201, tier.invokeApi(event.toString()).status());
  }

  @Test
  void base64Body_isDecoded() throws Exception {
    ObjectNode event = upsertEvent(newLead());
    event.put(
        "body",
        Base64.getEncoder()
            .encodeToString(event.get("body").asText().getBytes(StandardCharsets.UTF_8)));
    event.put("isBase64Encoded", true);

    assertEquals(201, tier.invokeApi(event.toString()).status());
  }

  @Test
  void customDomainAtTheRoot_locationHasNoStage() throws Exception {
    ObjectNode event = upsertEvent(newLead());
    ObjectNode context = (ObjectNode) event.get("requestContext");
    context.put("domainName", "api.example.com");
    context.put("path", "/v1/contacts/upsert");

    Response created = tier.invokeApi(event.toString());

    assertEquals(201, created.status(), created.body());
    assertEquals("/v1/contacts/" + created.json().get("id").asText(), created.header("Location"));
  }

  @Test
  void customDomainWithBasePath_locationKeepsTheBasePath() throws Exception {
    ObjectNode event = upsertEvent(newLead());
    ObjectNode context = (ObjectNode) event.get("requestContext");
    context.put("domainName", "api.example.com");
    context.put("path", "/crm/v1/contacts/upsert");

    Response created = tier.invokeApi(event.toString());

    assertEquals(
        "/crm/v1/contacts/" + created.json().get("id").asText(), created.header("Location"));
  }

  @Test
  void workspaceKeyContext_withApiGatewaysOwnEntries_isTheScope() throws Exception {
    ObjectNode event = upsertEvent(newLead());
    ObjectNode body = (ObjectNode) TestApi.JSON.readTree(event.get("body").asText());
    body.remove("workspaceId");
    event.put("body", body.toString());
    ObjectNode authorizer = (ObjectNode) event.get("requestContext").get("authorizer");
    authorizer.put(ServiceContract.CONTEXT_WORKSPACE_ID, WORKSPACE);
    authorizer.put("integrationLatency", 9);

    Response created = tier.invokeApi(event.toString());

    assertEquals(201, created.status(), created.body());
    assertEquals(WORKSPACE, created.json().get("workspaceId").asText());
  }

  @Test
  void eventWithoutHeaders_andNullBody_isAProblem() throws Exception {
    ObjectNode event = sample("get.json");
    event.putNull("headers");
    event.putNull("multiValueHeaders");
    String id = UUID.randomUUID().toString();
    event.put("path", "/v1/contacts/" + id);
    event.putObject("pathParameters").put("id", id);

    assertProblem(tier.invokeApi(event.toString()), 404, "not-found");
  }

  @Test
  void errorsTheFunctionAnswers_areProblemResponses() throws Exception {
    ObjectNode noContentType = upsertEvent(newLead());
    ((ObjectNode) noContentType.get("headers")).remove("Content-Type");
    ((ObjectNode) noContentType.get("multiValueHeaders")).remove("Content-Type");
    assertProblem(tier.invokeApi(noContentType.toString()), 415, "unsupported-media-type");

    ObjectNode malformed = upsertEvent(newLead());
    malformed.put("body", "{\"email\":");
    assertProblem(tier.invokeApi(malformed.toString()), 400, "validation-error");

    ObjectNode tooLarge = upsertEvent(newLead());
    tooLarge.put("body", "{\"firstName\":\"" + "a".repeat(ServiceContract.MAX_BODY_BYTES) + "\"}");
    assertProblem(tier.invokeApi(tooLarge.toString()), 413, "payload-too-large");

    ObjectNode wrongMethod = upsertEvent(newLead());
    wrongMethod.put("httpMethod", "GET");
    Response notAllowed = tier.invokeApi(wrongMethod.toString());
    assertProblem(notAllowed, 405, "method-not-allowed");
    assertEquals("POST", notAllowed.header("Allow"));

    ObjectNode unknownRoute = sample("get.json");
    unknownRoute.put("resource", "/{proxy+}");
    unknownRoute.put("path", "/v2/leads");
    unknownRoute.putObject("pathParameters").put("proxy", "v2/leads");
    assertProblem(tier.invokeApi(unknownRoute.toString()), 404, "not-found");
  }

  @Test
  void logRecords_areJsonObjects_withTheRequestsIdsAsFields() throws Exception {
    Response created = tier.invokeApi(upsertEvent(newLead()).toString());
    String requestId = created.header("X-Request-Id");

    JsonNode served =
        tier.output()
            .lines()
            .filter(line -> line.startsWith("{"))
            .map(RuntimeApiFunctionIT::json)
            .filter(r -> r.path("message").asText().startsWith("POST /v1/contacts/upsert -> 201"))
            .filter(r -> requestId.equals(r.path("requestId").asText()))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no record for " + requestId + ":\n" + tier.output()));
    assertEquals("INFO", served.path("level").asText());
    assertEquals("7d1a3c5b9e2f", served.path("keyId").asText()); // the sample's authorizer context
    assertFalse(served.path("AWSRequestId").asText().isEmpty());
    assertFalse(served.path("message").asText().contains(requestId), "ids belong in fields");
  }

  /** Each request's summary line says, as fields, what it came to: status and outcome. */
  @Test
  void summaryLine_hasTheStatusAndOutcomeAsFields() throws Exception {
    Map<String, Object> lead = newLead();
    ObjectNode create = withRequestId(upsertEvent(lead));
    ObjectNode again = withRequestId(upsertEvent(lead));
    ObjectNode malformed = withRequestId(upsertEvent(lead));
    malformed.put("body", "{\"email\":");
    assertEquals(201, tier.invokeApi(create.toString()).status());
    assertEquals(200, tier.invokeApi(again.toString()).status());
    assertProblem(tier.invokeApi(malformed.toString()), 400, "validation-error");

    JsonNode created = summaryLine(create);
    assertEquals("created", created.path("outcome").asText());
    assertEquals(201, created.path("status").asInt());
    assertEquals("INFO", created.path("level").asText());
    assertEquals("7d1a3c5b9e2f", created.path("keyId").asText());
    JsonNode unchanged = summaryLine(again);
    assertEquals("unchanged", unchanged.path("outcome").asText());
    assertEquals(200, unchanged.path("status").asInt());
    JsonNode invalid = summaryLine(malformed);
    assertEquals("invalid", invalid.path("outcome").asText());
    assertEquals(400, invalid.path("status").asInt());
    assertTrue(invalid.path("status").isInt(), "a number, for filters like status >= 500");
  }

  private static ObjectNode withRequestId(ObjectNode event) {
    ((ObjectNode) event.path("requestContext"))
        .put("requestId", "summary-line-" + REQUESTS.incrementAndGet());
    return event;
  }

  /** The function's summary line of the request {@code event} carried, from the runtime's log. */
  private static JsonNode summaryLine(ObjectNode event) {
    String requestId = event.path("requestContext").path("requestId").asText();
    return tier.output()
        .lines()
        .filter(line -> line.startsWith("{"))
        .map(RuntimeApiFunctionIT::json)
        .filter(r -> requestId.equals(r.path("requestId").asText()))
        .filter(r -> r.path("message").asText().startsWith("POST /v1/contacts/upsert -> "))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no summary line for " + requestId + ":\n" + tier.output()));
  }

  @Test
  void metrics_areOneEmfObjectPerRequest_onTheRuntimesLog() throws Exception {
    Response created = tier.invokeApi(upsertEvent(newLead()).toString());
    String requestId = created.header("X-Request-Id");

    JsonNode metrics =
        tier.output()
            .lines()
            .filter(line -> line.startsWith("{\"_aws\""))
            .map(RuntimeApiFunctionIT::json)
            .filter(r -> requestId.equals(r.path("requestId").asText()))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no EMF record for " + requestId + ":\n" + tier.output()));
    assertEquals("ContactsApi", metrics.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
    assertEquals("created", metrics.path("Outcome").asText());
    assertEquals("POST /v1/contacts/upsert", metrics.path("Route").asText());
    assertEquals(1, metrics.path("Requests").asInt());
  }

  private static JsonNode json(String line) {
    try {
      return TestApi.JSON.readTree(line);
    } catch (Exception e) {
      return TestApi.JSON.createObjectNode();
    }
  }

  /** A lead no other test sends (each test's table is its own, so numbering is enough). */
  private static Map<String, Object> newLead() {
    int n = LEADS.incrementAndGet();
    return Map.of(
        "workspaceId",
        WORKSPACE,
        "phone",
        String.format("+1415555%04d", n),
        "email",
        "lead" + n + "@example.com");
  }

  private static ObjectNode upsertEvent(Map<String, Object> body) throws Exception {
    ObjectNode event = sample("upsert.json");
    event.put("body", TestApi.json(body));
    return event;
  }
}
