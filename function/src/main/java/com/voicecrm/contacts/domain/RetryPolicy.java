package com.voicecrm.contacts.domain;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to keep trying a write that lost a race or met a throttled store: exponential backoff
 * with full jitter, bounded by attempts and by the request's deadline.
 */
public record RetryPolicy(
    int maxAttempts, long baseDelayMillis, long maxDelayMillis, long reserveMillis) {

  /**
   * Enough for dozens of writers racing on one contact, while leaving time to answer 503. Racing
   * writers of one contact succeed one per round, so the attempt cap is set high enough (50 writers
   * lost with 12) that the time budget is what ends the retries.
   */
  public static final RetryPolicy DEFAULT = new RetryPolicy(40, 10, 400, 1_000);

  /** The pause before attempt {@code attempt + 1}, or -1 when no attempt is left in the budget. */
  public long delayAfter(int attempt, Deadline deadline) {
    if (attempt >= maxAttempts) {
      return -1;
    }
    long ceiling = Math.min(maxDelayMillis, baseDelayMillis << Math.min(attempt, 20));
    long delay = ThreadLocalRandom.current().nextLong(ceiling + 1);
    return deadline.remainingMillis() - delay > reserveMillis ? delay : -1;
  }
}
