package com.voicecrm.contacts.infra;

import com.voicecrm.contacts.config.ServiceContract;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.ApiKeySourceType;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.DomainName;
import software.amazon.awscdk.services.apigateway.DomainNameOptions;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.IdentitySource;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.SecurityPolicy;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.TokenAuthorizer;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.amazon.awscdk.services.apigateway.UsagePlanProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.Operation;
import software.amazon.awscdk.services.dynamodb.OperationsMetricOptions;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The whole service: one DynamoDB table, the API and authorizer functions (each called through its
 * SnapStart alias {@value #ALIAS}), a regional REST API with usage plans, and alarms. Nothing is
 * looked up from the account, so the stack synthesises without credentials.
 */
public final class ContactsStack extends Stack {

  /** Alias API Gateway calls: a published version, so SnapStart applies. */
  public static final String ALIAS = "live";

  public static final String PLAN_FREE = "free";
  public static final String PLAN_PRO = "pro";

  /** Stack output keys; the ops commands read them to find the deployed resources. */
  public static final String OUTPUT_TABLE_NAME = "TableName";

  public static final String OUTPUT_API_URL = "ApiUrl";
  public static final String OUTPUT_API_ID = "RestApiId";
  public static final String OUTPUT_FREE_PLAN_ID = "FreeUsagePlanId";
  public static final String OUTPUT_PRO_PLAN_ID = "ProUsagePlanId";

  /**
   * Table actions of the API function: reads, the single-item writes and the condition checks that
   * its transactions are made of (TransactWriteItems is authorised per contained action).
   */
  static final List<String> API_TABLE_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:ConditionCheckItem");

  /** The authorizer only reads one key record by its hash. */
  static final List<String> AUTHORIZER_TABLE_ACTIONS = List.of("dynamodb:GetItem");

  /** Table operations the alarms watch: those the functions perform. */
  private static final List<Operation> TABLE_OPERATIONS =
      List.of(
          Operation.GET_ITEM,
          Operation.BATCH_GET_ITEM,
          Operation.PUT_ITEM,
          Operation.UPDATE_ITEM,
          Operation.DELETE_ITEM,
          Operation.TRANSACT_WRITE_ITEMS);

  private static final Duration ALARM_PERIOD = Duration.minutes(5);

  private final EnvironmentConfig config;
  private final Table table;
  private final Function apiFunction;
  private final Function authorizerFunction;
  private final Alias apiAlias;
  private final Alias authorizerAlias;
  private final RestApi api;
  private final Map<String, UsagePlan> usagePlans = new HashMap<>();
  private final List<Alarm> alarms = new ArrayList<>();
  private final Optional<Topic> alarmTopic;

  public ContactsStack(
      Construct scope, String id, StackProps props, EnvironmentConfig config, Path functionJar) {
    super(scope, id, props);
    this.config = config;

    table =
        Table.Builder.create(this, "ContactsTable")
            .partitionKey(stringKey(ServiceContract.PARTITION_KEY))
            .sortKey(stringKey(ServiceContract.SORT_KEY))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(TableEncryption.AWS_MANAGED)
            .deletionProtection(config.deletionProtection())
            .removalPolicy(config.removalPolicy())
            .build();

    Code code = Code.fromAsset(functionJar.toString());
    apiFunction =
        javaFunction(
            "ApiFunction",
            "Contacts API routes",
            ServiceContract.API_HANDLER,
            config.apiTimeoutSeconds(),
            API_TABLE_ACTIONS,
            code);
    authorizerFunction =
        javaFunction(
            "AuthorizerFunction",
            "API key TOKEN authorizer",
            ServiceContract.AUTHORIZER_HANDLER,
            config.authorizerTimeoutSeconds(),
            AUTHORIZER_TABLE_ACTIONS,
            code);
    apiAlias = liveAlias("ApiFunctionAlias", apiFunction);
    authorizerAlias = liveAlias("AuthorizerFunctionAlias", authorizerFunction);

    api = restApi();
    usagePlans.put(PLAN_FREE, usagePlan("FreeUsagePlan", PLAN_FREE, config.free()));
    usagePlans.put(PLAN_PRO, usagePlan("ProUsagePlan", PLAN_PRO, config.pro()));
    config.customDomain().ifPresent(this::customDomain);

    alarmTopic = config.alarmEmail().map(this::alarmTopic);
    createAlarms();

    output(OUTPUT_TABLE_NAME, table.getTableName(), "DynamoDB table (generated name)");
    output(OUTPUT_API_URL, api.urlForPath("/"), "Base URL of the API stage");
    output(OUTPUT_API_ID, api.getRestApiId(), "REST API id");
    output(OUTPUT_FREE_PLAN_ID, usagePlans.get(PLAN_FREE).getUsagePlanId(), "free usage plan");
    output(OUTPUT_PRO_PLAN_ID, usagePlans.get(PLAN_PRO).getUsagePlanId(), "pro usage plan");

    suppress(
        api.getNode().findChild("CloudWatchRole"),
        "AwsSolutions-IAM4",
        "API Gateway's account-level CloudWatch role uses the AWS-managed policy written for "
            + "exactly this purpose (AmazonAPIGatewayPushToCloudWatchLogs); it is needed for the "
            + "access and execution logs.",
        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            + "AmazonAPIGatewayPushToCloudWatchLogs");
    suppress(
        api,
        "AwsSolutions-APIG2",
        "Every route is a Lambda proxy: the function validates the request against the API "
            + "contract and reports every problem as problem+json; a gateway validator would "
            + "answer with a different error format and only part of the rules.");
    suppress(
        api.getDeploymentStage(),
        "AwsSolutions-APIG3",
        "No WAF web ACL yet: every request needs an API key checked by the authorizer and is "
            + "throttled per key by usage plans; a WAF is a separate cost decision, not in scope.");
  }

  private static Attribute stringKey(String name) {
    return Attribute.builder().name(name).type(AttributeType.STRING).build();
  }

  private Function javaFunction(
      String id,
      String description,
      String handler,
      int timeoutSeconds,
      List<String> tableActions,
      Code code) {
    LogGroup logGroup =
        LogGroup.Builder.create(this, id + "Logs")
            .retention(config.logRetention())
            .removalPolicy(config.removalPolicy())
            .build();
    // An explicit role instead of the default one: no AWS-managed policy, logs only to the
    // function's own log group, and table actions only on this table.
    Role role =
        Role.Builder.create(this, id + "Role")
            .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
            .description(description + " (" + config.name() + ")")
            .build();
    logGroup.grantWrite(role);
    role.addToPolicy(
        PolicyStatement.Builder.create()
            .actions(tableActions)
            .resources(List.of(table.getTableArn()))
            .build());

    Map<String, String> environment = new HashMap<>();
    environment.put(ServiceContract.ENV_TABLE_NAME, table.getTableName());
    if (!config.javaToolOptions().isEmpty()) {
      environment.put("JAVA_TOOL_OPTIONS", config.javaToolOptions());
    }

    Function function =
        Function.Builder.create(this, id)
            .description(description)
            .runtime(Runtime.JAVA_21)
            .architecture(Architecture.ARM_64)
            .handler(handler)
            .code(code)
            .memorySize(config.memoryMb())
            .timeout(Duration.seconds(timeoutSeconds))
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .role(role)
            .logGroup(logGroup)
            .loggingFormat(LoggingFormat.JSON)
            .applicationLogLevelV2(ApplicationLogLevel.INFO)
            .systemLogLevelV2(SystemLogLevel.WARN)
            .tracing(config.tracing() ? Tracing.ACTIVE : Tracing.DISABLED)
            .environment(environment)
            .build();

    // The warning assumes no version is published; liveAlias() publishes currentVersion.
    Annotations.of(function)
        .acknowledgeWarning(
            "@aws-cdk/aws-lambda:snapStartRequirePublish",
            "SnapStart applies to the version behind the live alias, which this stack publishes.");
    suppress(
        function,
        "AwsSolutions-L1",
        "Java 21 is the runtime this service is built and tested for (SnapStart, arm64); "
            + "moving to Java 25 is a deliberate upgrade with its own tests, not a silent bump.");
    if (config.tracing()) {
      suppress(
          role.getNode().findChild("DefaultPolicy"),
          "AwsSolutions-IAM5",
          "X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level "
              + "permissions; the wildcard is only on those two actions.",
          "Resource::*");
    }
    return function;
  }

  private Alias liveAlias(String id, Function function) {
    return Alias.Builder.create(this, id)
        .aliasName(ALIAS)
        .version(function.getCurrentVersion())
        .build();
  }

  private RestApi restApi() {
    LogGroup accessLogs =
        LogGroup.Builder.create(this, "ApiAccessLogs")
            .retention(config.logRetention())
            .removalPolicy(config.removalPolicy())
            .build();

    TokenAuthorizer authorizer =
        TokenAuthorizer.Builder.create(this, "ApiKeyAuthorizer")
            .handler(authorizerAlias)
            .identitySource(IdentitySource.header("Authorization"))
            .resultsCacheTtl(Duration.seconds(300))
            .build();

    RestApi restApi =
        RestApi.Builder.create(this, "ContactsApi")
            // Also the ApiName dimension of the API metrics: unique per environment.
            .restApiName("contacts-" + config.name())
            .description("Contacts API (" + config.name() + ")")
            .endpointTypes(List.of(EndpointType.REGIONAL))
            // The authorizer returns the caller's API Gateway key (usageIdentifierKey), so usage
            // plans throttle per key while callers only send Authorization: Bearer.
            .apiKeySourceType(ApiKeySourceType.AUTHORIZER)
            .cloudWatchRole(true)
            .deployOptions(
                StageOptions.builder()
                    .stageName(config.name())
                    .tracingEnabled(config.tracing())
                    .accessLogDestination(new LogGroupLogDestination(accessLogs))
                    .accessLogFormat(AccessLogFormat.custom(accessLogFormat()))
                    .loggingLevel(MethodLoggingLevel.ERROR)
                    // Never log request/response bodies: they hold personal data.
                    .dataTraceEnabled(false)
                    .metricsEnabled(true)
                    .build())
            .defaultMethodOptions(
                MethodOptions.builder()
                    .authorizer(authorizer)
                    .authorizationType(AuthorizationType.CUSTOM)
                    .apiKeyRequired(true)
                    .build())
            .build();

    // Request bodies: a REST API has no body size setting below its fixed 10 MB; the function
    // enforces ServiceContract.MAX_BODY_BYTES (256 KiB) and answers 413 itself.
    LambdaIntegration integration =
        LambdaIntegration.Builder.create(apiAlias).proxy(true).allowTestInvoke(false).build();
    List<Method> methods = new ArrayList<>();
    for (String path : ServiceContract.RESOURCES) {
      methods.add(restApi.getRoot().resourceForPath(path).addMethod("ANY", integration));
    }
    // Everything else reaches the function too, which answers 404/405 as problem+json.
    methods.add(restApi.getRoot().addResource("{proxy+}").addMethod("ANY", integration));
    for (Method method : methods) {
      suppress(
          method,
          "AwsSolutions-COG4",
          "Callers are servers authenticating with API keys (Authorization: Bearer), checked "
              + "by the Lambda TOKEN authorizer on every method; there are no Cognito users.");
    }

    ProblemResponses.addTo(restApi);
    return restApi;
  }

  /** JSON access log line; no header or body values, only ids, status and timings. */
  private static String accessLogFormat() {
    return "{\"requestId\":\"$context.requestId\","
        + "\"extendedRequestId\":\"$context.extendedRequestId\","
        + "\"requestTime\":\"$context.requestTime\","
        + "\"httpMethod\":\"$context.httpMethod\","
        + "\"resourcePath\":\"$context.resourcePath\","
        + "\"status\":\"$context.status\","
        + "\"responseLength\":\"$context.responseLength\","
        + "\"responseLatency\":\"$context.responseLatency\","
        + "\"integrationLatency\":\"$context.integrationLatency\","
        + "\"integrationStatus\":\"$context.integrationStatus\","
        + "\"errorType\":\"$context.error.responseType\","
        + "\"authorizerError\":\"$context.authorizer.error\","
        + "\"keyId\":\"$context.authorizer."
        + ServiceContract.CONTEXT_KEY_ID
        + "\","
        + "\"sourceIp\":\"$context.identity.sourceIp\","
        + "\"xrayTraceId\":\"$context.xrayTraceId\"}";
  }

  private UsagePlan usagePlan(String id, String plan, EnvironmentConfig.UsagePlanLimits limits) {
    return api.addUsagePlan(
        id,
        UsagePlanProps.builder()
            .name(usagePlanName(config.name(), plan))
            .description(plan + " plan of the Contacts API (" + config.name() + ")")
            .throttle(
                ThrottleSettings.builder()
                    .rateLimit(limits.rateLimit())
                    .burstLimit(limits.burstLimit())
                    .build())
            .quota(
                QuotaSettings.builder().limit(limits.quota()).period(limits.quotaPeriod()).build())
            .apiStages(
                List.of(
                    UsagePlanPerApiStage.builder()
                        .api(api)
                        .stage(api.getDeploymentStage())
                        .build()))
            .build());
  }

  /** Name of a usage plan in API Gateway: unique per environment, readable in the console. */
  public static String usagePlanName(String environment, String plan) {
    return "contacts-" + environment + "-" + plan;
  }

  private void customDomain(EnvironmentConfig.CustomDomain domain) {
    DomainName domainName =
        api.addDomainName(
            "CustomDomain",
            DomainNameOptions.builder()
                .domainName(domain.domainName())
                .certificate(
                    Certificate.fromCertificateArn(
                        this, "DomainCertificate", domain.certificateArn()))
                .endpointType(EndpointType.REGIONAL)
                .securityPolicy(SecurityPolicy.TLS_1_2)
                .build());
    output(
        "CustomDomainTarget",
        domainName.getDomainNameAliasDomainName(),
        "DNS target (CNAME/alias) for " + domain.domainName());
  }

  private Topic alarmTopic(String email) {
    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, so the
    // topic gets its own key that the CloudWatch service may use.
    Key key =
        Key.Builder.create(this, "AlarmTopicKey")
            .description("Encrypts the Contacts API alarm topic (" + config.name() + ")")
            .enableKeyRotation(true)
            .removalPolicy(config.removalPolicy())
            .build();
    key.grant(
        new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    Topic topic =
        Topic.Builder.create(this, "AlarmTopic")
            .displayName("Contacts API alarms (" + config.name() + ")")
            .masterKey(key)
            .enforceSsl(true)
            .build();
    topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  private void createAlarms() {
    EnvironmentConfig.AlarmThresholds t = config.alarms();
    MetricOptions average =
        MetricOptions.builder().statistic("Average").period(ALARM_PERIOD).build();
    MetricOptions p99 = MetricOptions.builder().statistic("p99").period(ALARM_PERIOD).build();
    MetricOptions sum = MetricOptions.builder().statistic("Sum").period(ALARM_PERIOD).build();

    // 5XXError averaged over the period is the fraction of requests answered 5xx.
    alarm(
        "Api5xxRateAlarm",
        api.getDeploymentStage().metricServerError(average),
        t.api5xxRate(),
        1,
        "More than " + t.api5xxRate() * 100 + "% of API requests answered 5xx in 5 minutes");
    alarm(
        "ApiLatencyP99Alarm",
        api.getDeploymentStage().metricLatency(p99),
        t.p99LatencyMillis(),
        3,
        "API p99 latency above " + t.p99LatencyMillis() + " ms in 3 consecutive 5-minute periods");
    for (Function function : List.of(apiFunction, authorizerFunction)) {
      String id = function.getNode().getId();
      alarm(
          id + "ErrorsAlarm",
          function.metricErrors(sum),
          t.lambdaErrors(),
          1,
          id + " invocations failed (unhandled errors or timeouts)");
      alarm(
          id + "ThrottlesAlarm",
          function.metricThrottles(sum),
          t.lambdaThrottles(),
          1,
          id + " invocations throttled (account or reserved concurrency exhausted)");
    }
    OperationsMetricOptions tableOps =
        OperationsMetricOptions.builder().operations(TABLE_OPERATIONS).period(ALARM_PERIOD).build();
    alarm(
        "TableThrottledRequestsAlarm",
        table.metricThrottledRequestsForOperations(tableOps),
        t.dynamoThrottledRequests(),
        1,
        "DynamoDB requests throttled on the contacts table");
    alarm(
        "TableSystemErrorsAlarm",
        table.metricSystemErrorsForOperations(tableOps),
        t.dynamoSystemErrors(),
        1,
        "DynamoDB answered 5xx (system errors) on the contacts table");
  }

  private void alarm(String id, IMetric metric, double threshold, int periods, String description) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .metric(metric)
            .threshold(threshold)
            .evaluationPeriods(periods)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .alarmDescription(description + " (" + config.name() + ")")
            .build();
    alarmTopic.ifPresent(topic -> alarm.addAlarmAction(new SnsAction(topic)));
    alarms.add(alarm);
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  private static void suppress(
      IConstruct construct, String rule, String reason, String... appliesTo) {
    NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(rule).reason(reason);
    if (appliesTo.length > 0) {
      suppression.appliesTo(List.of((Object[]) appliesTo));
    }
    NagSuppressions.addResourceSuppressions(construct, List.of(suppression.build()));
  }

  public EnvironmentConfig config() {
    return config;
  }

  public Table table() {
    return table;
  }

  public RestApi api() {
    return api;
  }

  public Alias apiAlias() {
    return apiAlias;
  }

  public Alias authorizerAlias() {
    return authorizerAlias;
  }

  public Optional<Topic> alarmTopic() {
    return alarmTopic;
  }

  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }
}
