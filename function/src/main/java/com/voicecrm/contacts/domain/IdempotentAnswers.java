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

  static final int RETRY_AFTER_SECONDS = 1;

  private final IdempotencyStore store;
  private final Clock clock;
  private final RetryPolicy retryPolicy;

  public IdempotentAnswers(IdempotencyStore store, Clock clock, RetryPolicy retryPolicy) {
    this.store = store;
    this.clock = clock;
    this.retryPolicy = retryPolicy;
  }

  /** The answer to give and whether it is an earlier request's (a replay). */
  public record Given(Answer answer, boolean replayed) {}

  /**
   * The earlier record of the claim's key when there is a live one: empty when the request must
   * run. One consistent read; for routes whose own reads cannot carry the record.
   *
   * @throws DomainException.IdempotencyKeyReused when the key answered another request
   */
  public Optional<Record> earlier(Claim claim, Deadline deadline) {
    IdempotencyStore store = this.store.within(deadline);
    return retrying(deadline, () -> claim.replayFrom(store.find(claim.id()), clock.instant()));
  }

  /**
   * Gives {@code answer}, recording it for the claim when SPEC 11 keeps it, unless a live record
   * holds the key: then its answer (a replay), or 422 when it answered another request.
   *
   * @param requestId the request that gives the answer, kept with it
   * @throws DomainException.IdempotencyKeyReused when the key answered another request
   * @throws DomainException.Unavailable when the store stayed unavailable for the whole budget
   */
  public Given keep(Claim claim, Answer answer, String requestId, Deadline deadline) {
    if (!answer.isKept()) {
      return new Given(answer, false);
    }
    IdempotencyStore store = this.store.within(deadline);
    return retrying(
        deadline,
        () -> {
          try {
            store.record(claim.recording(answer, requestId, clock.instant()), clock.instant());
            return new Given(answer, false);
          } catch (ContactStore.Conflict taken) {
            // A duplicate recorded first: its answer is the one; an expired record that the put
            // could not yet replace (clocks a second apart) is retried.
            return claim
                .replayFrom(store.find(claim.id()), clock.instant())
                .map(earlier -> new Given(earlier.answer(), earlier.isReplayFor(requestId)))
                .orElseThrow(() -> taken);
          }
        });
  }

  private interface Attempt<T> {
    T run();
  }

  private <T> T retrying(Deadline deadline, Attempt<T> attempt) {
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return attempt.run();
      } catch (ContactStore.Conflict | ContactStore.Unavailable e) {
        long delay = retryPolicy.delayAfter(attempts, deadline);
        if (delay < 0) {
          throw new DomainException.Unavailable(
              "The service is busy; retry the request shortly.", RETRY_AFTER_SECONDS);
        }
        try {
          Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new DomainException.Unavailable(
              "The request was interrupted.", RETRY_AFTER_SECONDS);
        }
      }
    }
  }
}
