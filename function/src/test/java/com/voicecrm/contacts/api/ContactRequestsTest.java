package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.Access;
import com.voicecrm.contacts.domain.ContactFields;
import com.voicecrm.contacts.domain.CreateRequest;
import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.Emails;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.PatchRequest;
import com.voicecrm.contacts.domain.UpsertRequest;
import com.voicecrm.contacts.domain.Workspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 3.1 and 7's bodies as typed requests: values and every parse error. */
class ContactRequestsTest {

  private static Map<String, Object> body(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  private List<String> errorFields(Map<String, Object> body) {
    return ContactRequests.upsert(body).errors().stream().map(FieldError::field).toList();
  }

  @Test
  void validRequest_isNormalised() {
    UpsertRequest result =
        ContactRequests.upsert(
            body(
                "workspaceId", "6F1C2A9E-3B7D-4C11-9A54-1D2E3F4A5B6C",
                "firstName", "  Ann ",
                "email", " Ann@Example.com ",
                "phone", "+44 (20) 7946-0958",
                "tags", List.of(" vip ", "vip", "x"),
                "customFields", body("MRR", new NumberText("250.50"), "Paid", true, "Gone", null)));

    assertTrue(result.errors().isEmpty(), result.errors().toString());
    UpsertRequest request = result;
    assertEquals("6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c", request.workspaceId());
    assertEquals("Ann", request.fields().firstName());
    assertEquals("Ann@Example.com", request.fields().email());
    assertEquals("ann@example.com", Emails.key(request.fields().email()));
    assertEquals("+442079460958", request.fields().phone());
    assertEquals(List.of("vip", "x"), request.fields().tags());
    assertEquals("250.50", request.fields().customFields().get("MRR"));
    assertEquals("true", request.fields().customFields().get("Paid"));
    assertTrue(request.fields().customFields().containsKey("Gone"));
    assertNull(request.fields().customFields().get("Gone"));
    assertFalse(request.preserveExisting());
  }

  @Test
  void nullTopLevelFields_areTreatedAsOmitted() {
    Map<String, Object> body = body("phone", "+14155551234");
    body.put("firstName", null);
    body.put("tags", null);
    body.put("preserveExisting", null);

    UpsertRequest result = ContactRequests.upsert(body);

    assertTrue(result.errors().isEmpty());
    assertNull(result.fields().firstName());
    assertEquals(List.of(), result.fields().tags());
  }

  @Test
  void phoneOrEmail_isRequired() {
    assertEquals(List.of("phone"), errorFields(body("firstName", "x")));
    assertEquals(List.of(), errorFields(body("email", "a@b.co")));
  }

  @Test
  void unknownFields_areEachNamed() {
    assertEquals(
        List.of("nick", "age"), errorFields(body("nick", "x", "age", 3, "phone", "+14155551234")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "a",
        "a@b",
        "@b.co",
        "a@@b.co",
        "a b@c.co",
        "a@b.co.",
        "a@.co",
        "a@b..co",
        "a@b@c.co"
      })
  void badEmails_areRejected(String email) {
    assertEquals(List.of("email"), errorFields(body("email", email)));
  }

  @Test
  void emailLengthLimit_is254() {
    String local = "a".repeat(64);
    String ok = local + "@" + "b".repeat(254 - 64 - 1 - 3) + ".co";
    assertEquals(254, ok.length());
    assertEquals(List.of(), errorFields(body("email", ok)));
    assertEquals(List.of("email"), errorFields(body("email", "a" + ok)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"4155551234", "+1 415 FLOWERS", "+1", "+999 123", "+1 415 555 1234 ext 5", ""})
  void badPhones_areRejected(String phone) {
    assertEquals(List.of("phone"), errorFields(body("phone", phone)));
  }

  @Test
  void phoneSeparators_areAllowed() {
    UpsertRequest result = ContactRequests.upsert(body("phone", " +1.415.555.1234 "));
    assertEquals("+14155551234", result.fields().phone());
  }

  @Test
  void names_areTrimmed_andLimitedTo255Characters() {
    assertEquals(
        List.of(), errorFields(body("phone", "+14155551234", "firstName", "é".repeat(255))));
    assertEquals(
        List.of("lastName"),
        errorFields(body("phone", "+14155551234", "lastName", "x".repeat(256))));
    assertEquals(
        "",
        ContactRequests.upsert(body("phone", "+14155551234", "firstName", "   "))
            .fields()
            .firstName());
  }

  @Test
  void timezone_mustBeAKnownZoneId() {
    assertEquals(List.of(), errorFields(body("phone", "+14155551234", "timezone", "UTC")));
    assertEquals(
        List.of(), errorFields(body("phone", "+14155551234", "timezone", "America/New_York")));
    assertEquals(
        List.of("timezone"),
        errorFields(body("phone", "+14155551234", "timezone", "america/new_york")));
    assertEquals(
        List.of("timezone"), errorFields(body("phone", "+14155551234", "timezone", "+05:00")));
  }

  @Test
  void preserveExisting_mustBeABoolean() {
    assertEquals(
        List.of("preserveExisting"),
        errorFields(body("phone", "+14155551234", "preserveExisting", "true")));
  }

  @Test
  void tags_rules() {
    assertEquals(List.of("tags"), errorFields(body("phone", "+14155551234", "tags", "vip")));
    assertEquals(
        List.of("tags[0]", "tags[1]", "tags[2]"),
        errorFields(body("phone", "+14155551234", "tags", List.of(" ", 5, "x".repeat(256)))));
    List<String> hundred = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      hundred.add("t" + i);
    }
    hundred.add("t0"); // a duplicate does not count twice
    assertEquals(List.of(), errorFields(body("phone", "+14155551234", "tags", hundred)));
    hundred.add("t100");
    assertEquals(List.of("tags"), errorFields(body("phone", "+14155551234", "tags", hundred)));
  }

  @Test
  void customFields_rejectArraysObjectsAndLongValues() {
    Map<String, Object> fields = new HashMap<>();
    fields.put("A", List.of());
    fields.put("B", Map.of());
    fields.put("C", "x".repeat(10_001));
    fields.put("D", "x".repeat(10_000));
    List<String> errors = errorFields(body("phone", "+14155551234", "customFields", fields));

    assertEquals(3, errors.size());
    assertTrue(errors.containsAll(List.of("customFields.A", "customFields.B", "customFields.C")));
    assertEquals(
        List.of("customFields"),
        errorFields(body("phone", "+14155551234", "customFields", List.of())));
  }

  @Test
  void unknownCustomFields_matchExactDisplayNames() {
    Workspace workspace =
        new Workspace("w", "a", "W", null, List.of(new CustomFieldDefinition("f1", "Lead Source")));
    UpsertRequest request =
        ContactRequests.upsert(
            body(
                "phone",
                "+14155551234",
                "customFields",
                body("Lead Source", "x", "lead source", "y", "Lead  Source", "z")));

    assertEquals(
        List.of("customFields.lead source", "customFields.Lead  Source"),
        Access.unknownCustomFields(request.customFieldNames(), workspace).stream()
            .map(FieldError::field)
            .toList());
  }

  @Test
  void workspaceId_mustBeAUuidString() {
    assertEquals(
        List.of("workspaceId"), errorFields(body("phone", "+14155551234", "workspaceId", "abc")));
    assertEquals(
        List.of("workspaceId"), errorFields(body("phone", "+14155551234", "workspaceId", 12)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "false", "null"})
  void create_rejectsPreserveExisting_whateverItsValue_alongsideOtherErrors(String value) {
    Map<String, Object> body = body("phone", "+1", "nick", "x");
    body.put("preserveExisting", value.equals("null") ? null : Boolean.valueOf(value));

    CreateRequest result = ContactRequests.create(body);

    assertEquals(
        List.of("nick", "phone", "preserveExisting"),
        result.errors().stream().map(FieldError::field).sorted().toList());
    assertEquals(
        ContactRequests.PRESERVE_EXISTING_ON_CREATE,
        result.errors().stream()
            .filter(e -> e.field().equals("preserveExisting"))
            .findFirst()
            .orElseThrow()
            .message());
  }

  @Test
  void create_acceptsEveryOtherUpsertField_normalisedAsUpsertDoes() {
    CreateRequest result =
        ContactRequests.create(
            body(
                "workspaceId", "6F1C2A9E-3B7D-4C11-9A54-1D2E3F4A5B6C",
                "firstName", " Ann ",
                "lastName", "Lee",
                "email", " Ann@Example.com ",
                "phone", "+44 (20) 7946-0958",
                "timezone", "Europe/London",
                "tags", List.of(" vip ", "vip"),
                "customFields", body("MRR", new NumberText("250"))));

    assertTrue(result.errors().isEmpty(), result.errors().toString());
    assertEquals("Ann", result.fields().firstName());
    assertEquals("+442079460958", result.fields().phone());
    assertEquals(List.of("vip"), result.fields().tags());
  }

  @Test
  void create_stillRequiresPhoneOrEmail() {
    assertEquals(
        List.of("phone"),
        ContactRequests.create(body("firstName", "x")).errors().stream()
            .map(FieldError::field)
            .toList());
  }

  @Test
  void patch_nullClearsTextFields_andIsAbsentForTheOthers() {
    Map<String, Object> body = new HashMap<>();
    for (String field :
        List.of(
            "firstName",
            "lastName",
            "email",
            "phone",
            "timezone",
            "tags",
            "removeTags",
            "customFields",
            "preserveExisting")) {
      body.put(field, null);
    }

    PatchRequest patch = ContactRequests.patch(body, null);

    assertEquals(List.of(), patch.errors());
    assertEquals(new ContactFields("", "", "", "", "", List.of(), Map.of()), patch.fields());
    assertEquals(List.of(), patch.removeTags());
    assertFalse(patch.preserveExisting());
    assertNull(patch.precondition());
  }

  @Test
  void patch_parsesAsTheUpsertDoes_withRemoveTagsAndIfMatch() {
    PatchRequest patch =
        ContactRequests.patch(
            body(
                "phone",
                "+44 (20) 7946-0958",
                "email",
                " Ann@Example.com ",
                "tags",
                List.of(" vip "),
                "removeTags",
                List.of(" old ", "old"),
                "preserveExisting",
                true,
                "customFields",
                body("MRR", new NumberText("250.50"))),
            "\"3\"");

    assertEquals(List.of(), patch.errors());
    assertEquals("+442079460958", patch.fields().phone());
    assertEquals("Ann@Example.com", patch.fields().email());
    assertEquals(List.of("vip"), patch.fields().tags());
    assertEquals(List.of("old"), patch.removeTags());
    assertTrue(patch.preserveExisting());
    assertEquals("250.50", patch.fields().customFields().get("MRR"));
    assertTrue(patch.precondition().allows(3));
    assertFalse(patch.precondition().allows(4));
  }

  @Test
  void patch_refusesWorkspaceId_unknownFields_aTagInBothLists_andBadValues_allAtOnce() {
    PatchRequest patch =
        ContactRequests.patch(
            body(
                "workspaceId",
                null,
                "nick",
                "x",
                "email",
                "not-an-email",
                "tags",
                List.of("vip", "a"),
                "removeTags",
                List.of(" vip ", 3),
                "preserveExisting",
                "yes"),
            null);

    assertEquals(
        List.of("workspaceId", "nick", "email", "preserveExisting", "removeTags[1]", "removeTags"),
        patch.errors().stream().map(FieldError::field).toList());
    assertEquals(ContactRequests.WORKSPACE_ON_PATCH, patch.errors().get(0).message());
  }

  @Test
  void patch_emptyBody_isAValidNoOpRequest_withoutPhoneOrEmail() {
    PatchRequest patch = ContactRequests.patch(body(), null);

    assertEquals(List.of(), patch.errors());
    assertEquals(ContactFields.NONE, patch.fields());
  }
}
