package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.call;
import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC section 3 through the real authorizer and handler, against moto. */
class UpsertIT {

  private Tenant tenant;

  @BeforeEach
  void newWorkspace() {
    tenant = newTenant("America/New_York", "Lead Source", "MRR");
  }

  private Map<String, Object> body(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workspaceId", tenant.workspaceId());
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  @Test
  void create_returns201_withEveryFieldOfTheContactShape_andLocation() {
    Response response =
        upsert(
            tenant.accountKey(),
            body(
                "firstName", " John ",
                "lastName", "Doe",
                "email", " John@Example.com ",
                "phone", "+1 (415) 555-1234",
                "tags", List.of("vip", "Lead", "vip"),
                "customFields", Map.of("Lead Source", "Website", "MRR", 250)));

    assertEquals(201, response.status(), response.toString());
    JsonNode contact = response.json();
    assertEquals("/v1/contacts/" + contact.get("id").asText(), response.header("Location"));
    assertEquals(tenant.workspaceId(), contact.get("workspaceId").asText());
    assertEquals("John", contact.get("firstName").asText());
    assertEquals("John@Example.com", contact.get("email").asText());
    assertEquals("+14155551234", contact.get("phone").asText());
    assertEquals("America/Los_Angeles", contact.get("timezone").asText());
    assertEquals("[\"Lead\",\"vip\"]", contact.get("tags").toString());
    assertEquals("Website", contact.get("customFields").get("Lead Source").asText());
    assertEquals("250", contact.get("customFields").get("MRR").asText());
    assertEquals(contact.get("createdAt"), contact.get("updatedAt"));
    assertTrue(contact.get("createdAt").asText().endsWith("Z"));
    assertEquals(response.header("X-Request-Id"), response.header("X-Request-Id").strip());
    List<String> keys = new ArrayList<>();
    contact.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of(
            "id",
            "workspaceId",
            "firstName",
            "lastName",
            "email",
            "phone",
            "timezone",
            "tags",
            "customFields",
            "createdAt",
            "updatedAt"),
        keys);
  }

  @Test
  void create_withOnlyEmail_hasNullsAndEmptyCollections_andWorkspaceDefaultTimezone() {
    JsonNode contact = upsert(tenant.accountKey(), body("email", "solo@example.com")).json();

    assertTrue(contact.get("firstName").isNull());
    assertTrue(contact.get("phone").isNull());
    assertEquals("America/New_York", contact.get("timezone").asText());
    assertEquals(0, contact.get("tags").size());
    assertEquals(0, contact.get("customFields").size());
  }

  @Test
  void create_derivesTimezoneFromPhone_orLeavesItNull_whenNoSingleZoneAndNoDefault() {
    Tenant noDefault = newTenant(null);
    Map<String, Object> dc = new LinkedHashMap<>();
    dc.put("workspaceId", noDefault.workspaceId());
    dc.put("phone", "+1 202 555 0100"); // Washington, DC: one zone
    Map<String, Object> tollFree = new LinkedHashMap<>(dc);
    tollFree.put("phone", "+1 800 555 0100"); // toll-free: no single zone

    JsonNode derived = upsert(noDefault.accountKey(), dc).json();
    JsonNode none = upsert(noDefault.accountKey(), tollFree).json();

    assertEquals("America/New_York", derived.get("timezone").asText());
    assertTrue(none.get("timezone").isNull(), none.toString());
  }

  @Test
  void create_callersTimezoneWins() {
    JsonNode contact =
        upsert(tenant.accountKey(), body("phone", "+14155550013", "timezone", "Europe/Paris"))
            .json();

    assertEquals("Europe/Paris", contact.get("timezone").asText());
  }

  @Test
  void sameRequestTwice_returns200WithSameId_andChangesNothing() {
    Map<String, Object> request =
        body("phone", "+14155550001", "email", "twice@example.com", "tags", List.of("a"));
    JsonNode first = upsert(tenant.accountKey(), request).json();
    Response second = upsert(tenant.accountKey(), request);

    assertEquals(200, second.status());
    assertEquals(first, second.json());
  }

  @Test
  void update_overwritesPresentFields_keepsOmittedOnes_andEmptyStringClears() {
    upsert(
        tenant.accountKey(), body("phone", "+14155550002", "firstName", "Ann", "lastName", "Lee"));
    JsonNode updated =
        upsert(
                tenant.accountKey(),
                body("phone", "+14155550002", "firstName", "Anna", "lastName", ""))
            .json();

    assertEquals("Anna", updated.get("firstName").asText());
    assertTrue(updated.get("lastName").isNull());
    assertNotEquals(updated.get("createdAt"), updated.get("updatedAt"));
  }

  @Test
  void update_preserveExisting_fillsOnlyEmptyFields() {
    upsert(
        tenant.accountKey(),
        body("phone", "+14155550003", "firstName", "Kept", "customFields", Map.of("MRR", "10")));
    Map<String, Object> customFields = new LinkedHashMap<>();
    customFields.put("MRR", "99");
    customFields.put("Lead Source", "Ads");
    JsonNode updated =
        upsert(
                tenant.accountKey(),
                body(
                    "phone", "+14155550003",
                    "firstName", "Ignored",
                    "lastName", "Filled",
                    "email", "filled@example.com",
                    "preserveExisting", true,
                    "customFields", customFields))
            .json();

    assertEquals("Kept", updated.get("firstName").asText());
    assertEquals("Filled", updated.get("lastName").asText());
    assertEquals("filled@example.com", updated.get("email").asText());
    assertEquals("10", updated.get("customFields").get("MRR").asText());
    assertEquals("Ads", updated.get("customFields").get("Lead Source").asText());
  }

  @Test
  void update_customFieldNullClearsThatKey_andOtherKeysStay() {
    upsert(
        tenant.accountKey(),
        body("phone", "+14155550004", "customFields", Map.of("MRR", "1", "Lead Source", "Web")));
    Map<String, Object> clear = new LinkedHashMap<>();
    clear.put("MRR", null);
    JsonNode updated =
        upsert(tenant.accountKey(), body("phone", "+14155550004", "customFields", clear)).json();

    assertEquals("{\"Lead Source\":\"Web\"}", updated.get("customFields").toString());
  }

  @Test
  void update_tagsAreAlwaysAdded_neverRemoved() {
    upsert(tenant.accountKey(), body("phone", "+14155550005", "tags", List.of("b", "A")));
    JsonNode updated =
        upsert(
                tenant.accountKey(),
                body("phone", "+14155550005", "tags", List.of("c"), "preserveExisting", true))
            .json();

    assertEquals("[\"A\",\"b\",\"c\"]", updated.get("tags").toString());
  }

  @Test
  void match_byEmail_isCaseInsensitive() {
    JsonNode created = upsert(tenant.accountKey(), body("email", "Case@Example.com")).json();
    Response again =
        upsert(tenant.accountKey(), body("email", "  case@EXAMPLE.com", "firstName", "C"));

    assertEquals(200, again.status());
    assertEquals(created.get("id"), again.json().get("id"));
  }

  @Test
  void match_prefersPhone_andKeepsExistingEmail_whenEmailHeldByAnotherContact() {
    JsonNode a =
        upsert(tenant.accountKey(), body("phone", "+14155550006", "email", "a@example.com")).json();
    JsonNode b =
        upsert(tenant.accountKey(), body("phone", "+14155550007", "email", "b@example.com")).json();

    Response response =
        upsert(
            tenant.accountKey(),
            body("phone", "+14155550006", "email", "b@example.com", "firstName", "A"));

    assertEquals(200, response.status());
    assertEquals(a.get("id"), response.json().get("id"));
    assertEquals("a@example.com", response.json().get("email").asText());
    assertEquals("A", response.json().get("firstName").asText());
    JsonNode bAfter =
        call("GET", "/v1/contacts/" + b.get("id").asText(), tenant.accountKey(), null).json();
    assertEquals(b, bAfter);
  }

  @Test
  void changingEmail_movesTheIdentifier_soTheOldEmailIsFreeForANewContact() {
    JsonNode a =
        upsert(tenant.accountKey(), body("phone", "+14155550008", "email", "old@example.com"))
            .json();
    upsert(tenant.accountKey(), body("phone", "+14155550008", "email", "new@example.com"));

    Response byOld = upsert(tenant.accountKey(), body("email", "old@example.com"));
    Response byNew = upsert(tenant.accountKey(), body("email", "NEW@example.com"));

    assertEquals(201, byOld.status());
    assertEquals(200, byNew.status());
    assertEquals(a.get("id"), byNew.json().get("id"));
  }

  @Test
  void matchByEmail_givesTheContactTheNewPhone() {
    JsonNode a = upsert(tenant.accountKey(), body("email", "phoneless@example.com")).json();
    JsonNode updated =
        upsert(tenant.accountKey(), body("email", "phoneless@example.com", "phone", "+14155550009"))
            .json();
    Response byPhone = upsert(tenant.accountKey(), body("phone", "+1 415 555 0009"));

    assertEquals(a.get("id"), updated.get("id"));
    assertEquals("+14155550009", updated.get("phone").asText());
    assertEquals(a.get("id"), byPhone.json().get("id"));
  }

  @Test
  void renamingACustomField_renamesItInResponses() {
    JsonNode created =
        upsert(
                tenant.accountKey(),
                body("phone", "+14155550010", "customFields", Map.of("MRR", "5")))
            .json();
    new com.voicecrm.contacts.store.DynamoDirectory(TestApi.api().dynamo(), TestApi.api().table())
        .renameCustomField(tenant.workspaceId(), "MRR", "Monthly Revenue");

    JsonNode read =
        call("GET", "/v1/contacts/" + created.get("id").asText(), tenant.accountKey(), null).json();

    assertEquals("{\"Monthly Revenue\":\"5\"}", read.get("customFields").toString());
  }

  @Test
  void workspaceKey_mayOmitWorkspaceId() {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("phone", "+14155550011");
    Response response = upsert(tenant.workspaceKey(), request);

    assertEquals(201, response.status(), response.toString());
    assertEquals(tenant.workspaceId(), response.json().get("workspaceId").asText());
  }

  @Test
  void newTags_areRegisteredInTheWorkspace() {
    upsert(tenant.accountKey(), body("phone", "+14155550012", "tags", List.of("alpha", "Beta")));

    assertEquals(2, TestApi.scan("WS#" + tenant.workspaceId() + "#TAG#").size());
  }
}
