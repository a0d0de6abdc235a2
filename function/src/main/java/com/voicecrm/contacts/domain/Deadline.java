package com.voicecrm.contacts.domain;

import java.time.Duration;

/**
 * The moment a request must be answered by, fixed once when the request arrives and read by
 * everything that waits: the retries, the pauses between them and every store call. Measured on the
 * monotonic clock, so a wall-clock step never stretches or cuts it.
 */
public record Deadline(long nanoTime) {

  /** The deadline {@code budget} from now. */
  public static Deadline after(Duration budget) {
    return new Deadline(System.nanoTime() + budget.toNanos());
  }

  /** The deadline {@code millis} milliseconds from now (Lambda's remaining time). */
  public static Deadline afterMillis(long millis) {
    return after(Duration.ofMillis(millis));
  }

  /** Milliseconds left, negative once passed. */
  public long remainingMillis() {
    return Math.floorDiv(nanoTime - System.nanoTime(), 1_000_000L);
  }
}
