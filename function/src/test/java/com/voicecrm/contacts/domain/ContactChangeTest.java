package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC sections 3.3 ({@link NewContact}) and 3.4 ({@link ContactChange}), on values. */
class ContactChangeTest {

  private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");
  private static final Instant T1 = Instant.parse("2024-01-16T10:30:00Z");
  private static final Workspace WORKSPACE =
      new Workspace(
          "ws",
          "acc",
          "Main",
          "America/New_York",
          List.of(
              new CustomFieldDefinition("f-src", "Lead Source"),
              new CustomFieldDefinition("f-mrr", "MRR")));

  /** The fields and the preserveExisting flag of one write. */
  private record Request(ContactFields fields, boolean preserve) {}

  private static Request request(
      String first,
      String email,
      String phone,
      String timezone,
      boolean preserve,
      List<String> tags,
      Map<String, String> custom) {
    return new Request(
        new ContactFields(first, null, email, phone, timezone, tags, custom), preserve);
  }

  private static Contact create(Request request, Workspace workspace, String id, Instant now) {
    return NewContact.of(request.fields(), workspace, id, now);
  }

  // The old merger's signature: identifiers held by another are dropped before the change, as
  // UpsertDecision does.
  private static java.util.Optional<Contact> update(
      Contact existing,
      Request request,
      Workspace workspace,
      Instant now,
      boolean phoneHeld,
      boolean emailHeld) {
    ContactFields f = request.fields();
    ContactFields taking =
        new ContactFields(
            f.firstName(),
            f.lastName(),
            emailHeld ? null : f.email(),
            phoneHeld ? null : f.phone(),
            f.timezone(),
            f.tags(),
            f.customFields());
    return ContactChange.apply(existing, taking, request.preserve(), List.of(), workspace, now);
  }

  private static Contact existing() {
    return new Contact(
        "c1",
        "ws",
        "acc",
        "Ann",
        null,
        "ann@example.com",
        "+14155551234",
        "America/Chicago",
        List.of("b"),
        Map.of("f-mrr", "10"),
        T0,
        T0,
        null,
        3);
  }

  @Test
  void create_takesCallersTimezone_elseThePhones_elseTheWorkspaceDefault() {
    Contact withZone =
        create(
            request(null, null, "+14155551234", "UTC", false, List.of(), Map.of()),
            WORKSPACE,
            "id",
            T0);
    Contact fromPhone =
        create(
            request(null, null, "+14155551234", null, false, List.of(), Map.of()),
            WORKSPACE,
            "id",
            T0);
    Contact fromWorkspace =
        create(
            request(null, "a@b.co", null, null, false, List.of(), Map.of()), WORKSPACE, "id", T0);
    Workspace noDefault = new Workspace("ws", "acc", "W", null, List.of());
    Contact none =
        create(
            request(null, null, "+18005550100", null, false, List.of(), Map.of()),
            noDefault,
            "id",
            T0);

    assertEquals("UTC", withZone.timezone());
    assertEquals("America/Los_Angeles", fromPhone.timezone());
    assertEquals("America/New_York", fromWorkspace.timezone());
    assertNull(none.timezone());
  }

  @Test
  void create_storesCustomValuesByFieldId_dropsNulls_andSetsEqualTimestamps() {
    Map<String, String> custom = new LinkedHashMap<>();
    custom.put("MRR", "250");
    custom.put("Lead Source", null);
    Contact created =
        create(request("", "a@b.co", null, null, false, List.of("x"), custom), WORKSPACE, "id", T0);

    assertEquals(Map.of("f-mrr", "250"), created.customFieldValues());
    assertNull(created.firstName());
    assertEquals(created.createdAt(), created.updatedAt());
    assertEquals(List.of("x"), created.tags());
  }

  @Test
  void update_overwritesPresentFields_andKeepsOmittedOnes() {
    Contact updated =
        update(
                existing(),
                request("Anna", null, null, "UTC", false, List.of(), Map.of()),
                WORKSPACE,
                T1,
                false,
                false)
            .orElseThrow();

    assertEquals("Anna", updated.firstName());
    assertEquals("ann@example.com", updated.email());
    assertEquals("UTC", updated.timezone());
    assertEquals(T0, updated.createdAt());
    assertEquals(T1, updated.updatedAt());
    assertEquals(4, updated.version());
  }

  @Test
  void update_emptyStringClears_unlessPreserving() {
    Contact cleared =
        update(
                existing(),
                request("", null, null, null, false, List.of(), Map.of()),
                WORKSPACE,
                T1,
                false,
                false)
            .orElseThrow();
    assertNull(cleared.firstName());
    assertTrue(
        update(
                existing(),
                request("", null, null, null, true, List.of(), Map.of()),
                WORKSPACE,
                T1,
                false,
                false)
            .isEmpty());
  }

  @Test
  void update_preserveExisting_writesOnlyWhereEmpty() {
    Map<String, String> custom = new HashMap<>();
    custom.put("MRR", "99");
    custom.put("Lead Source", "Ads");
    Contact updated =
        update(
                existing(),
                request("Zed", "new@example.com", null, "UTC", true, List.of(), custom),
                WORKSPACE,
                T1,
                false,
                false)
            .orElseThrow();

    assertEquals("Ann", updated.firstName());
    assertEquals("ann@example.com", updated.email());
    assertEquals("America/Chicago", updated.timezone());
    assertEquals(Map.of("f-mrr", "10", "f-src", "Ads"), updated.customFieldValues());
  }

  @Test
  void update_preserveExisting_nullCustomValueChangesNothing() {
    Map<String, String> custom = new HashMap<>();
    custom.put("MRR", null);
    assertTrue(
        update(
                existing(),
                request(null, null, null, null, true, List.of(), custom),
                WORKSPACE,
                T1,
                false,
                false)
            .isEmpty());
  }

  @Test
  void update_nullCustomValueClearsThatKeyOnly() {
    Contact seeded =
        update(
                existing(),
                request(null, null, null, null, false, List.of(), Map.of("Lead Source", "Web")),
                WORKSPACE,
                T1,
                false,
                false)
            .orElseThrow();
    Map<String, String> custom = new HashMap<>();
    custom.put("MRR", null);
    Contact cleared =
        update(
                seeded,
                request(null, null, null, null, false, List.of(), custom),
                WORKSPACE,
                T1,
                false,
                false)
            .orElseThrow();

    assertEquals(Map.of("f-src", "Web"), cleared.customFieldValues());
  }

  @Test
  void update_tagsAreUnioned_evenWhenPreserving() {
    Contact updated =
        update(
                existing(),
                request(null, null, null, null, true, List.of("a", "b"), Map.of()),
                WORKSPACE,
                T1,
                false,
                false)
            .orElseThrow();
    assertEquals(List.of("a", "b"), updated.tags());
  }

  @Test
  void update_thatChangesNothing_isEmpty_andTimezoneIsNeverDerived() {
    Contact noZone =
        new Contact(
            "c1",
            "ws",
            "acc",
            null,
            null,
            null,
            "+14155551234",
            null,
            List.of(),
            Map.of(),
            T0,
            T0,
            null,
            0);
    assertTrue(
        update(
                noZone,
                request(null, null, "+14155551234", null, false, List.of(), Map.of()),
                WORKSPACE,
                T1,
                false,
                false)
            .isEmpty());
    assertTrue(
        update(
                existing(),
                request(
                    "Ann", "ann@example.com", null, null, false, List.of("b"), Map.of("MRR", "10")),
                WORKSPACE,
                T1,
                false,
                false)
            .isEmpty());
  }

  @Test
  void update_preserveExisting_treatsAnEmptyCustomValueAsEmpty() {
    Contact blank =
        new Contact(
            "c1",
            "ws",
            "acc",
            null,
            null,
            null,
            "+14155551234",
            null,
            List.of(),
            Map.of("f-mrr", ""),
            T0,
            T0,
            null,
            0);
    Contact filled =
        update(
                blank,
                request(null, null, null, null, true, List.of(), Map.of("MRR", "7")),
                WORKSPACE,
                T1,
                false,
                false)
            .orElseThrow();

    assertEquals(Map.of("f-mrr", "7"), filled.customFieldValues());
  }
}
