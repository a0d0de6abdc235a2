package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DELETE honours If-Match (SPEC 8, last line): 412 and nothing written when it names another
 * version.
 */
class DeleteIfMatchIT {

  private Tenant tenant;

  @BeforeEach
  void newWorkspace() {
    tenant = newTenant(null);
  }

  private Response create(String phone) {
    return upsert(tenant.accountKey(), Map.of("workspaceId", tenant.workspaceId(), "phone", phone));
  }

  private Response delete(String id, String ifMatch) {
    var headers = TestApi.headers(tenant.accountKey(), false);
    if (ifMatch != null) {
      headers.put("If-Match", List.of(ifMatch));
    }
    return TestApi.call("DELETE", "/v1/contacts/" + id, headers, null);
  }

  private static void assertProblem(Response response, int status, String slug) {
    assertEquals(status, response.status(), response.body());
    ProblemChecks.assertProblem(response);
    assertEquals(
        ProblemChecks.ServiceContractSlugs.BASE + slug, response.json().get("type").asText());
  }

  private Response get(String id) {
    return TestApi.call("GET", "/v1/contacts/" + id, tenant.accountKey(), null);
  }

  @Test
  void ifMatchWithTheCurrentEtag_deletes() {
    Response created = create("+14155550601");

    Response deleted = delete(created.json().get("id").asText(), created.header("ETag"));

    assertEquals(204, deleted.status(), deleted.body());
    assertEquals(404, get(created.json().get("id").asText()).status());
  }

  @Test
  void ifMatchWithAnEarlierEtag_is412_andTheContactStays() {
    Response created = create("+14155550602");
    String id = created.json().get("id").asText();
    String before = created.header("ETag");
    Response changed =
        upsert(
            tenant.accountKey(),
            Map.of(
                "workspaceId", tenant.workspaceId(), "phone", "+14155550602", "firstName", "Ada"));
    assertEquals(200, changed.status(), changed.body());

    Response refused = delete(id, before);

    assertProblem(refused, 412, "precondition-failed");
    Response still = get(id);
    assertEquals(200, still.status());
    assertEquals(changed.header("ETag"), still.header("ETag"));
  }

  @Test
  void ifMatchStar_deletesAnyActiveContact_butNotADeletedOne() {
    Response created = create("+14155550603");
    String id = created.json().get("id").asText();

    assertEquals(204, delete(id, "*").status());
    assertProblem(delete(id, "*"), 404, "not-found");
  }

  @Test
  void weakOrMalformedIfMatch_neverMatches() {
    Response created = create("+14155550604");
    String id = created.json().get("id").asText();
    String version = created.header("ETag");

    assertProblem(delete(id, "W/" + version), 412, "precondition-failed");
    assertProblem(delete(id, version.replace("\"", "")), 412, "precondition-failed");
    assertEquals(200, get(id).status());
  }
}
