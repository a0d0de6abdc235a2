package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plain values the decision tests decide on. */
final class DecisionFixtures {

  static final String WS = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
  static final String NEW_ID = "00000000-0000-4000-8000-000000000001";
  static final String A = "aaaaaaaa-0000-4000-8000-000000000000";
  static final String B = "bbbbbbbb-0000-4000-8000-000000000000";
  static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");
  static final Instant T1 = Instant.parse("2024-01-16T10:30:00Z");
  static final Workspace WORKSPACE =
      new Workspace(
          WS,
          "acc",
          "Main",
          "America/New_York",
          List.of(new CustomFieldDefinition("f-mrr", "MRR")));

  private DecisionFixtures() {}

  static ContactFields phoneAndEmail(String phone, String email) {
    return new ContactFields(null, null, email, phone, null, List.of(), Map.of());
  }

  /** An active contact of the workspace at version 3, updated at T0. */
  static Contact contact(String id, String phone, String email) {
    return new Contact(
        id, WS, "acc", "Ann", null, email, phone, null, List.of("b"), Map.of(), T0, T0, null, 3);
  }

  static WriteSnapshot snapshot(String phoneOwner, String emailOwner, Contact target) {
    return new WriteSnapshot(WORKSPACE, phoneOwner, emailOwner, Set.of(), target, Attempts.NONE);
  }
}
