package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.runtime.RuntimeApiStub;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TOKEN authorizer as AWS runs it: the shaded jar under the Lambda runtime interface client. An
 * allow must have the shape API Gateway requires (principalId, an IAM policy, a context of strings
 * only, the key as usageIdentifierKey); a rejection must be a function error whose message is
 * exactly {@code Unauthorized}, which API Gateway turns into its 401.
 */
class RuntimeAuthorizerIT {

  private static final String ACCOUNT_KEY = "sk_test_demoAccountKey0000000000000000000001";
  private static final String WORKSPACE_KEY = "sk_test_demoWorkspaceKey00000000000000000001";
  private static final String METHOD_ARN =
      "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/v1/contacts/upsert";
  private static RuntimeTier tier;

  @BeforeAll
  static void start() throws Exception {
    tier = RuntimeTier.start(ServiceContract.AUTHORIZER_HANDLER);
  }

  @AfterAll
  static void stop() throws Exception {
    tier.close();
  }

  @Test
  void sampleEvent_accountKey_isAllowedWithTheShapeApiGatewayRequires() throws Exception {
    JsonNode allow = allowed(RuntimeTier.sample("authorizer.json").toString());

    assertEquals(
        Set.of("principalId", "policyDocument", "context", "usageIdentifierKey"), names(allow));
    assertEquals(ACCOUNT_KEY, allow.get("usageIdentifierKey").asText());
    assertEquals(ApiKeys.keyId(ApiKeys.hash(ACCOUNT_KEY)), allow.get("principalId").asText());
    JsonNode policy = allow.get("policyDocument");
    assertEquals("2012-10-17", policy.get("Version").asText());
    JsonNode statement = policy.get("Statement").get(0);
    assertEquals("execute-api:Invoke", statement.get("Action").asText());
    assertEquals("Allow", statement.get("Effect").asText());
    assertEquals(
        "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/*",
        statement.get("Resource").asText());
    JsonNode context = allow.get("context");
    context.fields().forEachRemaining(f -> assertTrue(f.getValue().isTextual(), f.getKey()));
    assertEquals("acc_demo", context.get(ServiceContract.CONTEXT_ACCOUNT_ID).asText());
    assertEquals("", context.get(ServiceContract.CONTEXT_WORKSPACE_ID).asText());
  }

  @Test
  void workspaceKey_contextNamesItsWorkspace() throws Exception {
    JsonNode allow = allowed(token("Bearer " + WORKSPACE_KEY));

    assertEquals(
        "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c",
        allow.get("context").get(ServiceContract.CONTEXT_WORKSPACE_ID).asText());
  }

  @Test
  void schemeInAnotherCase_isAllowed() throws Exception {
    assertEquals(
        ACCOUNT_KEY, allowed(token("bearer " + ACCOUNT_KEY)).get("usageIdentifierKey").asText());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer sk_test_short",
        "Bearer sk_prod_demoAccountKey0000000000000000000001",
        "Bearer sk_test_unknownKey0000000000000000000000000001",
        ACCOUNT_KEY
      })
  void badToken_isTheFunctionErrorUnauthorized(String authorization) throws Exception {
    assertUnauthorized(tier.invoke(token(authorization)));
  }

  @Test
  void revokedKey_isUnauthorized() throws Exception {
    String key = tier.rig.newKey("acc_demo", null);
    assertFalse(tier.invoke(token("Bearer " + key)).error());
    new DynamoApiKeyStore(tier.rig.plain, tier.rig.table).revoke(ApiKeys.hash(key), Instant.now());

    assertUnauthorized(tier.invoke(token("Bearer " + key)));
  }

  @Test
  void rejection_isLoggedAsTheErrorRecordTheAlarmFilterLeavesOut() throws Exception {
    assertUnauthorized(tier.invoke(token("Bearer sk_test_notAKeyAnyoneHas000000000000000000")));

    // The stack's authorizer alarm counts ERROR records except these (infra AuthorizerFailures).
    boolean logged =
        tier.output()
            .lines()
            .filter(line -> line.startsWith("{"))
            .map(RuntimeAuthorizerIT::json)
            .anyMatch(
                record ->
                    "ERROR".equals(record.path("level").asText())
                        && record
                            .path("message")
                            .asText()
                            .startsWith(
                                com.voicecrm.contacts.api.ApiKeyAuthorizer.REJECTION_LOG_PREFIX));
    assertTrue(logged, tier.output());
  }

  private static JsonNode json(String line) {
    try {
      return TestApi.JSON.readTree(line);
    } catch (Exception e) {
      return TestApi.JSON.createObjectNode();
    }
  }

  private static void assertUnauthorized(RuntimeApiStub.Answer answer) throws Exception {
    assertTrue(answer.error(), answer::text);
    assertEquals("Unauthorized", TestApi.JSON.readTree(answer.body()).get("errorMessage").asText());
  }

  private static JsonNode allowed(String event) throws Exception {
    RuntimeApiStub.Answer answer = tier.invoke(event);
    assertFalse(answer.error(), () -> answer.text() + "\n" + tier.output());
    return TestApi.JSON.readTree(answer.body());
  }

  private static String token(String authorization) {
    ObjectNode event = TestApi.JSON.createObjectNode();
    event.put("type", "TOKEN");
    event.put("authorizationToken", authorization);
    event.put("methodArn", METHOD_ARN);
    return event.toString();
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
