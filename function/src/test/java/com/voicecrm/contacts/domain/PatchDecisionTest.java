package com.voicecrm.contacts.domain;

import static com.voicecrm.contacts.domain.DecisionFixtures.A;
import static com.voicecrm.contacts.domain.DecisionFixtures.B;
import static com.voicecrm.contacts.domain.DecisionFixtures.T0;
import static com.voicecrm.contacts.domain.DecisionFixtures.T1;
import static com.voicecrm.contacts.domain.DecisionFixtures.WORKSPACE;
import static com.voicecrm.contacts.domain.DecisionFixtures.contact;
import static com.voicecrm.contacts.domain.DecisionFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPEC 8: what a patch decides from one read, on values. */
class PatchDecisionTest {

  /** Ann: phone and email, tag "b", MRR 10, version 3, updated at T0. */
  private static final Contact ANN =
      new Contact(
          A,
          DecisionFixtures.WS,
          "acc",
          "Ann",
          "Lee",
          "ann@b.co",
          "+14155551234",
          "America/Chicago",
          List.of("b"),
          Map.of("f-mrr", "10"),
          T0,
          T0,
          null,
          3);

  private static ContactFields fields(String first, String email, String phone, String timezone) {
    return new ContactFields(first, null, email, phone, timezone, List.of(), Map.of());
  }

  private static PatchRequest patch(ContactFields fields) {
    return PatchRequest.of(fields, List.of(), false, null);
  }

  private static Decision decide(PatchRequest request) {
    return PatchDecision.decide(request, snapshot(null, null, ANN), T1);
  }

  private static Contact written(Decision decision) {
    return assertInstanceOf(Decision.Write.class, decision).contact();
  }

  @Test
  void presentFieldsOverwrite_absentOnesStay_nullClears() {
    Contact after = written(decide(patch(fields("Bo", null, null, ""))));

    assertEquals("Bo", after.firstName());
    assertEquals("Lee", after.lastName());
    assertEquals("ann@b.co", after.email());
    assertNull(after.timezone());
    assertEquals(4L, after.version());
    assertEquals(T1, after.updatedAt());
    assertEquals(T0, after.createdAt());
  }

  @Test
  void preserveExisting_fillsOnlyEmptyFields_andItsNullsChangeNothing() {
    ContactFields fields = new ContactFields("Bo", "", null, null, "UTC", List.of(), Map.of());
    Decision filledNothing = decide(PatchRequest.of(fields, List.of(), true, null));

    assertEquals(new Decision.Answer(ANN, Decision.Effect.UNCHANGED), filledNothing);

    Contact noZone =
        new Contact(
            A,
            DecisionFixtures.WS,
            "acc",
            null,
            null,
            "ann@b.co",
            null,
            null,
            List.of(),
            Map.of(),
            T0,
            T0,
            null,
            3);
    Contact filled =
        written(
            PatchDecision.decide(
                PatchRequest.of(fields, List.of(), true, null), snapshot(null, null, noZone), T1));
    assertEquals("Bo", filled.firstName());
    assertEquals("UTC", filled.timezone());
  }

  @Test
  void customFields_presentOverwrite_nullClearsThatKey_unknownNamesAreInvalid() {
    Map<String, String> clear = new HashMap<>();
    clear.put("MRR", null);
    Contact cleared =
        written(decide(patch(new ContactFields(null, null, null, null, null, List.of(), clear))));
    assertEquals(Map.of(), cleared.customFieldValues());

    Decision unknown =
        decide(
            patch(new ContactFields(null, null, null, null, null, List.of(), Map.of("Nope", "x"))));
    assertInstanceOf(Decision.Invalid.class, unknown);
  }

  @Test
  void tagsAreAdded_removeTagsRemoved_absentOnesIgnored_andOnlyNewTagsRegistered() {
    ContactFields add = new ContactFields(null, null, null, null, null, List.of("a"), Map.of());
    Decision decision =
        PatchDecision.decide(
            PatchRequest.of(add, List.of("b", "never-had"), false, null),
            snapshot(null, null, ANN),
            T1);

    Decision.Write write = assertInstanceOf(Decision.Write.class, decision);
    assertEquals(List.of("a"), write.contact().tags());
    assertEquals(Set.of("a"), write.write().tagsToRegister());
  }

  @Test
  void clearingThePhone_releasesItsClaim_inTheSameWrite() {
    Decision.Write write =
        assertInstanceOf(Decision.Write.class, decide(patch(fields(null, null, "", null))));

    assertNull(write.contact().phone());
    assertEquals(List.of(Identifier.phone("+14155551234")), write.write().releases());
    assertEquals(List.of(), write.write().claims());
    assertEquals(3L, write.write().expectedVersion());
  }

  @Test
  void clearingBothIdentifiers_isInvalid_andSoIsClearingTheOnlyOne() {
    Decision both = decide(patch(fields(null, "", "", null)));
    Contact phoneOnly = contact(A, "+14155551234", null);
    Decision onlyOne =
        PatchDecision.decide(
            patch(fields(null, null, "", null)), snapshot(null, null, phoneOnly), T1);

    assertEquals(
        new Decision.Invalid(
            List.of(
                new FieldError("phone", PatchDecision.NEITHER_IDENTIFIER),
                new FieldError("email", PatchDecision.NEITHER_IDENTIFIER))),
        both);
    assertEquals(
        new Decision.Invalid(List.of(new FieldError("phone", PatchDecision.NEITHER_IDENTIFIER))),
        onlyOne);
  }

  @Test
  void aNewPhoneOrEmailHeldByAnotherContact_isAConflictNamingIt_andNothingIsWritten() {
    Decision decision =
        PatchDecision.decide(
            patch(fields(null, "bo@b.co", "+14155559999", null)), snapshot(B, B, ANN), T1);

    assertEquals(
        new Decision.Conflicting(
            List.of(new IdentifierConflict("phone", B), new IdentifierConflict("email", B))),
        decision);
  }

  @Test
  void itsOwnIdentifiers_orAHeldOneThatPreserveExistingIgnores_areNoConflict() {
    assertEquals(
        new Decision.Answer(ANN, Decision.Effect.UNCHANGED),
        PatchDecision.decide(
            patch(fields(null, null, "+14155551234", null)), snapshot(A, null, ANN), T1));
    // Changing only the email's case: a change, but no identifier moves and no conflict.
    Decision.Write recased =
        assertInstanceOf(
            Decision.Write.class,
            PatchDecision.decide(
                patch(fields(null, "ANN@b.co", null, null)), snapshot(null, A, ANN), T1));
    assertEquals(List.of(), recased.write().claims());
    assertEquals(
        new Decision.Answer(ANN, Decision.Effect.UNCHANGED),
        PatchDecision.decide(
            PatchRequest.of(fields(null, null, "+14155559999", null), List.of(), true, null),
            snapshot(B, null, ANN),
            T1));
  }

  @Test
  void ifMatch_otherVersion_is412_evenForANoOp_itsOwnOrStarGoesAhead() {
    ContactFields rename = fields("Bo", null, null, null);

    assertEquals(
        new Decision.PreconditionFailed(),
        decide(PatchRequest.of(ContactFields.NONE, List.of(), false, ifMatch("\"2\""))));
    assertInstanceOf(
        Decision.Write.class, decide(PatchRequest.of(rename, List.of(), false, ifMatch("\"3\""))));
    assertInstanceOf(
        Decision.Write.class, decide(PatchRequest.of(rename, List.of(), false, ifMatch("*"))));
  }

  @Test
  void anEmptyPatch_isANoOp_thatKeepsUpdatedAt() {
    assertEquals(
        new Decision.Answer(ANN, Decision.Effect.UNCHANGED), decide(patch(ContactFields.NONE)));
  }

  @Test
  void aChange_movesUpdatedAtStrictlyForward_evenWhenThisClockIsBehind() {
    Contact after =
        written(
            PatchDecision.decide(
                patch(fields("Bo", null, null, null)),
                snapshot(null, null, ANN),
                T0.minusSeconds(1)));

    assertEquals(T0.plusMillis(1), after.updatedAt());
  }

  @Test
  void aDeletedOrMissingContact_isNotFound_beforeAnyFieldError() {
    PatchRequest invalid =
        new PatchRequest(
            ContactFields.NONE, List.of(), false, null, List.of(new FieldError("x", "Unknown")));

    assertEquals(
        new Decision.NotFound(),
        PatchDecision.decide(invalid, snapshot(null, null, ANN.softDeleted(T0)), T1));
    assertEquals(
        new Decision.NotFound(), PatchDecision.decide(invalid, snapshot(null, null, null), T1));
    assertInstanceOf(Decision.Invalid.class, decide(invalid));
  }

  @Test
  void aRetryFindingItsOwnLostResponsePatch_answersIt_evenUnderIfMatch() {
    Contact applied = written(decide(patch(fields("Bo", null, null, null))));
    WriteSnapshot read =
        new WriteSnapshot(
            WORKSPACE, null, null, Set.of(), applied, Attempts.NONE.and(applied, false));

    assertEquals(
        new Decision.Answer(applied, Decision.Effect.UPDATED),
        PatchDecision.decide(
            PatchRequest.of(fields("Bo", null, null, null), List.of(), false, ifMatch("\"3\"")),
            read,
            T1));
  }

  private static VersionPrecondition ifMatch(String header) {
    return VersionPrecondition.ofIfMatch(header);
  }

  @Test
  void theWinnerOfARaceAtTheSameVersion_isNotTakenForThisRequestsOwnWrite() {
    Contact mine = written(decide(patch(fields("Mine", null, null, null))));
    Contact theirs = written(decide(patch(fields("Theirs", null, null, null))));
    WriteSnapshot read =
        new WriteSnapshot(WORKSPACE, null, null, Set.of(), theirs, Attempts.NONE.and(mine, false));

    Decision decision =
        PatchDecision.decide(
            PatchRequest.of(fields("Mine", null, null, null), List.of(), false, ifMatch("\"3\"")),
            read,
            T1);

    assertEquals(mine.version(), theirs.version());
    assertEquals(new Decision.PreconditionFailed(), decision);
  }
}
