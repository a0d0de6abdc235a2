package com.voicecrm.contacts.local;

import static com.voicecrm.contacts.local.UsagePlanLimiter.Decision.ADMITTED;
import static com.voicecrm.contacts.local.UsagePlanLimiter.Decision.QUOTA_EXCEEDED;
import static com.voicecrm.contacts.local.UsagePlanLimiter.Decision.THROTTLED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.voicecrm.contacts.config.UsagePlans;
import com.voicecrm.contacts.config.UsagePlans.Limits;
import com.voicecrm.contacts.config.UsagePlans.QuotaPeriod;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.local.UsagePlanLimiter.Decision;
import com.voicecrm.contacts.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsagePlanLimiterTest {

  // A Wednesday, mid-morning UTC.
  private static final Instant START = Instant.parse("2026-12-02T10:15:30Z");

  private final ManualClock clock = new ManualClock(START);

  private UsagePlanLimiter limiter(Limits limits) {
    return new UsagePlanLimiter(clock, key -> limits);
  }

  private static List<Decision> admit(UsagePlanLimiter limiter, String key, int times) {
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      decisions.add(limiter.admit(key));
    }
    return decisions;
  }

  @Test
  void burst_isAdmittedAtOnce_thenTheNextIsThrottled() {
    UsagePlanLimiter limiter = limiter(new Limits(5, 10, 1_000, QuotaPeriod.DAY));

    assertEquals(List.of(ADMITTED), admit(limiter, "k", 10).stream().distinct().toList());
    assertEquals(THROTTLED, limiter.admit("k"));
  }

  @Test
  void emptyBucket_refillsAtTheSteadyRate_neverAboveTheBurst() {
    UsagePlanLimiter limiter = limiter(new Limits(5, 10, 1_000, QuotaPeriod.DAY));
    admit(limiter, "k", 10);

    clock.advance(Duration.ofMillis(199)); // 0.995 of a token
    assertEquals(THROTTLED, limiter.admit("k"));
    clock.advance(Duration.ofMillis(1));
    assertEquals(ADMITTED, limiter.admit("k"));
    assertEquals(THROTTLED, limiter.admit("k"));

    clock.advance(Duration.ofSeconds(1)); // five tokens
    assertEquals(
        List.of(ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, THROTTLED),
        admit(limiter, "k", 6));

    clock.advance(Duration.ofMinutes(10)); // far more than a burst's worth: capped at 10
    assertEquals(10, admitted(limiter, "k", 11));
  }

  @Test
  void sustainedRate_isAdmittedIndefinitely() {
    UsagePlanLimiter limiter = limiter(new Limits(5, 10, 1_000, QuotaPeriod.DAY));
    admit(limiter, "k", 10);
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofMillis(200));
      assertEquals(ADMITTED, limiter.admit("k"), "request " + i + " at 5/s");
    }
  }

  @Test
  void keys_haveBucketsAndQuotasOfTheirOwn() {
    UsagePlanLimiter limiter = limiter(new Limits(1, 2, 3, QuotaPeriod.DAY));
    admit(limiter, "a", 2);
    assertEquals(THROTTLED, limiter.admit("a"));
    assertEquals(List.of(ADMITTED, ADMITTED), admit(limiter, "b", 2));
  }

  @Test
  void quota_usedUp_isRefusedUntilTheDayEndsInUtc() {
    UsagePlanLimiter limiter = limiter(new Limits(100, 100, 3, QuotaPeriod.DAY));

    assertEquals(List.of(ADMITTED, ADMITTED, ADMITTED, QUOTA_EXCEEDED), admit(limiter, "k", 4));
    clock.set(Instant.parse("2026-12-02T23:59:59.999Z"));
    assertEquals(QUOTA_EXCEEDED, limiter.admit("k"));
    clock.set(Instant.parse("2026-12-03T00:00:00Z"));
    assertEquals(List.of(ADMITTED, ADMITTED, ADMITTED, QUOTA_EXCEEDED), admit(limiter, "k", 4));
  }

  @Test
  void quotaRefusals_andThrottledRequests_doNotCountTowardsTheQuota() {
    UsagePlanLimiter limiter = limiter(new Limits(1, 1, 2, QuotaPeriod.DAY));

    assertEquals(List.of(ADMITTED, THROTTLED, THROTTLED), admit(limiter, "k", 3));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(ADMITTED, limiter.admit("k")); // the second of two: throttling counted nothing
    clock.advance(Duration.ofSeconds(1));
    assertEquals(QUOTA_EXCEEDED, limiter.admit("k"));
  }

  @Test
  void weeklyQuota_resetsOnSundayInUtc_monthlyOnTheFirst() {
    UsagePlanLimiter weekly = limiter(new Limits(100, 100, 1, QuotaPeriod.WEEK));
    UsagePlanLimiter monthly = limiter(new Limits(100, 100, 1, QuotaPeriod.MONTH));
    assertEquals(List.of(ADMITTED, QUOTA_EXCEEDED), admit(weekly, "k", 2));
    assertEquals(List.of(ADMITTED, QUOTA_EXCEEDED), admit(monthly, "k", 2));

    clock.set(Instant.parse("2026-12-05T23:59:59Z")); // Saturday
    assertEquals(QUOTA_EXCEEDED, weekly.admit("k"));
    clock.set(Instant.parse("2026-12-06T00:00:00Z")); // Sunday
    assertEquals(ADMITTED, weekly.admit("k"));
    assertEquals(QUOTA_EXCEEDED, monthly.admit("k"));

    clock.set(Instant.parse("2027-01-01T00:00:00Z"));
    assertEquals(ADMITTED, monthly.admit("k"));
  }

  @Test
  void devLike_givesEachKeyTheLimitsOfThePlanItsRecordNames_freeWithoutOne() {
    Map<String, ApiKeyRecord> records = new HashMap<>();
    for (String[] keyAndPlan :
        new String[][] {{"sk_test_free", "free"}, {"sk_test_pro", "pro"}, {"sk_test_none", null}}) {
      String hash = ApiKeys.hash(keyAndPlan[0]);
      records.put(hash, new ApiKeyRecord(hash, "acc", null, keyAndPlan[1], "test", START, null));
    }
    UsagePlanLimiter limiter =
        UsagePlanLimiter.devLike(clock, hash -> Optional.ofNullable(records.get(hash)));
    int freeBurst = UsagePlans.DEV_LIKE.free().burstLimit();
    int proBurst = UsagePlans.DEV_LIKE.pro().burstLimit();

    assertEquals(freeBurst, admitted(limiter, "sk_test_free", proBurst));
    assertEquals(freeBurst, admitted(limiter, "sk_test_none", proBurst));
    assertEquals(proBurst, admitted(limiter, "sk_test_pro", proBurst + 1));
  }

  private static long admitted(UsagePlanLimiter limiter, String key, int times) {
    return admit(limiter, key, times).stream().filter(ADMITTED::equals).count();
  }

  @Test
  void unknownPlan_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> UsagePlans.DEV_LIKE.named("enterprise"));
  }
}
