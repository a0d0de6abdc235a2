package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers kept on their own (a no-op, a kept 4xx): recorded once, replayed after. */
class IdempotentAnswersTest {

  private static final Instant NOW = Instant.parse("2024-01-15T10:30:00Z");
  private static final Deadline PLENTY = Deadline.afterMillis(600_000);
  private static final Claim CLAIM = new Claim(RecordId.of("k1", "ab12"), "fp");
  private static final Answer NOT_FOUND =
      new Answer(404, "application/problem+json", "{\"requestId\":\"r1\"}", null, null);
  private static final Answer UPDATED = new Answer(200, "application/json", "{}", null, "\"2\"");

  private final InMemoryIdempotencyRecords store = new InMemoryIdempotencyRecords();
  private final IdempotentAnswers answers =
      new IdempotentAnswers(
          new AttemptLoop(store, new RetryPolicy(3, 1, 2, 0), Metrics.NONE),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void keep_recordsAKeptAnswer_forTheNextRequestWithTheKey() {
    IdempotentAnswers.Given given = answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY);
    assertEquals(new IdempotentAnswers.Given(NOT_FOUND, false), given);
    Record kept = store.records.get(CLAIM.id());
    assertEquals(NOT_FOUND, kept.answer());
    assertEquals("r1", kept.requestId());
    assertEquals(NOW.plus(Duration.ofHours(24)), kept.expiresAt());
    // The next request with the key and the same fingerprint is answered from it.
    assertEquals(
        new IdempotentAnswers.Given(NOT_FOUND, true), answers.keep(CLAIM, UPDATED, "r2", PLENTY));
  }

  @Test
  void keep_recordsNothing_forAnswersNotKept() {
    Answer conflict = new Answer(409, "application/problem+json", "{}", null, null);
    assertEquals(
        new IdempotentAnswers.Given(conflict, false), answers.keep(CLAIM, conflict, "r1", PLENTY));
    assertEquals(0, store.puts);
    assertEquals(Map.of(), store.records);
  }

  @Test
  void keep_whenADuplicateRecordedFirst_givesItsAnswer_asAReplay() {
    store.records.put(CLAIM.id(), CLAIM.recording(UPDATED, "r0", NOW.minusSeconds(5)));
    IdempotentAnswers.Given given = answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY);
    assertEquals(new IdempotentAnswers.Given(UPDATED, true), given);
    assertEquals(UPDATED, store.records.get(CLAIM.id()).answer());
  }

  @Test
  void keep_whenThisVeryRequestRecordedFirst_givesItsOwnAnswer_notAsAReplay() {
    // Its first put was applied and its response lost; the retried put finds its own record.
    store.records.put(CLAIM.id(), CLAIM.recording(NOT_FOUND, "r1", NOW));
    assertEquals(
        new IdempotentAnswers.Given(NOT_FOUND, false),
        answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY));
  }

  @Test
  void keep_whenTheKeyAnsweredAnotherRequest_is422_andKeepsTheFirstRecord() {
    Record other = new Claim(CLAIM.id(), "other").recording(UPDATED, "r0", NOW);
    store.records.put(CLAIM.id(), other);
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY));
    assertEquals(other, store.records.get(CLAIM.id()));
  }

  @Test
  void keep_replacesAnExpiredRecord() {
    Record old =
        new Claim(CLAIM.id(), "other").recording(UPDATED, "r0", NOW.minus(Duration.ofDays(2)));
    store.records.put(CLAIM.id(), old);
    assertFalse(answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY).replayed());
    assertEquals(NOT_FOUND, store.records.get(CLAIM.id()).answer());
  }

  @Test
  void keep_whenTheStoreStaysUnavailable_is503() {
    store.unavailable = true;
    assertThrows(
        DomainException.Unavailable.class, () -> answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY));
  }

  @Test
  void keep_underThisBatchsOwnClaim_givesTheAnswer_unkept_andLeavesTheClaim() {
    // An envelope problem met after the batch claimed the key (its workspace deleted since, its
    // bytes sent with another Content-Type): the items' records are the batch's answers.
    Record claim = CLAIM.batchClaim("r0", NOW.minusSeconds(5));
    store.records.put(CLAIM.id(), claim);
    IdempotentAnswers.Given given = answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY);
    assertEquals(new IdempotentAnswers.Given(NOT_FOUND, false), given);
    assertEquals(claim, store.records.get(CLAIM.id()));
  }

  @Test
  void keep_underAnotherBatchsClaim_is422() {
    store.records.put(CLAIM.id(), new Claim(CLAIM.id(), "batch").batchClaim("r0", NOW));
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> answers.keep(CLAIM, NOT_FOUND, "r1", PLENTY));
  }
}
