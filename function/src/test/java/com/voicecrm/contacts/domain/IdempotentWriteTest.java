package com.voicecrm.contacts.domain;

import static com.voicecrm.contacts.domain.DecisionFixtures.T0;
import static com.voicecrm.contacts.domain.DecisionFixtures.WORKSPACE;
import static com.voicecrm.contacts.domain.DecisionFixtures.contact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A write under its Idempotency-Key, on plain values: what replays, what a write carries. */
class IdempotentWriteTest {

  private static final Claim CLAIM = new Claim(RecordId.of("k1", "ab12"), "fp");
  private static final Answer CREATED =
      new Answer(201, "application/json", "{\"id\":\"c1\"}", "/v1/contacts/c1", "\"0\"");

  private final List<Decision.Effect> rendered = new ArrayList<>();
  private final IdempotentWrite write =
      new IdempotentWrite(
          CLAIM,
          "r1",
          (contact, workspace, effect) -> {
            rendered.add(effect);
            assertSame(WORKSPACE, workspace);
            return CREATED;
          });

  @Test
  void aDecidedWrite_carriesItsRenderedAnswer_asTheRequestsRecord() {
    Contact ann = contact("aaaaaaaa-0000-4000-8000-000000000000", "+14155550100", null);
    Decision decided =
        new Decision.Write(Writes.create(ann, java.util.Set.of(), T0), Decision.Effect.CREATED);

    Decision.Write recorded = (Decision.Write) write.recordedIn(decided, WORKSPACE, T0);

    assertEquals(List.of(Decision.Effect.CREATED), rendered);
    Record record = recorded.write().idempotencyRecord();
    assertEquals(CLAIM.id(), record.id());
    assertEquals("fp", record.fingerprint());
    assertEquals(CREATED, record.answer());
    assertEquals("r1", record.requestId());
    assertEquals(T0.plus(Duration.ofHours(24)), record.expiresAt());
    assertEquals(((Decision.Write) decided).write().contact(), recorded.write().contact());
    assertNull(((Decision.Write) decided).write().idempotencyRecord());
  }

  @Test
  void decisionsThatWriteNothing_carryNoRecord() {
    Contact ann = contact("aaaaaaaa-0000-4000-8000-000000000000", "+14155550100", null);
    for (Decision decision :
        List.<Decision>of(
            new Decision.Answer(ann, Decision.Effect.UNCHANGED),
            new Decision.NotFound(),
            new Decision.PreconditionFailed(),
            new Decision.ReadAgain("moved"))) {
      assertSame(decision, write.recordedIn(decision, WORKSPACE, T0));
    }
    assertEquals(List.of(), rendered);
  }

  @Test
  void aLiveRecordOfThisRequest_isReplayed_anotherRequests_is422_anExpiredOne_runs() {
    Record live = CLAIM.recording(CREATED, "r0", T0);
    assertEquals(Optional.of(new Decision.Replay(live)), write.replayOf(Optional.of(live), T0));

    Record other = new Claim(CLAIM.id(), "other").recording(CREATED, "r0", T0);
    assertThrows(
        DomainException.IdempotencyKeyReused.class, () -> write.replayOf(Optional.of(other), T0));

    assertEquals(
        Optional.empty(), write.replayOf(Optional.of(other), T0.plus(Duration.ofHours(25))));
    assertEquals(Optional.empty(), write.replayOf(Optional.empty(), T0));
  }
}
