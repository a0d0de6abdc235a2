package com.voicecrm.contacts.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Time spent on the wire (request sent to response received, per HTTP attempt) by every SDK client
 * of the JVM. Registered as a global interceptor for the warm runs only, so the function's client
 * is measured as built, untouched; the rest of an upsert's time is the function's own work.
 */
public final class RoundTrips implements ExecutionInterceptor {

  private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sent");
  private static final ThreadLocal<long[]> NANOS = ThreadLocal.withInitial(() -> new long[1]);

  /** Nanoseconds on the wire so far on this thread. */
  static long nanos() {
    return NANOS.get()[0];
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attributes.putAttribute(SENT, System.nanoTime());
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    NANOS.get()[0] += System.nanoTime() - attributes.getAttribute(SENT);
  }
}
