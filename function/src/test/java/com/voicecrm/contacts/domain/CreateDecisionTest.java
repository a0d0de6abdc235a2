package com.voicecrm.contacts.domain;

import static com.voicecrm.contacts.domain.DecisionFixtures.A;
import static com.voicecrm.contacts.domain.DecisionFixtures.B;
import static com.voicecrm.contacts.domain.DecisionFixtures.NEW_ID;
import static com.voicecrm.contacts.domain.DecisionFixtures.T0;
import static com.voicecrm.contacts.domain.DecisionFixtures.WORKSPACE;
import static com.voicecrm.contacts.domain.DecisionFixtures.WS;
import static com.voicecrm.contacts.domain.DecisionFixtures.contact;
import static com.voicecrm.contacts.domain.DecisionFixtures.phoneAndEmail;
import static com.voicecrm.contacts.domain.DecisionFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPEC 7: what a create decides from one read, on values. */
class CreateDecisionTest {

  private static final CreateRequest BOTH =
      CreateRequest.of(WS, phoneAndEmail("+14155551234", "ann@b.co"));

  @Test
  void freeIdentifiers_createTheContact_withTheUpsertsCreateRules() {
    Decision.Write write =
        assertInstanceOf(
            Decision.Write.class,
            CreateDecision.decide(BOTH, snapshot(null, null, null), NEW_ID, T0));

    assertEquals(Decision.Effect.CREATED, write.effect());
    assertNull(write.write().expectedVersion());
    assertEquals("America/Los_Angeles", write.contact().timezone());
    assertEquals(0L, write.contact().version());
    assertEquals(
        List.of(Identifier.phone("+14155551234"), Identifier.email("ann@b.co")),
        write.write().claims());
  }

  @Test
  void identifiersHeldByDifferentContacts_areEachNamed_phoneFirst() {
    Decision decision = CreateDecision.decide(BOTH, snapshot(A, B, null), NEW_ID, T0);

    Decision.Conflicting conflicting = assertInstanceOf(Decision.Conflicting.class, decision);
    assertEquals(
        List.of(new IdentifierConflict("phone", A), new IdentifierConflict("email", B)),
        conflicting.conflicts());
    assertEquals(
        "Another contact of the workspace already has this phone and email; see conflicts.",
        conflicting.exception().getMessage());
  }

  @Test
  void oneContactHoldingBoth_isNamedForEachIdentifier() {
    Decision decision = CreateDecision.decide(BOTH, snapshot(A, A, null), NEW_ID, T0);

    assertEquals(
        new Decision.Conflicting(
            List.of(new IdentifierConflict("phone", A), new IdentifierConflict("email", A))),
        decision);
    assertEquals(
        "Another contact of the workspace already has this phone and email; see conflicts.",
        ((Decision.Conflicting) decision).exception().getMessage());
  }

  @Test
  void aRetryFindingItsOwnLostResponseCreate_answersIt_notAConflictWithItself() {
    Contact own = contact(A, "+14155551234", "ann@b.co");
    WriteSnapshot read =
        new WriteSnapshot(WORKSPACE, A, A, Set.of(), null, Attempts.NONE.and(own, true));

    assertEquals(
        new Decision.Answer(own, Decision.Effect.CREATED),
        CreateDecision.decide(BOTH, read, NEW_ID, T0));
  }

  @Test
  void anEarlierUpdateOfTheHolder_isNoCreate_ofThisRequest() {
    Contact holder = contact(A, "+14155551234", null);
    WriteSnapshot read =
        new WriteSnapshot(WORKSPACE, A, null, Set.of(), null, Attempts.NONE.and(holder, false));

    assertInstanceOf(Decision.Conflicting.class, CreateDecision.decide(BOTH, read, NEW_ID, T0));
  }

  @Test
  void unknownCustomFields_areInvalid_beforeAnyConflict() {
    CreateRequest request =
        CreateRequest.of(
            WS,
            new ContactFields(null, null, null, "+14155551234", null, List.of(), Map.of("X", "1")));

    assertInstanceOf(
        Decision.Invalid.class,
        CreateDecision.decide(request, snapshot(A, null, null), NEW_ID, T0));
  }
}
