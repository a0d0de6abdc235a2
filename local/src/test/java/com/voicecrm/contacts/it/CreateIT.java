package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.ProblemChecks.assertProblem;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 7 and the ETag of section 2, through the real authorizer and handler against moto.
 * Each test has a table of its own, so "nothing written" is a scan of the whole table.
 */
class CreateIT {

  private static final String CREATE = "/v1/contacts";

  private Rig rig;
  private Tenant tenant;

  @BeforeEach
  void openRig() {
    rig = Rig.open();
    tenant = rig.newTenant("America/New_York", "Lead Source");
  }

  @AfterEach
  void closeRig() {
    rig.close();
  }

  private Map<String, Object> body(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workspaceId", tenant.workspaceId());
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  private Response create(String key, Object body) {
    return rig.call("POST", CREATE, key, TestApi.json(body));
  }

  private static List<String> conflicts(Response response) {
    List<String> named = new ArrayList<>();
    response
        .json()
        .get("conflicts")
        .forEach(c -> named.add(c.get("field").asText() + "=" + c.get("contactId").asText()));
    return named;
  }

  @Test
  void create_returns201_withLocationAndETag_andTheContactReadsBackWithTheSameETag() {
    Response response =
        create(
            tenant.accountKey(),
            body(
                "firstName", " Ann ",
                "phone", "+1 (415) 555-1234",
                "email", "Ann@Example.com",
                "tags", List.of("vip"),
                "customFields", Map.of("Lead Source", "Web")));

    assertEquals(201, response.status(), response.toString());
    JsonNode contact = response.json();
    String id = contact.get("id").asText();
    assertEquals("/v1/contacts/" + id, response.header("Location"));
    assertEquals("Ann", contact.get("firstName").asText());
    assertEquals("+14155551234", contact.get("phone").asText());
    assertEquals("America/Los_Angeles", contact.get("timezone").asText());
    assertEquals("Web", contact.get("customFields").get("Lead Source").asText());
    assertTrue(response.header("ETag").matches("\"[0-9]+\""), response.header("ETag"));
    Response get = rig.call("GET", "/v1/contacts/" + id, tenant.accountKey(), null);
    assertEquals(200, get.status());
    assertEquals(response.header("ETag"), get.header("ETag"));
    // The tag was registered in the workspace, as an upsert's create does.
    assertTrue(
        rig.scan().stream()
            .anyMatch(i -> i.get("pk").s().equals("WS#" + tenant.workspaceId() + "#TAG#vip")));
  }

  @Test
  void eTag_isKeptByANoOpUpsert_andMovedByAChange() {
    Response created = create(tenant.workspaceKey(), body("phone", "+14155550100"));
    String id = created.json().get("id").asText();

    Response noOp = rig.upsert(tenant.workspaceKey(), body("phone", "+14155550100"));
    Response changed =
        rig.upsert(tenant.workspaceKey(), body("phone", "+14155550100", "firstName", "Bo"));
    Response read = rig.call("GET", "/v1/contacts/" + id, tenant.workspaceKey(), null);

    assertEquals(200, noOp.status(), noOp.toString());
    assertEquals(created.header("ETag"), noOp.header("ETag"));
    assertEquals(200, changed.status(), changed.toString());
    assertNotEquals(created.header("ETag"), changed.header("ETag"));
    assertEquals(changed.header("ETag"), read.header("ETag"));
  }

  @Test
  void phoneHeldByAnActiveContact_is409NamingIt_andNothingIsWritten() {
    String holder =
        create(tenant.accountKey(), body("phone", "+14155550101")).json().get("id").asText();
    int items = rig.scan().size();

    Response response =
        create(tenant.accountKey(), body("phone", "+1 415 555 0101", "email", "new@example.com"));

    assertEquals(409, response.status(), response.toString());
    assertProblem(response);
    assertEquals(List.of("phone=" + holder), conflicts(response));
    assertEquals(items, rig.scan().size());
  }

  @Test
  void emailHeldByAnActiveContact_is409NamingIt_caseInsensitively() {
    String holder =
        create(tenant.accountKey(), body("email", "ann@example.com")).json().get("id").asText();

    Response response =
        create(tenant.accountKey(), body("phone", "+14155550102", "email", " ANN@example.com "));

    assertEquals(409, response.status(), response.toString());
    assertEquals(List.of("email=" + holder), conflicts(response));
  }

  @Test
  void phoneAndEmailHeldByTwoContacts_is409NamingBoth() {
    String phoneHolder =
        create(tenant.accountKey(), body("phone", "+14155550103")).json().get("id").asText();
    String emailHolder =
        create(tenant.accountKey(), body("email", "bo@example.com")).json().get("id").asText();
    int items = rig.scan().size();

    Response response =
        create(tenant.workspaceKey(), body("phone", "+14155550103", "email", "bo@example.com"));

    assertEquals(409, response.status(), response.toString());
    assertEquals(List.of("phone=" + phoneHolder, "email=" + emailHolder), conflicts(response));
    assertEquals(items, rig.scan().size());
  }

  @Test
  void softDeletedHolder_doesNotConflict_andStaysDeleted() {
    String deleted =
        create(tenant.accountKey(), body("phone", "+14155550104")).json().get("id").asText();
    assertEquals(
        204, rig.call("DELETE", "/v1/contacts/" + deleted, tenant.accountKey(), null).status());

    Response response = create(tenant.accountKey(), body("phone", "+14155550104"));

    assertEquals(201, response.status(), response.toString());
    assertNotEquals(deleted, response.json().get("id").asText());
    assertEquals(
        404, rig.call("GET", "/v1/contacts/" + deleted, tenant.accountKey(), null).status());
  }

  @Test
  void preserveExisting_is400NamingIt_andNothingIsWritten() {
    int items = rig.scan().size();

    Response response =
        create(tenant.accountKey(), body("phone", "+14155550105", "preserveExisting", true));

    assertEquals(400, response.status(), response.toString());
    assertEquals("preserveExisting", response.json().get("errors").get(0).get("field").asText());
    assertEquals(items, rig.scan().size());
  }

  @Test
  void invalidBody_listsEveryProblem_andUnknownCustomFieldsToo() {
    Response response =
        create(
            tenant.accountKey(),
            body("phone", "415", "email", "nope", "customFields", Map.of("Nope", "x")));

    assertEquals(400, response.status(), response.toString());
    List<String> fields = new ArrayList<>();
    response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertEquals(List.of("email", "phone", "customFields.Nope"), fields);
  }

  @Test
  void otherAccountsWorkspace_is404_andAnotherWorkspace_is403() {
    Tenant other = rig.newTenant(null);
    Tenant sibling = rig.newTenantInAccount(tenant.accountId(), null);

    Response foreign =
        create(
            tenant.accountKey(),
            Map.of("workspaceId", other.workspaceId(), "phone", "+14155550106"));
    Response missing =
        create(
            tenant.accountKey(),
            Map.of("workspaceId", UUID.randomUUID().toString(), "phone", "+14155550106"));
    Response forbidden =
        create(
            tenant.workspaceKey(),
            Map.of("workspaceId", sibling.workspaceId(), "phone", "+14155550106"));

    assertEquals(404, foreign.status(), foreign.toString());
    assertEquals(missing.json().get("detail"), foreign.json().get("detail"));
    assertEquals(403, forbidden.status(), forbidden.toString());
  }

  @Test
  void samePhoneInAnotherWorkspace_doesNotConflict() {
    Tenant sibling = rig.newTenantInAccount(tenant.accountId(), null);
    create(tenant.accountKey(), body("phone", "+14155550107"));

    Response response =
        create(
            tenant.accountKey(),
            Map.of("workspaceId", sibling.workspaceId(), "phone", "+14155550107"));

    assertEquals(201, response.status(), response.toString());
  }

  @Test
  void otherMethods_are405_allowingGetAndPost() {
    // GET is the list route (SPEC 9, ListIT).
    for (String method : List.of("PUT", "DELETE", "PATCH")) {
      Response response = rig.call(method, CREATE, tenant.accountKey(), null);
      assertEquals(405, response.status(), method + " " + response);
      assertEquals("GET, POST", response.header("Allow"));
      assertProblem(response);
    }
  }

  @Test
  void parallelCreatesOfOnePhone_giveOne201_andEvery409NamesThatContact() throws Exception {
    int writers = 20;
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      Map<String, Object> body = body("phone", "+14155550108", "tags", List.of("writer-" + i));
      calls.add(() -> create(tenant.accountKey(), body));
    }

    List<Response> responses = ConcurrencyIT.race(calls);

    List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
    assertEquals(1, created.size(), responses::toString);
    String winner = created.get(0).json().get("id").asText();
    for (Response response : responses) {
      if (response.status() != 201) {
        assertEquals(409, response.status(), response.toString());
        assertEquals(List.of("phone=" + winner), conflicts(response));
      }
    }
    // One contact, one claim, and only the winner's tag registered.
    var items = rig.scan();
    assertEquals(1, items.stream().filter(i -> i.get("sk").s().equals("CONTACT")).count());
    assertEquals(1, items.stream().filter(i -> i.get("sk").s().equals("IDENTIFIER")).count());
    assertEquals(1, items.stream().filter(i -> i.get("sk").s().equals("TAG")).count());
    assertEquals(List.of(), TableInvariants.violations(rig.plain, rig.table, tenant.workspaceId()));
  }
}
