package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC 11's value rules: which answers are kept, when a record counts, what replays. */
class IdempotencyTest {

  private static final Instant NOW = Instant.parse("2024-01-15T10:30:00.750Z");
  private static final Claim CLAIM = new Claim(RecordId.of("k1", "ab12"), "fp");
  private static final Answer CREATED =
      new Answer(201, "application/json", "{}", "/v1/contacts/c1", "\"0\"");

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204, 207, 400, 404, 405, 413, 415, 422})
  void kept_are2xx_andMost4xx(int status) {
    assertTrue(Answer.isKept(status));
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 409, 412, 429, 500, 502, 503, 504, 100, 302})
  void notKept_areAuthConflictsPreconditionsThrottlingAnd5xx(int status) {
    assertFalse(Answer.isKept(status));
  }

  @Test
  void recording_expiresAfter24Hours_toTheSecond() {
    Record record = CLAIM.recording(CREATED, "r1", NOW);
    assertEquals(Instant.parse("2024-01-16T10:30:00Z"), record.expiresAt());
    assertEquals(Duration.ofHours(24), Idempotency.RETENTION);
    assertEquals("r1", record.requestId());
    assertEquals(CLAIM.id(), record.id());
    assertEquals("fp", record.fingerprint());
  }

  @Test
  void record_isLiveUntilTheSecondItExpires_thenAbsent() {
    Record record = CLAIM.recording(CREATED, "r1", NOW);
    assertTrue(record.isLiveAt(Instant.parse("2024-01-16T10:29:59.999Z")));
    assertFalse(record.isLiveAt(Instant.parse("2024-01-16T10:30:00Z")));
    assertFalse(record.isLiveAt(Instant.parse("2024-01-17T00:00:00Z")));
  }

  @Test
  void replayFrom_nothing_orAnExpiredRecord_runsTheRequest() {
    assertEquals(Optional.empty(), CLAIM.replayFrom(Optional.empty(), NOW));
    Record expired = CLAIM.recording(CREATED, "r1", NOW.minus(Duration.ofHours(25)));
    assertEquals(Optional.empty(), CLAIM.replayFrom(Optional.of(expired), NOW));
    Record expiredOther =
        new Claim(CLAIM.id(), "other").recording(CREATED, "r1", NOW.minus(Duration.ofHours(25)));
    assertEquals(Optional.empty(), CLAIM.replayFrom(Optional.of(expiredOther), NOW));
  }

  @Test
  void replayFrom_aLiveRecordOfTheSameRequest_isItsAnswer() {
    Record record = CLAIM.recording(CREATED, "r1", NOW.minusSeconds(60));
    assertEquals(Optional.of(record), CLAIM.replayFrom(Optional.of(record), NOW));
    assertTrue(record.isReplayFor("r2"));
    // The request that recorded it (its write applied, its answer lost) gives its own answer.
    assertFalse(record.isReplayFor("r1"));
  }

  @Test
  void replayFrom_aLiveRecordOfAnotherRequest_is422() {
    Record other = new Claim(CLAIM.id(), "other").recording(CREATED, "r1", NOW);
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> CLAIM.replayFrom(Optional.of(other), NOW));
  }

  @Test
  void itemClaims_shareTheBatchsFingerprint_underTheirOwnRecord() {
    Claim item = CLAIM.item(7);
    assertEquals(new RecordId("k1", "ab12", 7), item.id());
    assertEquals("fp", item.fingerprint());
    assertThrows(IllegalArgumentException.class, () -> CLAIM.item(-1));
  }

  @Test
  void batchClaim_holdsNoAnswer_andLastsAsLongAsARecord() {
    Record claim = CLAIM.batchClaim("r1", NOW);
    assertTrue(claim.isBatchClaim());
    assertFalse(CLAIM.recording(CREATED, "r1", NOW).isBatchClaim());
    assertThrows(IllegalStateException.class, claim::answer);
    assertEquals(CLAIM.id(), claim.id());
    assertEquals("fp", claim.fingerprint());
    assertEquals(Instant.parse("2024-01-16T10:30:00Z"), claim.expiresAt());
    // Only the whole request is claimed: an item's record always holds its answer.
    assertThrows(
        IllegalArgumentException.class,
        () -> new Record(CLAIM.id().item(0), "fp", null, "r1", claim.expiresAt()));
  }

  @Test
  void aBatchClaim_ofTheSameBatch_isClaimedIn_andNothingToReplay() {
    Record claim = CLAIM.batchClaim("r1", NOW.minusSeconds(60));
    assertTrue(CLAIM.claimedIn(Optional.of(claim), NOW));
    assertEquals(Optional.empty(), CLAIM.replayFrom(Optional.of(claim), NOW));
  }

  @Test
  void aBatchClaim_isNotClaimedIn_whenAbsentExpiredOrAnAnswer() {
    assertFalse(CLAIM.claimedIn(Optional.empty(), NOW));
    Record expired = CLAIM.batchClaim("r1", NOW.minus(Duration.ofHours(25)));
    assertFalse(CLAIM.claimedIn(Optional.of(expired), NOW));
    assertFalse(CLAIM.claimedIn(Optional.of(CLAIM.recording(CREATED, "r1", NOW)), NOW));
  }

  @Test
  void aBatchClaim_ofAnotherRequest_is422_forEveryReader() {
    // A single-contact route under a key a batch claimed: another fingerprint.
    Record batchClaim = new Claim(CLAIM.id(), "batch-fp").batchClaim("r1", NOW);
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> CLAIM.replayFrom(Optional.of(batchClaim), NOW));
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> CLAIM.claimedIn(Optional.of(batchClaim), NOW));
    // A batch under a key another request answered.
    Record answered = new Claim(CLAIM.id(), "other").recording(CREATED, "r1", NOW);
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> CLAIM.claimedIn(Optional.of(answered), NOW));
  }
}
