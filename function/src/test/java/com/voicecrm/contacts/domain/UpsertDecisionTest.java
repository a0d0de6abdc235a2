package com.voicecrm.contacts.domain;

import static com.voicecrm.contacts.domain.DecisionFixtures.A;
import static com.voicecrm.contacts.domain.DecisionFixtures.B;
import static com.voicecrm.contacts.domain.DecisionFixtures.NEW_ID;
import static com.voicecrm.contacts.domain.DecisionFixtures.T0;
import static com.voicecrm.contacts.domain.DecisionFixtures.T1;
import static com.voicecrm.contacts.domain.DecisionFixtures.WORKSPACE;
import static com.voicecrm.contacts.domain.DecisionFixtures.WS;
import static com.voicecrm.contacts.domain.DecisionFixtures.contact;
import static com.voicecrm.contacts.domain.DecisionFixtures.phoneAndEmail;
import static com.voicecrm.contacts.domain.DecisionFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPEC 3.2–3.4: what an upsert decides from one read, on values. */
class UpsertDecisionTest {

  private static UpsertRequest upsert(ContactFields fields) {
    return UpsertRequest.of(WS, fields, false);
  }

  @Test
  void nobodyHoldsTheIdentifiers_createsAContactClaimingBoth_andRegistersOnlyNewTags() {
    ContactFields fields =
        new ContactFields(
            null, null, "A@b.co", "+14155551234", null, List.of("known", "new"), Map.of());
    WriteSnapshot read =
        new WriteSnapshot(WORKSPACE, null, null, Set.of("known"), null, Attempts.NONE);

    Decision.Write write =
        assertInstanceOf(
            Decision.Write.class, UpsertDecision.decide(upsert(fields), read, NEW_ID, T0));

    assertEquals(Decision.Effect.CREATED, write.effect());
    ContactWrite w = write.write();
    assertNull(w.expectedVersion());
    assertEquals(NEW_ID, w.contact().id());
    assertEquals(List.of(Identifier.phone("+14155551234"), Identifier.email("a@b.co")), w.claims());
    assertEquals(Set.of("new"), w.tagsToRegister());
    assertEquals(T0, w.contact().createdAt());
    assertEquals(T0, w.contact().updatedAt());
  }

  @Test
  void matchedId_isThePhonesHolder_beforeTheEmails() {
    assertEquals(A, UpsertDecision.matchedId(A, B));
    assertEquals(B, UpsertDecision.matchedId(null, B));
    assertNull(UpsertDecision.matchedId(null, null));
  }

  @Test
  void upsert_keepsExistingEmail_whenEmailHeldByAnotherContact() {
    Contact a = contact(A, "+14155551234", "ann@example.com");
    ContactFields fields =
        new ContactFields("X", null, "taken@b.co", "+14155551234", null, List.of(), Map.of());

    Decision.Write write =
        assertInstanceOf(
            Decision.Write.class,
            UpsertDecision.decide(upsert(fields), snapshot(A, B, a), NEW_ID, T1));

    assertEquals("ann@example.com", write.contact().email());
    assertEquals("X", write.contact().firstName());
    assertEquals(List.of(), write.write().claims());
    assertEquals(List.of(), write.write().releases());
  }

  @Test
  void changingEmail_releasesTheOldAndClaimsTheNew_atTheReadVersion() {
    Contact a = contact(A, "+14155551234", "old@b.co");

    Decision.Write write =
        assertInstanceOf(
            Decision.Write.class,
            UpsertDecision.decide(
                upsert(phoneAndEmail("+14155551234", "new@b.co")),
                snapshot(A, null, a),
                NEW_ID,
                T1));

    assertEquals(Decision.Effect.UPDATED, write.effect());
    assertEquals(List.of(Identifier.email("new@b.co")), write.write().claims());
    assertEquals(List.of(Identifier.email("old@b.co")), write.write().releases());
    assertEquals(3L, write.write().expectedVersion());
    assertEquals(4L, write.contact().version());
  }

  @Test
  void changingOnlyTheCaseOfAnEmail_movesNoIdentifier() {
    Contact a = contact(A, null, "ann@b.co");

    Decision.Write write =
        assertInstanceOf(
            Decision.Write.class,
            UpsertDecision.decide(
                upsert(phoneAndEmail(null, "Ann@B.co")), snapshot(null, A, a), NEW_ID, T1));

    assertEquals("Ann@B.co", write.contact().email());
    assertEquals(List.of(), write.write().claims());
    assertEquals(List.of(), write.write().releases());
  }

  @Test
  void anUpsertThatChangesNothing_answersTheContact_andWritesNothing() {
    Contact a = contact(A, "+14155551234", null);

    Decision.Answer answer =
        assertInstanceOf(
            Decision.Answer.class,
            UpsertDecision.decide(
                upsert(phoneAndEmail("+14155551234", null)), snapshot(A, null, a), NEW_ID, T1));

    assertEquals(Decision.Effect.UNCHANGED, answer.effect());
    assertEquals(a, answer.contact());
  }

  @Test
  void aChange_movesUpdatedAtStrictlyForward_evenWhenThisClockIsBehind() {
    Contact a = contact(A, "+14155551234", null);
    ContactFields rename =
        new ContactFields("Bo", null, null, "+14155551234", null, List.of(), Map.of());

    Decision.Write write =
        assertInstanceOf(
            Decision.Write.class,
            UpsertDecision.decide(
                upsert(rename), snapshot(A, null, a), NEW_ID, T0.minusSeconds(5)));

    assertEquals(T0.plusMillis(1), write.contact().updatedAt());
  }

  @Test
  void aRetryFindingItsOwnLostResponseCreate_answers201_whetherOrNotItChangesMore() {
    Contact own = contact(A, "+14155551234", null);
    Attempts earlier = Attempts.NONE.and(own, true);
    WriteSnapshot read = new WriteSnapshot(WORKSPACE, A, null, Set.of(), own, earlier);

    Decision same =
        UpsertDecision.decide(upsert(phoneAndEmail("+14155551234", null)), read, NEW_ID, T1);
    Decision more =
        UpsertDecision.decide(
            upsert(new ContactFields("Bo", null, null, "+14155551234", null, List.of(), Map.of())),
            read,
            NEW_ID,
            T1);

    assertEquals(new Decision.Answer(own, Decision.Effect.CREATED), same);
    assertEquals(Decision.Effect.CREATED, ((Decision.Write) more).effect());
  }

  @Test
  void anIdentifierPointingAtNoActiveContactOfTheWorkspace_meansReadAgain() {
    ContactFields fields = phoneAndEmail("+14155551234", null);
    Contact deleted = contact(A, "+14155551234", null).softDeleted(T0);
    Contact elsewhere =
        new Contact(
            A, "other", "acc", null, null, null, "+1", null, List.of(), Map.of(), T0, T0, null, 0);

    for (Contact target : new Contact[] {null, deleted, elsewhere, contact(B, null, null)}) {
      assertInstanceOf(
          Decision.ReadAgain.class,
          UpsertDecision.decide(upsert(fields), snapshot(A, null, target), NEW_ID, T1));
    }
  }

  @Test
  void customFieldNamesUnknownToTheWorkspace_areInvalid_eachNamed() {
    ContactFields fields =
        new ContactFields(
            null, null, null, "+14155551234", null, List.of(), Map.of("MRR", "1", "Nope", "x"));

    Decision decision =
        UpsertDecision.decide(upsert(fields), snapshot(null, null, null), NEW_ID, T0);

    assertEquals(
        new Decision.Invalid(
            List.of(
                new FieldError(
                    "customFields.Nope", "No custom field with this name in the workspace"))),
        decision);
  }
}
