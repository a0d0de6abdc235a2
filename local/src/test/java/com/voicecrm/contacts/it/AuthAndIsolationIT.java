package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.call;
import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    assertEquals(
        "https://api.voicecrm.example/errors/unauthorized", response.json().get("type").asText());
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
    new DynamoApiKeyStore(TestApi.api().dynamo(), TestApi.api().table())
        .revoke(ApiKeys.hash(revoked), Instant.now());
    assertUnauthorized(call("POST", "/v1/contacts/upsert", revoked, body));
  }

  @Test
  void accountKey_onAnotherAccountsWorkspace_is404() {
    Response response =
        upsert(tenant.accountKey(), upsertBody(otherAccount.workspaceId(), "+14155550301"));

    assertEquals(404, response.status());
    assertEquals("Workspace not found", response.json().get("detail").asText());
  }

  @Test
  void accountKey_onAWorkspaceThatDoesNotExist_is404() {
    Response response =
        upsert(tenant.accountKey(), upsertBody(UUID.randomUUID().toString(), "+14155550302"));

    assertEquals(404, response.status());
  }

  @Test
  void workspaceKey_namingAnotherWorkspace_is403() {
    Response response =
        upsert(tenant.workspaceKey(), upsertBody(otherAccount.workspaceId(), "+14155550303"));

    assertEquals(403, response.status());
    assertEquals(
        "https://api.voicecrm.example/errors/forbidden", response.json().get("type").asText());
  }

  @Test
  void workspaceKey_ofASecondWorkspaceInTheSameAccount_cannotSeeTheFirstWorkspacesContacts() {
    String secondWorkspace = UUID.randomUUID().toString();
    new com.voicecrm.contacts.store.DynamoDirectory(TestApi.api().dynamo(), TestApi.api().table())
        .putWorkspace(secondWorkspace, tenant.accountId(), "Second", null, List.of());
    String secondKey = TestApi.newKey(tenant.accountId(), secondWorkspace);
    String id =
        upsert(tenant.accountKey(), upsertBody(tenant.workspaceId(), "+14155550304"))
            .json()
            .get("id")
            .asText();

    assertEquals(404, call("GET", "/v1/contacts/" + id, secondKey, null).status());
    assertEquals(404, call("DELETE", "/v1/contacts/" + id, secondKey, null).status());
    assertEquals(200, call("GET", "/v1/contacts/" + id, tenant.workspaceKey(), null).status());
  }

  @Test
  void contactsOfAnotherAccount_are404_evenToItsExactId() {
    String id =
        upsert(otherAccount.accountKey(), upsertBody(otherAccount.workspaceId(), "+14155550305"))
            .json()
            .get("id")
            .asText();

    Response get = call("GET", "/v1/contacts/" + id, tenant.accountKey(), null);
    Response delete = call("DELETE", "/v1/contacts/" + id, tenant.accountKey(), null);

    assertEquals(404, get.status());
    assertEquals(404, delete.status());
    assertEquals(
        get.json().get("detail"),
        call("GET", "/v1/contacts/" + UUID.randomUUID(), tenant.accountKey(), null)
            .json()
            .get("detail"));
    assertEquals(200, call("GET", "/v1/contacts/" + id, otherAccount.accountKey(), null).status());
  }

  @Test
  void samePhoneInTwoWorkspaces_makesTwoContacts() {
    Response mine = upsert(tenant.accountKey(), upsertBody(tenant.workspaceId(), "+14155550306"));
    Response theirs =
        upsert(otherAccount.accountKey(), upsertBody(otherAccount.workspaceId(), "+14155550306"));

    assertEquals(201, mine.status());
    assertEquals(201, theirs.status());
  }

  /**
   * Every key against every workspace and every contact: account A (workspaces 1 and 2) and account
   * B (workspace 3), each workspace with a contact. A key reaches exactly what SPEC section 2 says;
   * everything else answers as if it did not exist (404 with the same detail as a random id), or
   * 403 when a workspace key names another workspace, existing or not. Nothing is written where the
   * key may not write, and nothing is deleted.
   */
  @Test
  void everyKey_againstEveryWorkspaceAndContact_reachesOnlyItsOwn() {
    String ws2 = UUID.randomUUID().toString();
    new com.voicecrm.contacts.store.DynamoDirectory(TestApi.api().dynamo(), TestApi.api().table())
        .putWorkspace(ws2, tenant.accountId(), "Second", null, List.of());
    String ws2Key = TestApi.newKey(tenant.accountId(), ws2);
    String nowhere = UUID.randomUUID().toString();
    List<String> workspaces = List.of(tenant.workspaceId(), ws2, otherAccount.workspaceId());
    Map<String, String> contacts = new TreeMap<>(); // contact id -> its workspace
    for (int i = 0; i < workspaces.size(); i++) {
      String ws = workspaces.get(i);
      String key =
          ws.equals(otherAccount.workspaceId()) ? otherAccount.accountKey() : tenant.accountKey();
      contacts.put(upsert(key, upsertBody(ws, "+1415555039" + i)).json().get("id").asText(), ws);
    }
    record Key(String key, String account, String workspace) {}
    List<Key> keys =
        List.of(
            new Key(tenant.accountKey(), tenant.accountId(), null),
            new Key(tenant.workspaceKey(), tenant.accountId(), tenant.workspaceId()),
            new Key(ws2Key, tenant.accountId(), ws2),
            new Key(otherAccount.accountKey(), otherAccount.accountId(), null),
            new Key(
                otherAccount.workspaceKey(), otherAccount.accountId(), otherAccount.workspaceId()));
    String notFound =
        call("GET", "/v1/contacts/" + UUID.randomUUID(), tenant.accountKey(), null)
            .json()
            .get("detail")
            .asText();

    for (Key k : keys) {
      for (Map.Entry<String, String> contact : contacts.entrySet()) {
        String ws = contact.getValue();
        boolean reaches =
            k.workspace() == null ? accountOf(ws).equals(k.account()) : ws.equals(k.workspace());
        Response get = call("GET", "/v1/contacts/" + contact.getKey(), k.key(), null);
        assertEquals(reaches ? 200 : 404, get.status(), k + " GET " + ws + ": " + get);
        if (!reaches) {
          assertEquals(notFound, get.json().get("detail").asText());
          Response delete = call("DELETE", "/v1/contacts/" + contact.getKey(), k.key(), null);
          assertEquals(404, delete.status(), k + " DELETE " + ws + ": " + delete);
          assertEquals(notFound, delete.json().get("detail").asText());
          Response upperCaseId =
              call(
                  "GET",
                  "/v1/contacts/" + contact.getKey().toUpperCase(java.util.Locale.ROOT),
                  k.key(),
                  null);
          assertEquals(404, upperCaseId.status(), upperCaseId.toString());
        }
      }
      for (String ws : List.of(tenant.workspaceId(), ws2, otherAccount.workspaceId(), nowhere)) {
        Response write = upsert(k.key(), upsertBody(ws, "+14155550399"));
        if (k.workspace() != null) {
          // A workspace key names its own workspace or is refused, whether the other one exists or
          // not.
          Set<Integer> expected = ws.equals(k.workspace()) ? Set.of(200, 201) : Set.of(403);
          assertTrue(expected.contains(write.status()), k + " upsert " + ws + ": " + write);
        } else if (ws.equals(nowhere) || !accountOf(ws).equals(k.account())) {
          // Another account's workspace and one that does not exist read the same.
          assertEquals(404, write.status(), k + " upsert " + ws + ": " + write);
          assertEquals("Workspace not found", write.json().get("detail").asText());
        } else {
          assertTrue(
              write.status() == 200 || write.status() == 201, k + " upsert " + ws + ": " + write);
        }
      }
    }

    // Nothing was deleted by the refused deletes.
    contacts.forEach(
        (id, ws) -> {
          String owner =
              ws.equals(otherAccount.workspaceId())
                  ? otherAccount.accountKey()
                  : tenant.accountKey();
          assertEquals(200, call("GET", "/v1/contacts/" + id, owner, null).status());
        });
  }

  private String accountOf(String workspaceId) {
    return workspaceId.equals(otherAccount.workspaceId())
        ? otherAccount.accountId()
        : tenant.accountId();
  }

  @Test
  void noKeyOfAnyTenant_isStoredInClear_anywhereInTheTable() {
    List<String> keys =
        List.of(
            tenant.accountKey(),
            tenant.workspaceKey(),
            otherAccount.accountKey(),
            otherAccount.workspaceKey());
    upsert(tenant.accountKey(), upsertBody(tenant.workspaceId(), "+14155550398"));

    String everything = TestApi.scan("").toString();

    for (String key : keys) {
      assertFalse(
          everything.contains(key.substring("sk_test_".length())), "a key is stored in clear");
    }
    TestApi.scan("APIKEY#")
        .forEach(
            item ->
                assertTrue(
                    item.get("pk").s().matches("APIKEY#[0-9a-f]{64}"),
                    "key item not keyed by a SHA-256: " + item.get("pk").s()));
  }
}
