package com.voicecrm.contacts.infra;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.UsagePlans;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Everything that differs between deployments of the stack. {@code prod} is the only named
 * environment with its own values; any other name (dev, a feature branch, a developer's sandbox)
 * gets the disposable dev-like defaults, so a typo can never create a second "production" with
 * RETAIN tables.
 *
 * @param name environment name; also the API stage name and part of the stack name
 * @param memoryMb memory of both functions (CPU scales with it, which matters for cold starts)
 * @param apiTimeoutSeconds API function timeout; below API Gateway's 29 s integration limit
 * @param authorizerTimeoutSeconds authorizer function timeout
 * @param logRetention retention of the Lambda, access, execution and WAF log groups
 * @param removalPolicy what happens to the table and log groups when the stack is deleted
 * @param deletionProtection DynamoDB deletion protection
 * @param tracing X-Ray tracing on the functions and the API stage
 * @param javaToolOptions JAVA_TOOL_OPTIONS for the functions; empty means not set
 * @param free limits of the {@code free} usage plan (from {@link UsagePlans}, which the local
 *     gateway enforces too)
 * @param pro limits of the {@code pro} usage plan
 * @param stageThrottle stage-wide limits over all keys together: what the authorizer and the table
 *     take at most, since usage plans throttle only after the authorizer has named the key and AWS
 *     calls their limits best-effort
 * @param authorizerCacheSeconds how long API Gateway caches the authorizer's answer for a token
 * @param alarms alarm thresholds
 * @param alarmEmail where alarms are sent (an SNS topic with an e-mail subscription); optional
 * @param alarmTopicArn an existing SNS topic that alarms are sent to instead; optional
 * @param customDomain custom domain of the API; optional
 */
public record EnvironmentConfig(
    String name,
    int memoryMb,
    int apiTimeoutSeconds,
    int authorizerTimeoutSeconds,
    RetentionDays logRetention,
    RemovalPolicy removalPolicy,
    boolean deletionProtection,
    boolean tracing,
    String javaToolOptions,
    UsagePlans.Limits free,
    UsagePlans.Limits pro,
    ThrottleLimits stageThrottle,
    int authorizerCacheSeconds,
    AlarmThresholds alarms,
    Optional<String> alarmEmail,
    Optional<String> alarmTopicArn,
    Optional<CustomDomain> customDomain) {

  /** Name of the production environment: the only one with retained, protected data. */
  public static final String PROD = "prod";

  /** Environment used when the CDK context does not name one. */
  public static final String DEFAULT_ENV = "dev";

  /** Seconds API Gateway caches an authorizer answer; revoke-key flushes the cache. */
  public static final int DEFAULT_AUTHORIZER_CACHE_SECONDS = 300;

  public EnvironmentConfig {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z][a-z0-9-]{0,30}")) {
      // The name becomes a stage name and part of the stack name: keep it to what both accept.
      throw new IllegalArgumentException(
          "environment name must match [a-z][a-z0-9-]{0,30}, got '" + name + "'");
    }
    Objects.requireNonNull(logRetention, "logRetention");
    Objects.requireNonNull(removalPolicy, "removalPolicy");
    javaToolOptions = javaToolOptions == null ? "" : javaToolOptions.trim();
    Objects.requireNonNull(free, "free");
    Objects.requireNonNull(pro, "pro");
    Objects.requireNonNull(stageThrottle, "stageThrottle");
    for (UsagePlans.Limits plan : new UsagePlans.Limits[] {free, pro}) {
      // A stage limit below a plan's would throttle a single key of that plan below its plan.
      if (stageThrottle.rateLimit() < plan.rateLimit()
          || stageThrottle.burstLimit() < plan.burstLimit()) {
        throw new IllegalArgumentException(
            "stage throttle " + stageThrottle + " is below a usage plan's limits " + plan);
      }
    }
    if (authorizerCacheSeconds < 0 || authorizerCacheSeconds > 3600) {
      throw new IllegalArgumentException("authorizer cache TTL must be 0-3600 s");
    }
    Objects.requireNonNull(alarms, "alarms");
    alarmEmail = alarmEmail == null ? Optional.empty() : alarmEmail.filter(s -> !s.isBlank());
    alarmTopicArn =
        alarmTopicArn == null ? Optional.empty() : alarmTopicArn.filter(s -> !s.isBlank());
    customDomain = customDomain == null ? Optional.empty() : customDomain;
  }

  /** Steady rate (requests/s) and burst of a throttle. */
  public record ThrottleLimits(double rateLimit, int burstLimit) {}

  /**
   * Alarm thresholds.
   *
   * @param api5xxRate fraction of requests answered 5xx over 5 minutes (0.01 = 1 %)
   * @param p99LatencyMillis p99 of API Gateway latency over 5 minutes
   * @param lambdaErrors function errors per 5 minutes (each function)
   * @param lambdaThrottles function throttles per 5 minutes (each function)
   * @param dynamoThrottledRequests throttled table requests per 5 minutes
   * @param dynamoSystemErrors DynamoDB 5xx per 5 minutes
   */
  public record AlarmThresholds(
      double api5xxRate,
      double p99LatencyMillis,
      double lambdaErrors,
      double lambdaThrottles,
      double dynamoThrottledRequests,
      double dynamoSystemErrors,
      double lostRacesExhausted) {}

  /** A custom domain for the API: the name and a regional ACM certificate in the stack region. */
  public record CustomDomain(String domainName, String certificateArn) {
    public CustomDomain {
      Objects.requireNonNull(domainName, "domainName");
      Objects.requireNonNull(certificateArn, "certificateArn");
    }
  }

  // The functions' timeouts are the service's, not an environment's: the local gateway and the
  // handlers' own budgets use the same ones.
  private static final int API_TIMEOUT_SECONDS =
      (int) ServiceContract.TIMEOUTS.apiFunction().toSeconds();
  private static final int AUTHORIZER_TIMEOUT_SECONDS =
      (int) ServiceContract.TIMEOUTS.authorizerFunction().toSeconds();

  /** The configuration of the named environment; unknown names get dev-like defaults. */
  public static EnvironmentConfig forName(String name) {
    String env = name == null || name.isBlank() ? DEFAULT_ENV : name.trim();
    return PROD.equals(env) ? prod() : devLike(env);
  }

  private static EnvironmentConfig devLike(String name) {
    return new EnvironmentConfig(
        name,
        1024,
        API_TIMEOUT_SECONDS,
        AUTHORIZER_TIMEOUT_SECONDS,
        RetentionDays.ONE_WEEK,
        RemovalPolicy.DESTROY,
        false,
        false,
        "",
        UsagePlans.DEV_LIKE.free(),
        UsagePlans.DEV_LIKE.pro(),
        new ThrottleLimits(50, 100),
        DEFAULT_AUTHORIZER_CACHE_SECONDS,
        new AlarmThresholds(0.05, 5_000, 5, 5, 5, 1, 5),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static EnvironmentConfig prod() {
    return new EnvironmentConfig(
        PROD,
        1536,
        API_TIMEOUT_SECONDS,
        AUTHORIZER_TIMEOUT_SECONDS,
        RetentionDays.THREE_MONTHS,
        RemovalPolicy.RETAIN,
        true,
        true,
        "",
        UsagePlans.PROD.free(),
        UsagePlans.PROD.pro(),
        new ThrottleLimits(500, 1_000),
        DEFAULT_AUTHORIZER_CACHE_SECONDS,
        new AlarmThresholds(0.01, 2_000, 1, 1, 1, 1, 1),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Whether synthesis must refuse this environment without an alarm target. */
  public boolean requiresAlarmTarget() {
    return PROD.equals(name);
  }

  /** Whether alarms have somewhere to go: an e-mail address or an existing topic. */
  public boolean hasAlarmTarget() {
    return alarmEmail.isPresent() || alarmTopicArn.isPresent();
  }

  /** This configuration with alarms sent to {@code email}. */
  public EnvironmentConfig withAlarmEmail(String email) {
    return copy(b -> b.alarmEmail = Optional.ofNullable(email));
  }

  /** This configuration with alarms sent to the existing SNS topic {@code topicArn}. */
  public EnvironmentConfig withAlarmTopicArn(String topicArn) {
    return copy(b -> b.alarmTopicArn = Optional.ofNullable(topicArn));
  }

  /** This configuration served on a custom domain. */
  public EnvironmentConfig withCustomDomain(CustomDomain domain) {
    return copy(b -> b.customDomain = Optional.ofNullable(domain));
  }

  /** This configuration with JAVA_TOOL_OPTIONS set on both functions. */
  public EnvironmentConfig withJavaToolOptions(String options) {
    return copy(b -> b.javaToolOptions = options);
  }

  /** This configuration with another authorizer cache TTL. */
  public EnvironmentConfig withAuthorizerCacheSeconds(int seconds) {
    return copy(b -> b.authorizerCacheSeconds = seconds);
  }

  private EnvironmentConfig copy(java.util.function.Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The mutable copy the with-methods change one field of. */
  private static final class Fields {
    private final EnvironmentConfig from;
    String javaToolOptions;
    int authorizerCacheSeconds;
    Optional<String> alarmEmail;
    Optional<String> alarmTopicArn;
    Optional<CustomDomain> customDomain;

    Fields(EnvironmentConfig from) {
      this.from = from;
      javaToolOptions = from.javaToolOptions;
      authorizerCacheSeconds = from.authorizerCacheSeconds;
      alarmEmail = from.alarmEmail;
      alarmTopicArn = from.alarmTopicArn;
      customDomain = from.customDomain;
    }

    EnvironmentConfig build() {
      return new EnvironmentConfig(
          from.name,
          from.memoryMb,
          from.apiTimeoutSeconds,
          from.authorizerTimeoutSeconds,
          from.logRetention,
          from.removalPolicy,
          from.deletionProtection,
          from.tracing,
          javaToolOptions,
          from.free,
          from.pro,
          from.stageThrottle,
          authorizerCacheSeconds,
          from.alarms,
          alarmEmail,
          alarmTopicArn,
          customDomain);
    }
  }
}
