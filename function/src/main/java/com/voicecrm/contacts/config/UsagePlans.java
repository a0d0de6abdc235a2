package com.voicecrm.contacts.config;

import java.util.Objects;

/**
 * The usage plans an API key can be in and their per-key limits, in one place: the CDK stack
 * deploys them as API Gateway usage plans, the local gateway enforces the dev-like ones.
 *
 * @param free limits of the {@code free} plan
 * @param pro limits of the {@code pro} plan
 */
public record UsagePlans(Limits free, Limits pro) {

  /** Name of the plan every key is in unless it names another; also the plan of seed keys. */
  public static final String FREE = "free";

  public static final String PRO = "pro";

  /** Every environment but prod: small limits, so that they are easy to reach in a test. */
  public static final UsagePlans DEV_LIKE =
      new UsagePlans(
          new Limits(5, 10, 1_000, QuotaPeriod.DAY), new Limits(20, 40, 10_000, QuotaPeriod.DAY));

  public static final UsagePlans PROD =
      new UsagePlans(
          new Limits(10, 20, 10_000, QuotaPeriod.DAY),
          new Limits(100, 200, 1_000_000, QuotaPeriod.DAY));

  public UsagePlans {
    Objects.requireNonNull(free, "free");
    Objects.requireNonNull(pro, "pro");
  }

  /** The limits of the named plan; a key without a plan (null) is in {@link #FREE}. */
  public Limits named(String plan) {
    if (plan == null || FREE.equals(plan)) {
      return free;
    }
    if (PRO.equals(plan)) {
      return pro;
    }
    throw new IllegalArgumentException("unknown usage plan '" + plan + "'");
  }

  /** The period a quota counts over, as API Gateway names it. */
  public enum QuotaPeriod {
    DAY,
    WEEK,
    MONTH
  }

  /**
   * Limits of one usage plan, per key.
   *
   * @param rateLimit steady rate in requests per second (the token bucket's refill)
   * @param burstLimit requests allowed at once (the token bucket's size)
   * @param quota requests per quota period
   * @param quotaPeriod the period the quota counts over
   */
  public record Limits(double rateLimit, int burstLimit, int quota, QuotaPeriod quotaPeriod) {
    public Limits {
      if (!(rateLimit > 0) || burstLimit < 1 || quota < 1) {
        throw new IllegalArgumentException("usage plan limits must be positive");
      }
      Objects.requireNonNull(quotaPeriod, "quotaPeriod");
    }
  }
}
