package com.voicecrm.contacts.local;

import com.voicecrm.contacts.config.UsagePlans;
import com.voicecrm.contacts.domain.ApiKeyLookup;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a usage plan does per API key in API Gateway, for the local gateway: a token bucket (the
 * plan's burst is its size, its rate the refill per second, full at the key's first request) and a
 * quota of requests per calendar period in UTC (a day from midnight, a week from Sunday, as a quota
 * offset of 0 sets them, a month from the 1st). Only admitted requests take a token and count
 * towards the quota.
 */
public final class UsagePlanLimiter {

  /** What the limiter says of one request. */
  public enum Decision {
    ADMITTED,
    THROTTLED,
    QUOTA_EXCEEDED
  }

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final Clock clock;
  private final Function<String, UsagePlans.Limits> limitsOfKey;
  private final Map<String, KeyUsage> usageByKey = new ConcurrentHashMap<>();

  /**
   * @param limitsOfKey the limits of a usage identifier key's plan; asked once per key, since a key
   *     keeps its plan
   */
  public UsagePlanLimiter(Clock clock, Function<String, UsagePlans.Limits> limitsOfKey) {
    this.clock = clock;
    this.limitsOfKey = limitsOfKey;
  }

  /**
   * The dev-like plans of {@link UsagePlans}, as a dev stage has them; a key's plan is the one its
   * record names, and a key without one is in {@code free}.
   */
  public static UsagePlanLimiter devLike(Clock clock, ApiKeyLookup keys) {
    return new UsagePlanLimiter(
        clock,
        key ->
            UsagePlans.DEV_LIKE.named(
                keys.findByHash(ApiKeys.hash(key)).map(ApiKeyRecord::usagePlan).orElse(null)));
  }

  /** Meters one request of {@code usageIdentifierKey} and says whether it may go on. */
  public Decision admit(String usageIdentifierKey) {
    KeyUsage usage =
        usageByKey.computeIfAbsent(
            usageIdentifierKey, key -> new KeyUsage(limitsOfKey.apply(key), clock.instant()));
    return usage.admit(clock.instant());
  }

  /**
   * The token bucket and quota count of one key. The bucket is kept as the time it is next full
   * (the generic cell rate algorithm, the same bucket in exact nanoseconds): a request fits while
   * that time, with the request added, is at most a burst's worth of refill ahead of now.
   */
  private static final class KeyUsage {
    private final UsagePlans.Limits limits;
    private final long nanosPerToken;
    private final long bucketNanos;
    private long fullAtNanos;
    private Instant periodStart;
    private int used;

    KeyUsage(UsagePlans.Limits limits, Instant now) {
      this.limits = limits;
      this.nanosPerToken = Math.round(NANOS_PER_SECOND / limits.rateLimit());
      this.bucketNanos = nanosPerToken * limits.burstLimit();
      this.fullAtNanos = nanos(now);
      this.periodStart = periodStart(limits.quotaPeriod(), now);
    }

    synchronized Decision admit(Instant now) {
      Instant currentPeriod = periodStart(limits.quotaPeriod(), now);
      if (!currentPeriod.equals(periodStart)) {
        periodStart = currentPeriod;
        used = 0;
      }
      if (used >= limits.quota()) {
        return Decision.QUOTA_EXCEEDED;
      }
      long nowNanos = nanos(now);
      long fullAtWithThis = Math.max(fullAtNanos, nowNanos) + nanosPerToken;
      if (fullAtWithThis - nowNanos > bucketNanos) {
        return Decision.THROTTLED;
      }
      fullAtNanos = fullAtWithThis;
      used++;
      return Decision.ADMITTED;
    }

    private static long nanos(Instant instant) {
      return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    static Instant periodStart(UsagePlans.QuotaPeriod period, Instant now) {
      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      LocalDate start =
          switch (period) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
            case MONTH -> day.withDayOfMonth(1);
          };
      return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }
}
