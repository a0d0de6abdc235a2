package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public class ApiKeyAuthorizerTest {

  private static final String KEY = "sk_live_" + "A".repeat(40);

  private static APIGatewayCustomAuthorizerEvent event(String token) {
    APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
    event.setType("TOKEN");
    event.setAuthorizationToken(token);
    event.setMethodArn("arn:aws:execute-api:eu-west-1:123456789012:api1/prod/GET/v1/contacts/abc");
    return event;
  }

  @Test
  void rejectionLogPrefix_isTheMessageAndTypeOfTheRejection() {
    assertEquals(
        ApiKeyAuthorizer.UNAUTHORIZED
            + ": "
            + ApiKeyAuthorizer.UnauthorizedException.class.getName(),
        com.voicecrm.contacts.config.ServiceContract.AUTHORIZER_REJECTION_LOG_PREFIX);
  }

  @Test
  void bearerKey_acceptsOnlyWellFormedBearerKeys() {
    assertEquals(Optional.of(KEY), ApiKeyAuthorizer.bearerKey("Bearer " + KEY));
    assertEquals(Optional.of(KEY), ApiKeyAuthorizer.bearerKey("bearer " + KEY));
    assertEquals(Optional.empty(), ApiKeyAuthorizer.bearerKey(KEY));
    assertEquals(Optional.empty(), ApiKeyAuthorizer.bearerKey("Bearer sk_live_short"));
    assertEquals(Optional.empty(), ApiKeyAuthorizer.bearerKey("Bearer pk_live_" + "A".repeat(40)));
    assertEquals(Optional.empty(), ApiKeyAuthorizer.bearerKey(null));
  }

  @Test
  void allows_withScopeContext_wholeApiPolicy_andTheKeyAsUsageIdentifier() {
    ApiKeyRecord record =
        new ApiKeyRecord(ApiKeys.hash(KEY), "acc", null, "pro", null, Instant.EPOCH, null);
    ApiKeyAuthorizer authorizer =
        new ApiKeyAuthorizer(
            hash -> hash.equals(record.keyHash()) ? Optional.of(record) : Optional.empty());

    Map<String, Object> response = authorizer.handleRequest(event("Bearer " + KEY), null);

    assertEquals(KEY, response.get("usageIdentifierKey"));
    assertEquals(
        Map.of("accountId", "acc", "workspaceId", "", "keyId", record.keyId()),
        response.get("context"));
    assertEquals(
        allowPolicy("arn:aws:execute-api:eu-west-1:123456789012:api1/prod/*/*"),
        response.get("policyDocument"));
  }

  @Test
  void unknownAndRevokedKeys_areUnauthorized() {
    ApiKeyRecord revoked =
        new ApiKeyRecord(ApiKeys.hash(KEY), "acc", null, null, null, Instant.EPOCH, Instant.EPOCH);
    assertThrows(
        ApiKeyAuthorizer.UnauthorizedException.class,
        () ->
            new ApiKeyAuthorizer(h -> Optional.empty())
                .handleRequest(event("Bearer " + KEY), null));
    assertThrows(
        ApiKeyAuthorizer.UnauthorizedException.class,
        () ->
            new ApiKeyAuthorizer(h -> Optional.of(revoked))
                .handleRequest(event("Bearer " + KEY), null));
    assertEquals("Unauthorized", new ApiKeyAuthorizer.UnauthorizedException().getMessage());
  }

  @Test
  void keysAreHashedWithSha256() {
    assertEquals(
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", ApiKeys.hash("hello"));
    assertEquals(48, ApiKeys.generate(true).length());
  }

  /** The policy document the authorizer answers for an allowed key, as plain values. */
  public static Map<String, Object> allowPolicy(String resource) {
    return Map.of(
        "Version",
        "2012-10-17",
        "Statement",
        List.of(Map.of("Action", "execute-api:Invoke", "Effect", "Allow", "Resource", resource)));
  }
}
