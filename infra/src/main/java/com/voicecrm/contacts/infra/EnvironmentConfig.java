package com.voicecrm.contacts.infra;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.Period;
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
 * @param logRetention retention of the Lambda and access log groups
 * @param removalPolicy what happens to the table and log groups when the stack is deleted
 * @param deletionProtection DynamoDB deletion protection
 * @param tracing X-Ray tracing on the functions and the API stage
 * @param javaToolOptions JAVA_TOOL_OPTIONS for the functions; empty means not set
 * @param free limits of the {@code free} usage plan
 * @param pro limits of the {@code pro} usage plan
 * @param alarms alarm thresholds
 * @param alarmEmail where alarms are sent (an SNS topic with an e-mail subscription); optional
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
    UsagePlanLimits free,
    UsagePlanLimits pro,
    AlarmThresholds alarms,
    Optional<String> alarmEmail,
    Optional<CustomDomain> customDomain) {

  /** Name of the production environment: the only one with retained, protected data. */
  public static final String PROD = "prod";

  /** Environment used when the CDK context does not name one. */
  public static final String DEFAULT_ENV = "dev";

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
    Objects.requireNonNull(alarms, "alarms");
    alarmEmail = alarmEmail == null ? Optional.empty() : alarmEmail.filter(s -> !s.isBlank());
    customDomain = customDomain == null ? Optional.empty() : customDomain;
  }

  /** Limits of one usage plan: steady rate (requests/s), burst, and a quota per period. */
  public record UsagePlanLimits(double rateLimit, int burstLimit, int quota, Period quotaPeriod) {}

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
      double dynamoSystemErrors) {}

  /** A custom domain for the API: the name and a regional ACM certificate in the stack region. */
  public record CustomDomain(String domainName, String certificateArn) {
    public CustomDomain {
      Objects.requireNonNull(domainName, "domainName");
      Objects.requireNonNull(certificateArn, "certificateArn");
    }
  }

  /** The configuration of the named environment; unknown names get dev-like defaults. */
  public static EnvironmentConfig forName(String name) {
    String env = name == null || name.isBlank() ? DEFAULT_ENV : name.trim();
    return PROD.equals(env) ? prod() : devLike(env);
  }

  private static EnvironmentConfig devLike(String name) {
    return new EnvironmentConfig(
        name,
        1024,
        10,
        5,
        RetentionDays.ONE_WEEK,
        RemovalPolicy.DESTROY,
        false,
        false,
        "",
        new UsagePlanLimits(5, 10, 1_000, Period.DAY),
        new UsagePlanLimits(20, 40, 10_000, Period.DAY),
        new AlarmThresholds(0.05, 5_000, 5, 5, 5, 1),
        Optional.empty(),
        Optional.empty());
  }

  private static EnvironmentConfig prod() {
    return new EnvironmentConfig(
        PROD,
        1536,
        10,
        5,
        RetentionDays.THREE_MONTHS,
        RemovalPolicy.RETAIN,
        true,
        true,
        "",
        new UsagePlanLimits(10, 20, 10_000, Period.DAY),
        new UsagePlanLimits(100, 200, 1_000_000, Period.DAY),
        new AlarmThresholds(0.01, 2_000, 1, 1, 1, 1),
        Optional.empty(),
        Optional.empty());
  }

  /** This configuration with alarms sent to {@code email}. */
  public EnvironmentConfig withAlarmEmail(String email) {
    return new EnvironmentConfig(
        name,
        memoryMb,
        apiTimeoutSeconds,
        authorizerTimeoutSeconds,
        logRetention,
        removalPolicy,
        deletionProtection,
        tracing,
        javaToolOptions,
        free,
        pro,
        alarms,
        Optional.ofNullable(email),
        customDomain);
  }

  /** This configuration served on a custom domain. */
  public EnvironmentConfig withCustomDomain(CustomDomain domain) {
    return new EnvironmentConfig(
        name,
        memoryMb,
        apiTimeoutSeconds,
        authorizerTimeoutSeconds,
        logRetention,
        removalPolicy,
        deletionProtection,
        tracing,
        javaToolOptions,
        free,
        pro,
        alarms,
        alarmEmail,
        Optional.ofNullable(domain));
  }

  /** This configuration with JAVA_TOOL_OPTIONS set on both functions. */
  public EnvironmentConfig withJavaToolOptions(String options) {
    return new EnvironmentConfig(
        name,
        memoryMb,
        apiTimeoutSeconds,
        authorizerTimeoutSeconds,
        logRetention,
        removalPolicy,
        deletionProtection,
        tracing,
        options,
        free,
        pro,
        alarms,
        alarmEmail,
        customDomain);
  }
}
