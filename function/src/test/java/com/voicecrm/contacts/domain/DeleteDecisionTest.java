package com.voicecrm.contacts.domain;

import static com.voicecrm.contacts.domain.DecisionFixtures.A;
import static com.voicecrm.contacts.domain.DecisionFixtures.T0;
import static com.voicecrm.contacts.domain.DecisionFixtures.T1;
import static com.voicecrm.contacts.domain.DecisionFixtures.WS;
import static com.voicecrm.contacts.domain.DecisionFixtures.contact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPEC 4 and If-Match (SPEC 8) on DELETE: what a delete decides from one read, on values. */
class DeleteDecisionTest {

  private static final ApiKeyScope ACCOUNT_KEY = new ApiKeyScope("acc", null, "k1");
  private static final Contact ANN = contact(A, "+14155551234", "a@b.co");

  @Test
  void anActiveContact_isSoftDeleted_releasingBothIdentifiers_dataKept() {
    Decision.Write write =
        assertInstanceOf(
            Decision.Write.class,
            DeleteDecision.decide(Optional.of(ANN), ACCOUNT_KEY, null, Attempts.NONE, T1));

    assertEquals(Decision.Effect.DELETED, write.effect());
    assertEquals(T1, write.contact().deletedAt());
    assertEquals("Ann", write.contact().firstName());
    assertEquals(3L, write.write().expectedVersion());
    assertEquals(
        List.of(Identifier.phone("+14155551234"), Identifier.email("a@b.co")),
        write.write().releases());
  }

  @Test
  void absent_deleted_orOutOfReach_isNotFound() {
    for (ApiKeyScope scope :
        new ApiKeyScope[] {
          new ApiKeyScope("other", null, "k"), new ApiKeyScope("acc", "another-ws", "k")
        }) {
      assertEquals(
          new Decision.NotFound(),
          DeleteDecision.decide(Optional.of(ANN), scope, null, Attempts.NONE, T1));
    }
    assertEquals(
        new Decision.NotFound(),
        DeleteDecision.decide(Optional.empty(), ACCOUNT_KEY, null, Attempts.NONE, T1));
    assertEquals(
        new Decision.NotFound(),
        DeleteDecision.decide(
            Optional.of(ANN.softDeleted(T0)), ACCOUNT_KEY, null, Attempts.NONE, T1));
    assertInstanceOf(
        Decision.Write.class,
        DeleteDecision.decide(
            Optional.of(ANN), new ApiKeyScope("x", WS, "k"), null, Attempts.NONE, T1));
  }

  @Test
  void ifMatch_otherVersion_isPreconditionFailed_itsOwnVersionOrStarDeletes() {
    assertEquals(
        new Decision.PreconditionFailed(),
        DeleteDecision.decide(
            Optional.of(ANN),
            ACCOUNT_KEY,
            VersionPrecondition.ofIfMatch("\"2\""),
            Attempts.NONE,
            T1));
    for (String ifMatch : new String[] {"\"3\"", "*", "\"1\", \"3\""}) {
      assertInstanceOf(
          Decision.Write.class,
          DeleteDecision.decide(
              Optional.of(ANN),
              ACCOUNT_KEY,
              VersionPrecondition.ofIfMatch(ifMatch),
              Attempts.NONE,
              T1));
    }
  }

  @Test
  void aRetryFindingItsOwnLostResponseDelete_succeeds_insteadOf404() {
    Contact deleted = ANN.softDeleted(T1);

    assertEquals(
        new Decision.Answer(deleted, Decision.Effect.DELETED),
        DeleteDecision.decide(
            Optional.of(deleted), ACCOUNT_KEY, null, Attempts.NONE.and(deleted, false), T1));
    // Deleted by someone else at another moment: not this request's write.
    assertEquals(
        new Decision.NotFound(),
        DeleteDecision.decide(
            Optional.of(ANN.softDeleted(T0)),
            ACCOUNT_KEY,
            null,
            Attempts.NONE.and(deleted, false),
            T1));
  }
}
