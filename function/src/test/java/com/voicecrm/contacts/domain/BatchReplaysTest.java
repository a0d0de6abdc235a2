package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A keyed batch's claim on its key: put once before any item writes, or 422, or a replay. */
class BatchReplaysTest {

  private static final Instant NOW = Instant.parse("2024-01-15T10:30:00Z");
  private static final Deadline PLENTY = Deadline.afterMillis(600_000);
  private static final Claim BATCH = new Claim(RecordId.of("k1", "ab12"), "batch-fp");
  private static final Answer NOT_FOUND =
      new Answer(404, "application/problem+json", "{\"requestId\":\"r0\"}", null, null);

  private final InMemoryIdempotencyRecords store = new InMemoryIdempotencyRecords();
  private final AttemptLoop loop =
      new AttemptLoop(store, new RetryPolicy(3, 1, 2, 0), Metrics.NONE);
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void claim_onAFreeKey_putsTheBatchsClaim_atTheWholeRequestId() {
    assertEquals(Optional.empty(), BatchReplays.claim(loop, BATCH, "r1", PLENTY, clock));
    Record put = store.records.get(BATCH.id());
    assertTrue(put.isBatchClaim());
    assertEquals("batch-fp", put.fingerprint());
    assertEquals("r1", put.requestId());
    assertEquals(NOW.plus(Duration.ofHours(24)), put.expiresAt());
    assertEquals(1, store.puts);
  }

  @Test
  void claim_takenByADuplicateOfThisBatch_isAsGood() {
    Record first = BATCH.batchClaim("r0", NOW.minusSeconds(1));
    store.records.put(BATCH.id(), first);
    assertEquals(Optional.empty(), BatchReplays.claim(loop, BATCH, "r1", PLENTY, clock));
    assertEquals(first, store.records.get(BATCH.id()), "the first claim stays");
  }

  @Test
  void claim_underAKeyAnotherRequestTook_is422_andLeavesItsRecord() {
    Record upsert =
        new Claim(BATCH.id(), "upsert-fp")
            .recording(new Answer(201, "application/json", "{}", null, null), "r0", NOW);
    store.records.put(BATCH.id(), upsert);
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> BatchReplays.claim(loop, BATCH, "r1", PLENTY, clock));
    assertEquals(upsert, store.records.get(BATCH.id()));
  }

  @Test
  void claim_underAnEnvelopeAnswerThisBatchKeptFirst_isThatAnswer_toReplay() {
    Record kept = BATCH.recording(NOT_FOUND, "r0", NOW);
    store.records.put(BATCH.id(), kept);
    assertEquals(Optional.of(kept), BatchReplays.claim(loop, BATCH, "r1", PLENTY, clock));
  }

  @Test
  void claim_replacesAnExpiredRecord() {
    store.records.put(
        BATCH.id(), new Claim(BATCH.id(), "old").batchClaim("r0", NOW.minus(Duration.ofHours(25))));
    assertEquals(Optional.empty(), BatchReplays.claim(loop, BATCH, "r1", PLENTY, clock));
    assertEquals("batch-fp", store.records.get(BATCH.id()).fingerprint());
  }
}
