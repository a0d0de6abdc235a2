package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.api.ApiKeyAuthorizer;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.config.UsagePlans;
import com.voicecrm.contacts.config.UsagePlans.Limits;
import com.voicecrm.contacts.config.UsagePlans.QuotaPeriod;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import com.voicecrm.contacts.local.LocalGateway;
import com.voicecrm.contacts.local.SeedLoader;
import com.voicecrm.contacts.local.UsagePlanLimiter;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import com.voicecrm.contacts.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage plans through the real local gateway, authorizer and handler: a key past its burst or its
 * quota gets the deployed gateway responses, other keys do not notice, and without the limiter (as
 * every other test and {@code --no-rate-limits} run) nothing is throttled.
 */
class UsagePlansIT {

  private static final int FREE_BURST = UsagePlans.DEV_LIKE.free().burstLimit();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final DynamoApiKeyStore keys =
      new DynamoApiKeyStore(TestApi.api().dynamo(), TestApi.api().table());

  private LocalGateway gatewayWith(UsagePlanLimiter limiter) {
    return new LocalGateway(
        new ApiKeyAuthorizer(keys),
        ContactsApiHandler.over(TestApi.api().dynamo(), TestApi.api().table()),
        limiter);
  }

  private static Response get(LocalGateway gateway, String key) {
    APIGatewayProxyResponseEvent response =
        gateway.handle(
            "GET", "/v1/contacts/" + UUID.randomUUID(), TestApi.headers(key, false), null);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(response.getHeaders());
    return new Response(response.getStatusCode(), headers, response.getBody());
  }

  @Test
  void burstPlusOne_isThrottledAsTheDeployedGatewayAnswers_anotherKeyIsNot() {
    Tenant tenant = TestApi.newTenant(null);
    LocalGateway gateway = gatewayWith(UsagePlanLimiter.devLike(clock, keys));

    for (int i = 0; i < FREE_BURST; i++) {
      assertEquals(404, get(gateway, tenant.accountKey()).status(), "request " + i);
    }
    Response throttled = get(gateway, tenant.accountKey());

    assertEquals(429, throttled.status(), throttled.toString());
    JsonNode problem = ProblemChecks.assertProblem(throttled);
    assertEquals("rate-limited", problem.path("type").asText().replaceAll(".*/", ""));
    assertEquals(
        "The request rate limit of this API key is exceeded; retry after Retry-After seconds.",
        problem.path("detail").asText());
    assertEquals("1", throttled.header("Retry-After"));
    assertEquals(404, get(gateway, tenant.workspaceKey()).status(), "another key has its own");

    clock.advance(Duration.ofMillis(200)); // one token at the free plan's 5/s
    assertEquals(404, get(gateway, tenant.accountKey()).status());
  }

  @Test
  void proKey_getsThePlansLargerBurst() {
    Tenant tenant = TestApi.newTenant(null);
    String proKey = ApiKeys.generate(false);
    keys.put(
        new ApiKeyRecord(
            ApiKeys.hash(proKey), tenant.accountId(), null, "pro", "test", Instant.now(), null));
    LocalGateway gateway = gatewayWith(UsagePlanLimiter.devLike(clock, keys));

    int proBurst = UsagePlans.DEV_LIKE.pro().burstLimit();
    assertTrue(proBurst > FREE_BURST);
    for (int i = 0; i < proBurst; i++) {
      assertEquals(404, get(gateway, proKey).status(), "request " + i);
    }
    assertEquals(429, get(gateway, proKey).status());
  }

  @Test
  void quotaUsedUp_isAnsweredWithTheQuotaResponse_untilTheNextDay() {
    Tenant tenant = TestApi.newTenant(null);
    LocalGateway gateway =
        gatewayWith(new UsagePlanLimiter(clock, key -> new Limits(100, 100, 3, QuotaPeriod.DAY)));
    for (int i = 0; i < 3; i++) {
      assertEquals(404, get(gateway, tenant.accountKey()).status());
    }

    Response exhausted = get(gateway, tenant.accountKey());

    assertEquals(429, exhausted.status(), exhausted.toString());
    JsonNode problem = ProblemChecks.assertProblem(exhausted);
    assertEquals(
        "The request quota of this API key for the current period is used up.",
        problem.path("detail").asText());
    assertEquals("3600", exhausted.header("Retry-After"));
    clock.set(Instant.parse("2026-12-03T00:00:00Z"));
    assertEquals(404, get(gateway, tenant.accountKey()).status());
  }

  @Test
  void seedKeys_nameTheirPlan_anUnknownPlanIsRefused(@TempDir Path dir) throws Exception {
    String proKey = ApiKeys.generate(false);
    Path seed = dir.resolve("seed.json");
    String seedText =
        "{\"accounts\":[],\"workspaces\":[],\"apiKeys\":[{\"key\":\""
            + proKey
            + "\",\"accountId\":\"acc_plans\",\"usagePlan\":\"%s\"}]}";
    SeedLoader loader = new SeedLoader(TestApi.api().dynamo(), TestApi.api().table());

    Files.writeString(seed, seedText.formatted("enterprise"));
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> loader.load(seed));
    assertTrue(
        refused.getMessage().contains("unknown usage plan enterprise"), refused.getMessage());

    Files.writeString(seed, seedText.formatted("pro"));
    loader.load(seed);
    assertEquals("pro", keys.findByHash(ApiKeys.hash(proKey)).orElseThrow().usagePlan());
  }

  @Test
  void unauthorizedRequests_areNotMetered() {
    LocalGateway gateway = gatewayWith(UsagePlanLimiter.devLike(clock, keys));
    for (int i = 0; i <= FREE_BURST; i++) {
      assertEquals(401, get(gateway, ApiKeys.generate(false)).status());
    }
  }

  @Test
  void withoutUsagePlans_asTheTestsAndNoRateLimitsRun_nothingIsThrottled() {
    Tenant tenant = TestApi.newTenant(null);
    for (int i = 0; i < 3 * FREE_BURST; i++) {
      assertEquals(404, get(TestApi.api().gateway(), tenant.accountKey()).status());
    }
  }
}
