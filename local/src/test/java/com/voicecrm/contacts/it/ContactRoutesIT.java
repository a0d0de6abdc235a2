package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.call;
import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** GET and DELETE of one contact (SPEC sections 1 and 4), unknown routes and wrong methods. */
class ContactRoutesIT {

  private Tenant tenant;

  @BeforeEach
  void newWorkspace() {
    tenant = newTenant(null, "MRR");
  }

  private JsonNode create(String phone, String email) {
    return upsert(
            tenant.accountKey(),
            Map.of(
                "workspaceId",
                tenant.workspaceId(),
                "phone",
                phone,
                "email",
                email,
                "customFields",
                Map.of("MRR", "9")))
        .json();
  }

  @Test
  void get_returnsTheContactAsUpsertReturnedIt() {
    JsonNode created = create("+14155550400", "get@example.com");

    Response read =
        call("GET", "/v1/contacts/" + created.get("id").asText(), tenant.accountKey(), null);

    assertEquals(200, read.status());
    assertEquals(created, read.json());
    assertEquals("application/json", read.header("Content-Type"));
  }

  @Test
  void delete_is204_thenGetAndSecondDeleteAre404_andTheDataIsKept() {
    JsonNode created = create("+14155550401", "del@example.com");
    String path = "/v1/contacts/" + created.get("id").asText();

    Response deleted = call("DELETE", path, tenant.accountKey(), null);

    assertEquals(204, deleted.status());
    assertNull(deleted.body());
    assertEquals(404, call("GET", path, tenant.accountKey(), null).status());
    assertEquals(404, call("DELETE", path, tenant.accountKey(), null).status());
    Map<String, AttributeValue> item = TestApi.scan("CONTACT#" + created.get("id").asText()).get(0);
    assertEquals("+14155550401", item.get("phone").s());
    assertEquals("9", item.get("customFields").m().values().iterator().next().s());
    assertNotEquals(null, item.get("deletedAt"));
  }

  @Test
  void afterDelete_theSamePhoneCreatesANewContact_andTheDeletedOneStaysDeleted() {
    JsonNode first = create("+14155550402", "again@example.com");
    call("DELETE", "/v1/contacts/" + first.get("id").asText(), tenant.accountKey(), null);

    Response second =
        upsert(
            tenant.accountKey(),
            Map.of(
                "workspaceId",
                tenant.workspaceId(),
                "phone",
                "+14155550402",
                "email",
                "again@example.com"));

    assertEquals(201, second.status());
    assertNotEquals(first.get("id"), second.json().get("id"));
    assertEquals(
        404,
        call("GET", "/v1/contacts/" + first.get("id").asText(), tenant.accountKey(), null)
            .status());
    assertEquals(
        0,
        TestApi.scan("WS#" + tenant.workspaceId() + "#PHONE#").stream()
            .filter(i -> i.get("contactId").s().equals(first.get("id").asText()))
            .count());
  }

  @Test
  void unknownRoute_is404_andWrongMethod_is405WithAllow() {
    Response unknown = call("GET", "/v1/nothing-here", tenant.accountKey(), null);
    Response wrongMethod = call("GET", "/v1/contacts/upsert", tenant.accountKey(), null);
    Response putContact =
        call("PUT", "/v1/contacts/" + java.util.UUID.randomUUID(), tenant.accountKey(), "{}");

    assertEquals(404, unknown.status());
    assertEquals(
        "https://api.voicecrm.example/errors/not-found", unknown.json().get("type").asText());
    assertEquals(405, wrongMethod.status());
    assertEquals("POST", wrongMethod.header("Allow"));
    assertEquals(
        "https://api.voicecrm.example/errors/method-not-allowed",
        wrongMethod.json().get("type").asText());
    assertEquals(405, putContact.status());
    assertEquals("GET, PATCH, DELETE", putContact.header("Allow"));
  }

  @Test
  void contactIdNotAUuid_is404() {
    assertEquals(404, call("GET", "/v1/contacts/12345", tenant.accountKey(), null).status());
  }
}
