package com.voicecrm.contacts.it;

import com.voicecrm.contacts.config.ServiceContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock, stepped forward when a test says so: the test rig's handlers run on it, so a
 * test can let the list route's settle horizon pass ({@link #settle}) instead of waiting for it. It
 * never steps back, so stamps stay in order. Step it only while no write is in flight: a write in
 * flight would then seem to commit long after its stamp, which the service itself never lets
 * happen.
 */
final class SteppedClock extends Clock {

  private final AtomicLong offsetNanos = new AtomicLong();

  /** Moves the clock forward by {@code by}. */
  void step(Duration by) {
    offsetNanos.addAndGet(by.toNanos());
  }

  /**
   * Moves the clock past the settle horizon of every write that has returned: the listings now show
   * them all, as they would {@link ServiceContract#SETTLE} later in AWS.
   */
  void settle() {
    step(ServiceContract.SETTLE.plusMillis(1));
  }

  @Override
  public Instant instant() {
    return Instant.now().plusNanos(offsetNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the rig's clock is in UTC");
  }
}
