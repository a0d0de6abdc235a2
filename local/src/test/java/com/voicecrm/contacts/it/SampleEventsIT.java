package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voicecrm.contacts.api.ApiKeyAuthorizer;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.local.SeedLoader;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sample events in events/ drive the real handlers as Lambda hands them over: the file's bytes
 * into the stream handler, on a table of their own with the demo seed. (The runtime tier feeds the
 * same files through the Lambda runtime interface client.)
 */
class SampleEventsIT {

  private static final String SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

  static ContactsApiHandler handler() {
    return ContactsApiHandler.over(TestApi.api().dynamo(), TestApi.api().table());
  }

  private static String event(String file) throws Exception {
    return Files.readString(TestApi.projectRoot().resolve("events").resolve(file));
  }

  private static APIGatewayProxyResponseEvent invoke(ContactsApiHandler handler, String event)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return ProxyEventJson.readResponse(new ByteArrayInputStream(out.toByteArray()));
  }

  @Test
  void upsertGetAndDeleteEvents_runThroughTheStreamHandler() throws Exception {
    try (Rig rig = Rig.open()) {
      new SeedLoader(rig.plain, rig.table)
          .load(TestApi.projectRoot().resolve("events/local-seed.json"));
      String upsert = event("upsert.json");

      APIGatewayProxyResponseEvent created = invoke(rig.handler, upsert);
      APIGatewayProxyResponseEvent again = invoke(rig.handler, upsert);

      assertEquals(201, created.getStatusCode(), created.getBody());
      String id = TestApi.JSON.readTree(created.getBody()).get("id").asText();
      // The sample was sent to the stage's execute-api URL: the stage is part of the address.
      assertEquals("/dev/v1/contacts/" + id, created.getHeaders().get("Location"));
      assertEquals(200, again.getStatusCode(), again.getBody());
      assertEquals(id, TestApi.JSON.readTree(again.getBody()).get("id").asText());
      assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", again.getHeaders().get("X-Request-Id"));

      String get = event("get.json").replace(SAMPLE_ID, id);
      APIGatewayProxyResponseEvent read = invoke(rig.handler, get);
      assertEquals(200, read.getStatusCode(), read.getBody());
      JsonNode contact = TestApi.JSON.readTree(read.getBody());
      assertEquals("+442079460958", contact.get("phone").asText());
      assertEquals("Europe/London", contact.get("timezone").asText());
      // The list sample (an account key naming the seed's workspace) lists it, once settled.
      rig.settle();
      APIGatewayProxyResponseEvent listed = invoke(rig.handler, event("list.json"));
      assertEquals(200, listed.getStatusCode(), listed.getBody());
      assertEquals(
          id, TestApi.JSON.readTree(listed.getBody()).get("data").get(0).get("id").asText());

      String delete = event("delete.json").replace(SAMPLE_ID, id);
      assertEquals(204, invoke(rig.handler, delete).getStatusCode());
      assertEquals(404, invoke(rig.handler, delete).getStatusCode());
      assertEquals(404, invoke(rig.handler, get).getStatusCode());
      assertEquals(
          "{\"data\":[],\"nextCursor\":null}", invoke(rig.handler, event("list.json")).getBody());
    }
  }

  @Test
  void authorizerEvent_resolvesTheDemoAccountKey() throws Exception {
    ApiKeyAuthorizer authorizer =
        new ApiKeyAuthorizer(new DynamoApiKeyStore(TestApi.api().dynamo(), TestApi.api().table()));
    APIGatewayCustomAuthorizerEvent event =
        new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .readValue(event("authorizer.json"), APIGatewayCustomAuthorizerEvent.class);

    Map<String, Object> policy = authorizer.handleRequest(event, null);

    assertEquals("sk_test_demoAccountKey0000000000000000000001", policy.get("usageIdentifierKey"));
    @SuppressWarnings("unchecked")
    Map<String, Object> context = (Map<String, Object>) policy.get("context");
    assertEquals("acc_demo", context.get("accountId"));
    assertEquals("", context.get("workspaceId"));
    assertEquals(
        com.voicecrm.contacts.api.ApiKeyAuthorizerTest.allowPolicy(
            "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/*"),
        policy.get("policyDocument"));
  }

  @Test
  void seedFile_loadsTwiceWithoutChange() throws Exception {
    var loader = new SeedLoader(TestApi.api().dynamo(), TestApi.api().table());
    Path seed = TestApi.projectRoot().resolve("events/local-seed.json");
    String before =
        TestApi.scan("WORKSPACE#").toString() + TestApi.scan("APIKEY#") + TestApi.scan("ACCOUNT#");

    loader.load(seed);

    assertEquals(
        before,
        TestApi.scan("WORKSPACE#").toString() + TestApi.scan("APIKEY#") + TestApi.scan("ACCOUNT#"));
  }
}
