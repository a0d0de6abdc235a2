package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import java.time.Clock;
import java.util.Optional;

/**
 * Keeps the answers that no write carries (SPEC 11): a kept 4xx, a no-op. Such an answer is
 * recorded on its own with a conditional put; when a duplicate of the request recorded its answer
 * first, that answer is the one given, so every request with the key gets one consistent answer.
 */
public final class IdempotentAnswers {

  private final AttemptLoop loop;
  private final Clock clock;

  /** Answers kept through {@code loop}'s store, retried by it. */
  public IdempotentAnswers(AttemptLoop loop, Clock clock) {
    this.loop = loop;
    this.clock = clock;
  }

  /** The answer to give and whether it is an earlier request's (a replay). */
  public record Given(Answer answer, boolean replayed) {}

  /**
   * Gives {@code answer}, recording it for the claim when SPEC 11 keeps it, unless a live record
   * holds the key: then its answer (a replay), 422 when it answered another request, or, when it is
   * this very batch's claim, {@code answer} given without being kept.
   *
   * @param requestId the request that gives the answer, kept with it
   * @throws DomainException.IdempotencyKeyReused when the key answered another request
   * @throws DomainException.Unavailable when the store stayed unavailable for the whole budget
   */
  public Given keep(Claim claim, Answer answer, String requestId, Deadline deadline) {
    if (!answer.isKept()) {
      return new Given(answer, false);
    }
    return loop.read(
        deadline,
        store -> {
          try {
            store.record(claim.recording(answer, requestId, clock.instant()), clock.instant());
            return new Given(answer, false);
          } catch (ContactStore.Conflict taken) {
            Optional<Record> found = store.find(claim.id());
            if (claim.claimedIn(found, clock.instant())) {
              // This batch took the key and ran items: their records are its answers, so an
              // envelope problem met since (its workspace gone, its body unreadable as sent) is
              // given, not kept, and a retry that gets past it answers from the items.
              return new Given(answer, false);
            }
            // A duplicate recorded first: its answer is the one. An expired record that the put
            // could not replace yet (clocks a second apart) is tried again by the loop.
            return claim
                .replayFrom(found, clock.instant())
                .map(earlier -> new Given(earlier.answer(), earlier.isReplayFor(requestId)))
                .orElseThrow(() -> taken);
          }
        });
  }
}
