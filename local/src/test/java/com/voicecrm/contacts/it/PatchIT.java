package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PATCH /v1/contacts/{id} (SPEC 8) through the real gateway and handler, against moto. */
class PatchIT {

  private Tenant tenant;

  @BeforeEach
  void newWorkspace() {
    tenant = newTenant("America/New_York", "Lead Source", "MRR");
  }

  private Response create(Object... fields) {
    Map<String, Object> body = new HashMap<>();
    body.put("workspaceId", tenant.workspaceId());
    for (int i = 0; i < fields.length; i += 2) {
      body.put((String) fields[i], fields[i + 1]);
    }
    Response created = upsert(tenant.accountKey(), body);
    assertEquals(201, created.status(), created.body());
    return created;
  }

  static Response patch(String key, String id, String body, String contentType, String ifMatch) {
    var headers = TestApi.headers(key, false);
    if (contentType != null) {
      headers.put("Content-Type", List.of(contentType));
    }
    if (ifMatch != null) {
      headers.put("If-Match", List.of(ifMatch));
    }
    return TestApi.call(
        "PATCH", "/v1/contacts/" + id, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private Response patch(String id, Object body) {
    return patch(tenant.accountKey(), id, TestApi.json(body), "application/json", null);
  }

  private Response get(String id) {
    return TestApi.call("GET", "/v1/contacts/" + id, tenant.accountKey(), null);
  }

  private static JsonNode assertProblem(Response response, int status, String slug) {
    assertEquals(status, response.status(), response.body());
    JsonNode problem = ProblemChecks.assertProblem(response);
    assertEquals(ProblemChecks.ServiceContractSlugs.BASE + slug, problem.get("type").asText());
    return problem;
  }

  private static List<String> errorFields(JsonNode problem) {
    List<String> fields = new ArrayList<>();
    problem.get("errors").forEach(e -> fields.add(e.get("field").asText()));
    return fields;
  }

  private static String id(Response response) {
    return response.json().get("id").asText();
  }

  @Test
  void aPatch_changesOnlyWhatItNames_answers200WithTheNewEtag_andMovesUpdatedAtForward() {
    Response created =
        create(
            "phone", "+14155550701", "firstName", "Ada", "lastName", "Byron", "tags", List.of("a"));
    String id = id(created);
    Map<String, Object> body = new HashMap<>();
    body.put("firstName", "Augusta");
    body.put("lastName", null);
    body.put("tags", List.of("b"));
    body.put("removeTags", List.of("a", "never-had"));
    body.put("customFields", Map.of("MRR", 250));

    Response patched = patch(id, body);

    assertEquals(200, patched.status(), patched.body());
    JsonNode contact = patched.json();
    assertEquals("Augusta", contact.get("firstName").asText());
    assertTrue(contact.get("lastName").isNull());
    assertEquals("+14155550701", contact.get("phone").asText());
    assertEquals("America/Los_Angeles", contact.get("timezone").asText());
    assertEquals("[\"b\"]", contact.get("tags").toString());
    assertEquals("250", contact.get("customFields").get("MRR").asText());
    assertNotEquals(created.header("ETag"), patched.header("ETag"));
    assertTrue(
        Instant.parse(contact.get("updatedAt").asText())
            .isAfter(Instant.parse(created.json().get("updatedAt").asText())));
    Response read = get(id);
    assertEquals(patched.body(), read.body());
    assertEquals(patched.header("ETag"), read.header("ETag"));
    // The removed tag's list membership went with the write; the added one carries the new order.
    TestApi.settle(); // else the listing would be empty for now whatever the memberships
    Response byRemovedTag =
        TestApi.call(
            "GET",
            "/v1/contacts?workspaceId=" + tenant.workspaceId() + "&tag=a",
            tenant.accountKey(),
            null);
    assertEquals("[]", byRemovedTag.json().get("data").toString());
    assertEquals(
        List.of(),
        TableInvariants.violations(
            TestApi.api().dynamo(), TestApi.api().table(), tenant.workspaceId()));
  }

  @Test
  void mergePatchJson_isAccepted_andAnEmptyPatchIsANoOp_keepingEtagAndUpdatedAt() {
    Response created = create("email", "noop@example.com");
    String id = id(created);

    Response empty = patch(tenant.accountKey(), id, "{}", "application/merge-patch+json", null);
    Response same =
        patch(
            tenant.accountKey(),
            id,
            "{\"email\":\"noop@example.com\",\"tags\":null}",
            "application/merge-patch+json; charset=utf-8",
            null);

    for (Response response : List.of(empty, same)) {
      assertEquals(200, response.status(), response.body());
      assertEquals(created.header("ETag"), response.header("ETag"));
      assertEquals(created.json().get("updatedAt"), response.json().get("updatedAt"));
    }
  }

  @Test
  void otherMediaTypes_are415() {
    String id = id(create("phone", "+14155550702"));

    for (String type : new String[] {null, "text/plain", "application/json-patch+json"}) {
      assertProblem(
          patch(tenant.accountKey(), id, "{}", type, null), 415, "unsupported-media-type");
    }
  }

  @Test
  void badPatches_are400_listingEveryProblem_andWriteNothing() {
    Response created = create("phone", "+14155550703", "email", "bad@example.com");
    String id = id(created);
    Map<String, Object> body = new HashMap<>();
    body.put("workspaceId", tenant.workspaceId());
    body.put("tags", List.of("x"));
    body.put("removeTags", List.of("x"));
    body.put("customFields", Map.of("Nope", "1"));
    body.put("timezone", "Mars/Olympus");

    JsonNode problem = assertProblem(patch(id, body), 400, "validation-error");
    assertEquals(
        Set.of("workspaceId", "timezone", "removeTags", "customFields.Nope"),
        new HashSet<>(errorFields(problem)));

    Map<String, Object> clearBoth = new HashMap<>();
    clearBoth.put("phone", null);
    clearBoth.put("email", null);
    assertEquals(
        List.of("phone", "email"),
        errorFields(assertProblem(patch(id, clearBoth), 400, "validation-error")));
    assertProblem(
        patch(tenant.accountKey(), id, "{\"a\":", "application/json", null),
        400,
        "validation-error");
    assertEquals(created.header("ETag"), get(id).header("ETag"));
  }

  @Test
  void missingDeletedAndOtherTenantsContacts_are404_withOneAnswer() {
    String id = id(create("phone", "+14155550704"));
    Tenant other = newTenant(null);
    Response mine = patch(id, Map.of("firstName", "X"));
    assertEquals(200, mine.status(), mine.body());

    Response random = patch(UUID.randomUUID().toString(), Map.of("firstName", "X"));
    Response foreign =
        patch(other.accountKey(), id, "{\"firstName\":\"Y\"}", "application/json", null);
    Response foreignWorkspaceKey =
        patch(other.workspaceKey(), id, "{\"firstName\":\"Y\"}", "application/json", null);
    Response notAUuid = patch("not-a-uuid", Map.of("firstName", "X"));

    String detail = assertProblem(random, 404, "not-found").get("detail").asText();
    for (Response response : List.of(foreign, foreignWorkspaceKey, notAUuid)) {
      assertEquals(detail, assertProblem(response, 404, "not-found").get("detail").asText());
    }
    assertEquals("X", get(id).json().get("firstName").asText());

    assertEquals(
        204, TestApi.call("DELETE", "/v1/contacts/" + id, tenant.accountKey(), null).status());
    assertEquals(
        detail,
        assertProblem(patch(id, Map.of("firstName", "Z")), 404, "not-found")
            .get("detail")
            .asText());
  }

  @Test
  void aPhoneOrEmailHeldByAnotherContact_is409NamingIt_andNothingIsWritten() {
    String holder = id(create("phone", "+14155550705", "email", "holder@example.com"));
    Response target = create("phone", "+14155550706");
    String id = id(target);

    JsonNode problem =
        assertProblem(
            patch(id, Map.of("email", "HOLDER@example.com", "firstName", "Z")), 409, "conflict");

    assertEquals("email", problem.get("conflicts").get(0).get("field").asText());
    assertEquals(holder, problem.get("conflicts").get(0).get("contactId").asText());
    assertEquals(target.header("ETag"), get(id).header("ETag"));
    assertEquals(
        List.of(),
        TableInvariants.violations(
            TestApi.api().dynamo(), TestApi.api().table(), tenant.workspaceId()));
  }

  @Test
  void ifMatch_isHonoured_412AndNothingWrittenForAnotherVersion() {
    Response created = create("phone", "+14155550707");
    String id = id(created);
    Response changed = patch(id, Map.of("firstName", "First"));
    assertEquals(200, changed.status());

    Response stale =
        patch(
            tenant.accountKey(),
            id,
            "{\"firstName\":\"Stale\"}",
            "application/json",
            created.header("ETag"));
    assertProblem(stale, 412, "precondition-failed");
    assertEquals("First", get(id).json().get("firstName").asText());

    Response current =
        patch(
            tenant.accountKey(),
            id,
            "{\"firstName\":\"Second\"}",
            "application/json",
            changed.header("ETag"));
    assertEquals(200, current.status(), current.body());
    Response any =
        patch(tenant.accountKey(), id, "{\"firstName\":\"Third\"}", "application/json", "*");
    assertEquals(200, any.status(), any.body());
    assertEquals("Third", get(id).json().get("firstName").asText());
  }

  @Test
  void clearingAnIdentifier_releasesIt_soAnotherContactCanTakeIt() {
    String first = id(create("phone", "+14155550708", "email", "moving@example.com"));
    String second = id(create("phone", "+14155550709"));
    Map<String, Object> clear = new HashMap<>();
    clear.put("email", null);

    assertEquals(200, patch(first, clear).status());
    Response taken = patch(second, Map.of("email", "moving@example.com"));

    assertEquals(200, taken.status(), taken.body());
    assertTrue(get(first).json().get("email").isNull());
    Response upserted =
        upsert(
            tenant.accountKey(),
            Map.of(
                "workspaceId",
                tenant.workspaceId(),
                "email",
                "moving@example.com",
                "lastName",
                "L"));
    assertEquals(200, upserted.status());
    assertEquals(second, id(upserted));
    assertEquals(
        List.of(),
        TableInvariants.violations(
            TestApi.api().dynamo(), TestApi.api().table(), tenant.workspaceId()));
  }

  @Test
  void patchesRacingUpsertsOfOneContact_loseNoUpdate() throws Exception {
    String id = id(create("phone", "+14155550710"));
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String tag = "u" + i;
      calls.add(
          () ->
              upsert(
                  tenant.accountKey(),
                  Map.of(
                      "workspaceId",
                      tenant.workspaceId(),
                      "phone",
                      "+14155550710",
                      "tags",
                      List.of(tag))));
      String patchTag = "p" + i;
      calls.add(() -> patch(id, Map.of("tags", List.of(patchTag))));
    }

    List<Response> responses = ConcurrencyIT.race(calls);

    for (Response response : responses) {
      assertEquals(200, response.status(), response.body());
      assertEquals(id, id(response));
    }
    Set<String> tags = new HashSet<>();
    get(id).json().get("tags").forEach(t -> tags.add(t.asText()));
    for (int i = 0; i < 8; i++) {
      assertTrue(tags.contains("u" + i) && tags.contains("p" + i), tags.toString());
    }
    assertEquals(
        List.of(),
        TableInvariants.violations(
            TestApi.api().dynamo(), TestApi.api().table(), tenant.workspaceId()));
  }

  @Test
  void racingPatchesWithTheSameIfMatch_exactlyOneWins_theOthersAre412() throws Exception {
    Response created = create("phone", "+14155550711");
    String id = id(created);
    String etag = created.header("ETag");
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String name = "Writer " + i;
      calls.add(
          () ->
              patch(
                  tenant.accountKey(),
                  id,
                  TestApi.json(Map.of("firstName", name)),
                  "application/json",
                  etag));
    }

    List<Response> responses = ConcurrencyIT.race(calls);

    List<Response> won = responses.stream().filter(r -> r.status() == 200).toList();
    assertEquals(1, won.size(), responses.toString());
    responses.stream()
        .filter(r -> r.status() != 200)
        .forEach(r -> assertProblem(r, 412, "precondition-failed"));
    assertEquals(won.get(0).json().get("firstName"), get(id).json().get("firstName"));
  }
}
