package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voicecrm.contacts.api.ApiKeyAuthorizer;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.domain.ContactService;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import com.voicecrm.contacts.store.DynamoContactStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample events in events/ drive the real handlers, as `sam local invoke` would. */
class SampleEventsIT {

  private static final ObjectMapper EVENTS =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static ContactsApiHandler handler() {
    return new ContactsApiHandler(
        new ContactService(
            new DynamoContactStore(TestApi.api().dynamo(), TestApi.api().table()),
            Clock.systemUTC(),
            RetryPolicy.DEFAULT));
  }

  private static <T> T event(String file, Class<T> type) throws Exception {
    return EVENTS.readValue(TestApi.projectRoot().resolve("events").resolve(file).toFile(), type);
  }

  @Test
  void upsertGetAndDeleteEvents_runThroughTheHandler() throws Exception {
    ContactsApiHandler handler = handler();
    APIGatewayProxyRequestEvent upsert = event("upsert.json", APIGatewayProxyRequestEvent.class);

    APIGatewayProxyResponseEvent created = handler.handleRequest(upsert, null);
    APIGatewayProxyResponseEvent again = handler.handleRequest(upsert, null);

    assertTrue(created.getStatusCode() == 201 || created.getStatusCode() == 200, created.getBody());
    assertEquals(200, again.getStatusCode());
    assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", again.getHeaders().get("X-Request-Id"));
    String id = TestApi.JSON.readTree(again.getBody()).get("id").asText();

    APIGatewayProxyRequestEvent get = event("get.json", APIGatewayProxyRequestEvent.class);
    get.setPathParameters(Map.of("id", id));
    APIGatewayProxyResponseEvent read = handler.handleRequest(get, null);
    assertEquals(200, read.getStatusCode(), read.getBody());
    JsonNode contact = TestApi.JSON.readTree(read.getBody());
    assertEquals("+442079460958", contact.get("phone").asText());
    assertEquals("Europe/London", contact.get("timezone").asText());

    APIGatewayProxyRequestEvent delete = event("delete.json", APIGatewayProxyRequestEvent.class);
    delete.setPathParameters(Map.of("id", id));
    assertEquals(204, handler.handleRequest(delete, null).getStatusCode());
    assertEquals(404, handler.handleRequest(delete, null).getStatusCode());
    assertEquals(404, handler.handleRequest(get, null).getStatusCode());
  }

  @Test
  void authorizerEvent_resolvesTheDemoAccountKey() throws Exception {
    ApiKeyAuthorizer authorizer =
        new ApiKeyAuthorizer(new DynamoApiKeyStore(TestApi.api().dynamo(), TestApi.api().table()));

    Map<String, Object> policy =
        authorizer.handleRequest(
            event("authorizer.json", APIGatewayCustomAuthorizerEvent.class), null);

    assertEquals("sk_test_demoAccountKey0000000000000000000001", policy.get("usageIdentifierKey"));
    @SuppressWarnings("unchecked")
    Map<String, Object> context = (Map<String, Object>) policy.get("context");
    assertEquals("acc_demo", context.get("accountId"));
    assertEquals("", context.get("workspaceId"));
    assertEquals(
        "{Version=2012-10-17, Statement=[{Action=execute-api:Invoke, Effect=Allow, Resource=arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/*}]}",
        policy.get("policyDocument").toString());
  }

  @Test
  void seedFile_loadsTwiceWithoutChange() throws Exception {
    var loader =
        new com.voicecrm.contacts.local.SeedLoader(TestApi.api().dynamo(), TestApi.api().table());
    Path seed = TestApi.projectRoot().resolve("events/local-seed.json");
    String before =
        TestApi.scan("WORKSPACE#").toString() + TestApi.scan("APIKEY#") + TestApi.scan("ACCOUNT#");

    loader.load(seed);

    assertEquals(
        before,
        TestApi.scan("WORKSPACE#").toString() + TestApi.scan("APIKEY#") + TestApi.scan("ACCOUNT#"));
  }
}
