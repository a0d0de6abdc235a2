package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.call;
import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC section 2: keys, scopes and tenant isolation. */
class AuthAndIsolationIT {

  private Tenant tenant;
  private Tenant otherAccount;

  @BeforeEach
  void tenants() {
    tenant = newTenant(null);
    otherAccount = newTenant(null);
  }

  private String upsertBody(String workspaceId, String phone) {
    return "{\"workspaceId\":\"" + workspaceId + "\",\"phone\":\"" + phone + "\"}";
  }

  private static void assertUnauthorized(Response response) {
    assertEquals(401, response.status(), response.toString());
    assertEquals("Bearer", response.header("WWW-Authenticate"));
    assertEquals("application/problem+json", response.header("Content-Type"));
    assertEquals("https://api.voicecrm.example/errors/unauthorized", response.json().get("type").asText());
  }

  @Test
  void missingMalformedUnknownAndRevokedKeys_are401() {
    String body = upsertBody(tenant.workspaceId(), "+14155550300");
    assertUnauthorized(call("POST", "/v1/contacts/upsert", (String) null, body));
    assertUnauthorized(call("POST", "/v1/contacts/upsert", "not-a-key", body));
    assertUnauthorized(call("POST", "/v1/contacts/upsert", "sk_live_" + "a".repeat(40), body));

    Map<String, List<String>> basic = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    basic.put("Authorization", List.of("Basic " + tenant.accountKey()));
    basic.put("Content-Type", List.of("application/json"));
    assertUnauthorized(TestApi.call("POST", "/v1/contacts/upsert", basic, body.getBytes()));

    String revoked = TestApi.newKey(tenant.accountId(), null);
    new DynamoApiKeyStore(TestApi.api().dynamo(), TestApi.api().table()).revoke(ApiKeys.hash(revoked), Instant.now());
    assertUnauthorized(call("POST", "/v1/contacts/upsert", revoked, body));
  }

  @Test
  void keysAreStoredOnlyAsHashes() {
    String everything = TestApi.scan("APIKEY#").toString();

    assertFalse(everything.contains(tenant.accountKey()));
    assertFalse(everything.contains(tenant.accountKey().substring(8)));
  }

  @Test
  void accountKey_onAnotherAccountsWorkspace_is404() {
    Response response = upsert(tenant.accountKey(), upsertBody(otherAccount.workspaceId(), "+14155550301"));

    assertEquals(404, response.status());
    assertEquals("Workspace not found", response.json().get("detail").asText());
  }

  @Test
  void accountKey_onAWorkspaceThatDoesNotExist_is404() {
    Response response = upsert(tenant.accountKey(), upsertBody(UUID.randomUUID().toString(), "+14155550302"));

    assertEquals(404, response.status());
  }

  @Test
  void workspaceKey_namingAnotherWorkspace_is403() {
    Response response = upsert(tenant.workspaceKey(), upsertBody(otherAccount.workspaceId(), "+14155550303"));

    assertEquals(403, response.status());
    assertEquals("https://api.voicecrm.example/errors/forbidden", response.json().get("type").asText());
  }

  @Test
  void workspaceKey_ofASecondWorkspaceInTheSameAccount_cannotSeeTheFirstWorkspacesContacts() {
    String secondWorkspace = UUID.randomUUID().toString();
    new com.voicecrm.contacts.store.DynamoDirectory(TestApi.api().dynamo(), TestApi.api().table())
        .putWorkspace(secondWorkspace, tenant.accountId(), "Second", null, List.of());
    String secondKey = TestApi.newKey(tenant.accountId(), secondWorkspace);
    String id = upsert(tenant.accountKey(), upsertBody(tenant.workspaceId(), "+14155550304")).json().get("id").asText();

    assertEquals(404, call("GET", "/v1/contacts/" + id, secondKey, null).status());
    assertEquals(404, call("DELETE", "/v1/contacts/" + id, secondKey, null).status());
    assertEquals(200, call("GET", "/v1/contacts/" + id, tenant.workspaceKey(), null).status());
  }

  @Test
  void contactsOfAnotherAccount_are404_evenToItsExactId() {
    String id = upsert(otherAccount.accountKey(), upsertBody(otherAccount.workspaceId(), "+14155550305")).json().get("id").asText();

    Response get = call("GET", "/v1/contacts/" + id, tenant.accountKey(), null);
    Response delete = call("DELETE", "/v1/contacts/" + id, tenant.accountKey(), null);

    assertEquals(404, get.status());
    assertEquals(404, delete.status());
    assertEquals(get.json().get("detail"), call("GET", "/v1/contacts/" + UUID.randomUUID(), tenant.accountKey(), null).json().get("detail"));
    assertEquals(200, call("GET", "/v1/contacts/" + id, otherAccount.accountKey(), null).status());
  }

  @Test
  void samePhoneInTwoWorkspaces_makesTwoContacts() {
    Response mine = upsert(tenant.accountKey(), upsertBody(tenant.workspaceId(), "+14155550306"));
    Response theirs = upsert(otherAccount.accountKey(), upsertBody(otherAccount.workspaceId(), "+14155550306"));

    assertEquals(201, mine.status());
    assertEquals(201, theirs.status());
  }
}
