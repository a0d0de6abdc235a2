package com.voicecrm.contacts.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to keep trying a write that lost a race or met a throttled store: exponential backoff
 * with full jitter, bounded by attempts and by the request's deadline; and how long a decided write
 * may still be sent after its stamp ({@code commitWindow}, null: no limit).
 *
 * <p>The commit window is what keeps a list walk (SPEC 9) from missing a contact: a write stamps
 * {@code updatedAt} when it is decided, not when it commits, so a write sent, or sent again, long
 * after its stamp would land behind a cursor that has already passed that time. Within the window
 * the listing's settle horizon waits for it (see {@link ContactListing}).
 */
public record RetryPolicy(
    int maxAttempts,
    long baseDelayMillis,
    long maxDelayMillis,
    long reserveMillis,
    Duration commitWindow) {

  /**
   * Enough for dozens of writers racing on one contact, while leaving time to answer 503. Racing
   * writers of one contact succeed one per round, so the attempt cap is set high enough (50 writers
   * lost with 12) that the time budget is what ends the retries. No commit window: the handler
   * gives it {@code ServiceContract.STAMP_TO_COMMIT}.
   */
  public static final RetryPolicy DEFAULT = new RetryPolicy(40, 10, 400, 1_000);

  /** A policy without a commit window. */
  public RetryPolicy(
      int maxAttempts, long baseDelayMillis, long maxDelayMillis, long reserveMillis) {
    this(maxAttempts, baseDelayMillis, maxDelayMillis, reserveMillis, null);
  }

  /** This policy with writes sent only within {@code window} of their stamp. */
  public RetryPolicy withCommitWindow(Duration window) {
    return new RetryPolicy(maxAttempts, baseDelayMillis, maxDelayMillis, reserveMillis, window);
  }

  /** The pause before attempt {@code attempt + 1}, or -1 when no attempt is left in the budget. */
  public long delayAfter(int attempt, Deadline deadline) {
    if (attempt >= maxAttempts) {
      return -1;
    }
    long ceiling = Math.min(maxDelayMillis, baseDelayMillis << Math.min(attempt, 20));
    long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
    return deadline.remainingMillis() - delay > reserveMillis ? delay : -1;
  }

  /**
   * Milliseconds left at {@code now} to commit a write of {@code written} (zero or less: the window
   * has passed, do not send it), or null when no window applies: no window set, or a soft delete,
   * which takes the contact out of the list indexes instead of adding an entry, so it cannot land
   * behind a cursor.
   */
  public Long commitMillisLeft(Contact written, Instant now) {
    if (commitWindow == null || written.isDeleted()) {
      return null;
    }
    return Duration.between(now, written.updatedAt().plus(commitWindow)).toMillis();
  }
}
