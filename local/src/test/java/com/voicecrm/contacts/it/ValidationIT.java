package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.call;
import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC section 3.1 and the error contract of section 2, end to end. Nothing invalid is written. */
class ValidationIT {

  private Tenant tenant;

  @BeforeEach
  void newWorkspace() {
    tenant = newTenant(null, "Lead Source");
  }

  private static void assertProblem(Response response, int status, String slug) {
    assertEquals(status, response.status(), response.toString());
    assertEquals("application/problem+json", response.header("Content-Type"));
    JsonNode problem = response.json();
    assertEquals("https://api.voicecrm.example/errors/" + slug, problem.get("type").asText());
    assertEquals(status, problem.get("status").asInt());
    assertFalse(problem.get("title").asText().isEmpty());
    assertFalse(problem.get("detail").asText().isEmpty());
    assertEquals(response.header("X-Request-Id"), problem.get("requestId").asText());
  }

  private static List<String> fields(Response response) {
    List<String> fields = new ArrayList<>();
    response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    return fields;
  }

  private void assertNothingWritten() {
    assertEquals(List.of(), TestApi.scan("WS#" + tenant.workspaceId() + "#"));
  }

  @Test
  void everyProblemOfARequestIsListed() {
    String body =
        "{\"workspaceId\":\""
            + tenant.workspaceId()
            + "\",\"email\":\"no-at-sign\",\"phone\":\"4155551234\","
            + "\"timezone\":\"Mars/Olympus\",\"preserveExisting\":\"yes\",\"tags\":[\"ok\",\"\",7],"
            + "\"customFields\":{\"Lead Source\":[1],\"Unknown\":\"x\"},\"firstName\":42,\"nickname\":\"x\"}";
    Response response = upsert(tenant.accountKey(), body);

    assertProblem(response, 400, "validation-error");
    assertEquals(
        List.of(
            "nickname",
            "firstName",
            "email",
            "phone",
            "timezone",
            "preserveExisting",
            "tags[1]",
            "tags[2]",
            "customFields.Lead Source",
            "customFields.Unknown"),
        fields(response));
    assertNothingWritten();
  }

  @Test
  void accountKey_withoutWorkspaceId_is400WithTheSpecSentence() {
    Response response = upsert(tenant.accountKey(), "{\"phone\":\"+14155550100\"}");

    assertProblem(response, 400, "validation-error");
    assertEquals(
        "workspaceId is required for account-scoped API keys",
        response.json().get("detail").asText());
  }

  @Test
  void workspaceIdNotAUuid_is400() {
    Response response =
        upsert(tenant.accountKey(), "{\"workspaceId\":\"ws-1\",\"phone\":\"+14155550100\"}");

    assertProblem(response, 400, "validation-error");
    assertEquals(List.of("workspaceId"), fields(response));
  }

  @Test
  void neitherPhoneNorEmail_is400() {
    Response response =
        upsert(
            tenant.accountKey(),
            "{\"workspaceId\":\""
                + tenant.workspaceId()
                + "\",\"phone\":null,\"firstName\":\"x\"}");

    assertProblem(response, 400, "validation-error");
    assertEquals(List.of("phone"), fields(response));
  }

  @Test
  void malformedJson_duplicateKeys_trailingContent_andNonObjects_are400() {
    String ws = "\"workspaceId\":\"" + tenant.workspaceId() + "\"";
    for (String body :
        List.of(
            "{" + ws + ",\"phone\":\"+14155550100\"",
            "{" + ws + ",\"phone\":\"+14155550100\",\"phone\":\"+14155550101\"}",
            "{" + ws + ",\"phone\":\"+14155550100\"} {}",
            "[1,2]",
            "\"text\"",
            "",
            "{" + ws + ",\"firstName\":\"\\ud800\",\"phone\":\"+14155550100\"}")) {
      Response response = upsert(tenant.accountKey(), body);
      assertProblem(response, 400, "validation-error");
      assertFalse(fields(response).isEmpty(), "no errors array for " + body);
    }
    assertNothingWritten();
  }

  @Test
  void aBodyThatIsNotOneObject_isAValidationError_naming_body() {
    for (String body :
        List.of("[null, null]", "0", "null", "", "{\"phone\":\"+1415", "\u0007\u00e9")) {
      Response response = upsert(tenant.accountKey(), body);
      assertProblem(response, 400, "validation-error");
      assertEquals(List.of("body"), fields(response), body);
    }
    assertNothingWritten();
  }

  @Test
  void duplicatedKey_isAValidationError_namingTheKey_inTheApisWords() {
    Response response =
        upsert(
            tenant.accountKey(),
            "{\"workspaceId\":\""
                + tenant.workspaceId()
                + "\",\"email\":\"a@example.com\",\"email\":\"b@example.com\"}");

    assertProblem(response, 400, "validation-error");
    assertEquals("The request body has a duplicated key", response.json().get("detail").asText());
    assertEquals(List.of("email"), fields(response));
    assertEquals(
        "Appears more than once", response.json().get("errors").get(0).get("message").asText());
    assertNothingWritten();
  }

  @Test
  void wrongContentType_is415_andMissingOne_too() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Authorization", List.of("Bearer " + tenant.accountKey()));
    headers.put("Content-Type", List.of("text/plain"));
    byte[] body =
        ("{\"workspaceId\":\"" + tenant.workspaceId() + "\",\"phone\":\"+14155550100\"}")
            .getBytes(StandardCharsets.UTF_8);

    assertProblem(
        TestApi.call("POST", "/v1/contacts/upsert", headers, body), 415, "unsupported-media-type");
    headers.remove("Content-Type");
    assertProblem(
        TestApi.call("POST", "/v1/contacts/upsert", headers, body), 415, "unsupported-media-type");
    headers.put("Content-Type", List.of("application/json; charset=utf-8"));
    assertEquals(201, TestApi.call("POST", "/v1/contacts/upsert", headers, body).status());
  }

  @Test
  void bodyOver256KiB_is413() {
    String padding = "x".repeat(256 * 1024);
    Response response =
        upsert(
            tenant.accountKey(),
            "{\"workspaceId\":\""
                + tenant.workspaceId()
                + "\",\"phone\":\"+14155550100\",\"firstName\":\""
                + padding
                + "\"}");

    assertProblem(response, 413, "payload-too-large");
    assertNothingWritten();
  }

  @Test
  void bodyOfAMillionBytes_isRefusedAtTheEdge_beforeTheKeyIsChecked() {
    byte[] body = new byte[1_000_000];
    java.util.Arrays.fill(body, (byte) ' ');

    // As the web ACL in AWS: 413 even without a key, the authorizer never runs.
    Response refused =
        TestApi.call("POST", "/v1/contacts/upsert", TestApi.headers(null, true), body);
    assertProblem(refused, 413, "payload-too-large");

    // One byte less passes the edge: the key is checked first, then the function's own limit.
    byte[] smaller = java.util.Arrays.copyOf(body, 999_999);
    assertEquals(
        401,
        TestApi.call("POST", "/v1/contacts/upsert", TestApi.headers(null, true), smaller).status());
    assertProblem(
        TestApi.call(
            "POST", "/v1/contacts/upsert", TestApi.headers(tenant.accountKey(), true), smaller),
        413,
        "payload-too-large");
  }

  @Test
  void nonUtf8Body_reachesTheHandlerAsBase64_andIs400() {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Authorization", List.of("Bearer " + tenant.accountKey()));
    headers.put("Content-Type", List.of("application/json"));
    byte[] body = {'{', '"', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    assertProblem(
        TestApi.call("POST", "/v1/contacts/upsert", headers, body), 400, "validation-error");
  }

  @Test
  void base64EncodedBody_isDecoded() {
    String json = "{\"workspaceId\":\"" + tenant.workspaceId() + "\",\"phone\":\"+14155550199\"}";
    var event = new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent();
    event.setResource("/v1/contacts/upsert");
    event.setHttpMethod("POST");
    event.setHeaders(Map.of("content-type", "application/json"));
    event.setBody(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    event.setIsBase64Encoded(true);
    var context =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent
            .ProxyRequestContext();
    context.setRequestId("base64-test");
    context.setAuthorizer(Map.of("accountId", tenant.accountId(), "workspaceId", "", "keyId", "k"));
    event.setRequestContext(context);

    var response =
        com.voicecrm.contacts.api.ProxyEventJson.invoke(SampleEventsIT.handler(), event, null);

    assertEquals(201, response.getStatusCode(), response.getBody());
  }

  @Test
  void unknownCustomField_is400_andNamesTheField() {
    Response response =
        upsert(
            tenant.accountKey(),
            "{\"workspaceId\":\""
                + tenant.workspaceId()
                + "\",\"phone\":\"+14155550100\",\"customFields\":{\"lead source\":\"x\"}}");

    assertProblem(response, 400, "validation-error");
    assertEquals(List.of("customFields.lead source"), fields(response));
    assertTrue(response.json().get("detail").asText().length() > 0);
    assertNothingWritten();
  }

  @Test
  void tooManyTags_is400() {
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      tags.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    }
    Response response =
        upsert(
            tenant.accountKey(),
            "{\"workspaceId\":\""
                + tenant.workspaceId()
                + "\",\"phone\":\"+14155550100\",\"tags\":["
                + tags
                + "]}");

    assertProblem(response, 400, "validation-error");
    assertEquals(List.of("tags"), fields(response));
  }

  @Test
  void oneHundredNewTags_onANewContact_areAllWrittenAtomically() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      tags.add("tag-" + i);
    }
    Response response =
        upsert(
            tenant.accountKey(),
            Map.of(
                "workspaceId",
                tenant.workspaceId(),
                "phone",
                "+14155550198",
                "email",
                "many@example.com",
                "tags",
                tags));

    assertEquals(201, response.status(), response.toString());
    assertEquals(100, response.json().get("tags").size());
    assertEquals(100, TestApi.scan("WS#" + tenant.workspaceId() + "#TAG#").size());
  }

  @Test
  void errorBodies_neverLeakInternals() {
    Response response = call("GET", "/v1/contacts/not-a-uuid", tenant.accountKey(), null);

    assertProblem(response, 404, "not-found");
    String body = response.body().toLowerCase();
    assertFalse(body.contains("exception"));
    assertFalse(body.contains("contacts-it"));
    assertFalse(body.contains("dynamo"));
  }
}
