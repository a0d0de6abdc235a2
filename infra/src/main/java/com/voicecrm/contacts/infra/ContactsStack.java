package com.voicecrm.contacts.infra;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.ServiceContract.ListIndexes;
import com.voicecrm.contacts.config.ServiceContract.MetricNames;
import com.voicecrm.contacts.config.UsagePlans;
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
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.ApiKeySourceType;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.DomainName;
import software.amazon.awscdk.services.apigateway.DomainNameOptions;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.IdentitySource;
import software.amazon.awscdk.services.apigateway.IntegrationResponse;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.MethodResponse;
import software.amazon.awscdk.services.apigateway.MockIntegration;
import software.amazon.awscdk.services.apigateway.PassthroughBehavior;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.SecurityPolicy;
import software.amazon.awscdk.services.apigateway.Stage;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.TokenAuthorizer;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.amazon.awscdk.services.apigateway.UsagePlanProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.Operation;
import software.amazon.awscdk.services.dynamodb.OperationsMetricOptions;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.Effect;
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
import software.amazon.awscdk.services.lambda.VersionOptions;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.logs.MetricFilterOptions;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Subscription;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The whole service: one DynamoDB table, the API and authorizer functions (each called through its
 * SnapStart alias {@value #ALIAS}), a regional REST API with a stage-wide throttle, usage plans and
 * a WAF size rule, and alarms. API Gateway's account-wide CloudWatch role is {@link
 * AccountStack}'s. Nothing is looked up from the account, so the stack synthesises without
 * credentials.
 */
public final class ContactsStack extends Stack {

  /** Alias API Gateway calls: a published version, so SnapStart applies. */
  public static final String ALIAS = "live";

  public static final String PLAN_FREE = UsagePlans.FREE;
  public static final String PLAN_PRO = UsagePlans.PRO;

  /** Stack output keys; the ops commands read them to find the deployed resources. */
  public static final String OUTPUT_TABLE_NAME = "TableName";

  public static final String OUTPUT_API_URL = "ApiUrl";
  public static final String OUTPUT_API_ID = "RestApiId";
  public static final String OUTPUT_FREE_PLAN_ID = "FreeUsagePlanId";
  public static final String OUTPUT_PRO_PLAN_ID = "ProUsagePlanId";

  /**
   * Table actions of the API function, those DynamoContactStore calls (and its
   * DynamoIdempotencyRecords, whose records need no action of their own): GetItem, BatchGetItem,
   * and TransactWriteItems, which IAM authorises per contained action (its Put, Update and Delete,
   * and the ConditionCheck that guards a contact's tag memberships written after its transaction).
   */
  static final List<String> API_TABLE_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:BatchGetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:ConditionCheckItem");

  /** The list route's one index action, granted on the two list indexes only (not the table). */
  static final String API_INDEX_ACTION = "dynamodb:Query";

  /** The list route's indexes (SPEC 9), named and keyed by ServiceContract. */
  static final List<String> LIST_INDEXES =
      List.of(ListIndexes.WORKSPACE_INDEX, ListIndexes.TAG_INDEX);

  /**
   * What API Gateway matches the whole Authorization header value against before it invokes the
   * authorizer (a mismatch is 401 without an invocation): the scheme in any case, as the authorizer
   * accepts it, and the key format of {@code ApiKeys}.
   */
  public static final String AUTHORIZATION_REGEX =
      "^[Bb][Ee][Aa][Rr][Ee][Rr] +sk_(live|test)_[A-Za-z0-9_-]{32,128}$";

  /**
   * Content-Length values longer than this many digits are blocked by the web ACL (413), except on
   * the batch route, which takes up to ServiceContract.MAX_BATCH_BODY_BYTES.
   */
  static final int MAX_CONTENT_LENGTH_DIGITS = ServiceContract.EDGE_MAX_CONTENT_LENGTH_DIGITS;

  /**
   * How the Lambda runtime begins the ERROR record of a rejected key: {@code "<message>: <type>"}
   * (aws-lambda-java-runtime-interface-client, UserFault.reportableError).
   */
  static final String AUTHORIZER_REJECTION_LOG_PREFIX =
      ServiceContract.AUTHORIZER_REJECTION_LOG_PREFIX;

  /** Namespace of the metrics this stack derives from logs; each environment has its own. */
  public static String metricNamespace(String environment) {
    return "ContactsApi/" + environment;
  }

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
          Operation.TRANSACT_WRITE_ITEMS,
          Operation.QUERY);

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
  private final Optional<ITopic> alarmTopic;
  private LogGroup accessLogs;

  public ContactsStack(
      Construct scope,
      String id,
      StackProps props,
      EnvironmentConfig config,
      Path functionJar,
      Path apiDocument) {
    super(scope, id, props);
    this.config = config;
    if (config.requiresAlarmTarget() && !config.hasAlarmTarget()) {
      throw new IllegalArgumentException(
          "environment "
              + config.name()
              + " needs an alarm target, else its alarms notify nobody: pass -c alarmEmail=<address>"
              + " or -c alarmTopicArn=<ARN of an SNS topic CloudWatch may publish to>");
    }
    if (config.alarmEmail().isPresent() && config.alarmTopicArn().isPresent()) {
      throw new IllegalArgumentException("give alarmEmail or alarmTopicArn, not both");
    }

    table =
        Table.Builder.create(this, "ContactsTable")
            .partitionKey(stringKey(ServiceContract.PARTITION_KEY))
            .sortKey(stringKey(ServiceContract.SORT_KEY))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            // Idempotency records expire after 24 h; DynamoDB deletes them for free, lazily.
            .timeToLiveAttribute(ServiceContract.TIME_TO_LIVE_ATTRIBUTE)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(TableEncryption.AWS_MANAGED)
            .deletionProtection(config.deletionProtection())
            .removalPolicy(config.removalPolicy())
            .build();
    // Sparse and keys-only: an entry names a contact and its place in the order (updatedAt, id);
    // the list route then reads the contacts from the table, consistently.
    listIndex(ListIndexes.WORKSPACE_INDEX, ListIndexes.WORKSPACE_PARTITION);
    listIndex(ListIndexes.TAG_INDEX, ListIndexes.TAG_PARTITION);

    Code code = Code.fromAsset(functionJar.toString());
    apiFunction =
        javaFunction(
            "ApiFunction",
            "Contacts API routes",
            ServiceContract.API_HANDLER,
            config.apiTimeoutSeconds(),
            API_TABLE_ACTIONS,
            code);
    // The list route queries the two list indexes, and nothing else (never the table itself).
    apiFunction.addToRolePolicy(
        PolicyStatement.Builder.create()
            .actions(List.of(API_INDEX_ACTION))
            .resources(
                LIST_INDEXES.stream()
                    .map(index -> table.getTableArn() + "/index/" + index)
                    .toList())
            .build());
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
    publishDescription(ApiDescription.responseTemplate(apiDocument));
    usagePlans.put(PLAN_FREE, usagePlan("FreeUsagePlan", PLAN_FREE, config.free()));
    usagePlans.put(PLAN_PRO, usagePlan("ProUsagePlan", PLAN_PRO, config.pro()));
    config.customDomain().ifPresent(this::customDomain);

    webAcl();
    alarmTopic =
        config
            .alarmTopicArn()
            .<ITopic>map(arn -> Topic.fromTopicArn(this, "AlarmTopic", arn))
            .or(() -> config.alarmEmail().map(this::alarmTopic));
    createAlarms();
    dashboard();

    output(OUTPUT_TABLE_NAME, table.getTableName(), "DynamoDB table (generated name)");
    output(OUTPUT_API_URL, api.urlForPath("/"), "Base URL of the API stage");
    output(OUTPUT_API_ID, api.getRestApiId(), "REST API id");
    output(OUTPUT_FREE_PLAN_ID, usagePlans.get(PLAN_FREE).getUsagePlanId(), "free usage plan");
    output(OUTPUT_PRO_PLAN_ID, usagePlans.get(PLAN_PRO).getUsagePlanId(), "pro usage plan");

    suppress(
        api,
        "AwsSolutions-APIG2",
        "Every route is a Lambda proxy: the function validates the request against the API "
            + "contract and reports every problem as problem+json; a gateway validator would "
            + "answer with a different error format and only part of the rules.");
    suppressTableScans();
  }

  private void listIndex(String name, String partitionKey) {
    table.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName(name)
            .partitionKey(stringKey(partitionKey))
            .sortKey(stringKey(ListIndexes.SORT))
            .projectionType(ProjectionType.KEYS_ONLY)
            .build());
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
    // The Environment dimension of the function's metrics.
    environment.put(ServiceContract.ENV_ENVIRONMENT_NAME, config.name());
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
            // Each deploy publishes a version; retained, the previous ones stay for a rollback
            // (update-alias to one of them, README Deploy).
            .currentVersionOptions(
                VersionOptions.builder().removalPolicy(RemovalPolicy.RETAIN).build())
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
    suppressFunctionScans(function, logGroup);
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

  private void suppressFunctionScans(Function function, LogGroup logGroup) {
    ScanSuppressions.checkov(
        function,
        "CKV_AWS_116",
        "Only API Gateway invokes it, synchronously; a dead-letter queue applies to asynchronous "
            + "invocations only.");
    ScanSuppressions.checkov(
        function,
        "CKV_AWS_117",
        "It reaches only DynamoDB, over TLS with IAM; a VPC would add NAT or endpoint cost and "
            + "cold-start time and protect nothing the function can reach.");
    ScanSuppressions.checkov(
        function,
        "CKV_AWS_115",
        "No reserved concurrency: the stage-wide throttle bounds the load, and reserving would "
            + "fail deploys in accounts with the low default concurrency limit.");
    ScanSuppressions.checkov(
        function,
        "CKV_AWS_173",
        "Its only environment values are the table name, the environment name and JVM options, "
            + "no secret; Lambda "
            + "encrypts them at rest with its service key.");
    ScanSuppressions.cfnLint(
        function,
        "WS1004",
        "The rule looks for a log group named /aws/lambda/<name>; this function logs to its own "
            + "log group (LoggingConfig.LogGroup), which has retention from the config.");
    if (!config.tracing()) {
      ScanSuppressions.cfnLint(
          function,
          "WS1000",
          "X-Ray tracing is off in dev-like environments by config (EnvironmentConfig.tracing); "
              + "prod traces.");
    }
    logGroupScans(logGroup);
  }

  /** The same reason for every log group of the stack. */
  private static void logGroupScans(LogGroup logGroup) {
    ScanSuppressions.checkov(
        logGroup,
        "CKV_AWS_158",
        "CloudWatch Logs encrypts every log group at rest; the logs hold no personal data (no "
            + "bodies, no headers, key ids only), so a customer-managed key adds cost, not "
            + "protection.");
  }

  private void suppressTableScans() {
    ScanSuppressions.checkov(
        table,
        "CKV_AWS_119",
        "Encrypted at rest with the AWS-managed key on purpose: who reads the table is decided "
            + "by IAM; a customer-managed key would add cost and a key policy, not a boundary.");
  }

  private Alias liveAlias(String id, Function function) {
    return Alias.Builder.create(this, id)
        .aliasName(ALIAS)
        .version(function.getCurrentVersion())
        .build();
  }

  private RestApi restApi() {
    accessLogs =
        LogGroup.Builder.create(this, "ApiAccessLogs")
            .retention(config.logRetention())
            .removalPolicy(config.removalPolicy())
            .build();
    logGroupScans(accessLogs);

    TokenAuthorizer authorizer =
        TokenAuthorizer.Builder.create(this, "ApiKeyAuthorizer")
            .handler(authorizerAlias)
            .identitySource(IdentitySource.header("Authorization"))
            .validationRegex(AUTHORIZATION_REGEX)
            .resultsCacheTtl(Duration.seconds(config.authorizerCacheSeconds()))
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
            // The account's CloudWatch role is AccountStack's: one per account and region.
            .cloudWatchRole(false)
            .deployOptions(
                StageOptions.builder()
                    .stageName(config.name())
                    // Stage-wide, before the authorizer: bounds what random keys can cost.
                    .throttlingRateLimit(config.stageThrottle().rateLimit())
                    .throttlingBurstLimit(config.stageThrottle().burstLimit())
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
    // enforces ServiceContract.MAX_BODY_BYTES (256 KiB; MAX_BATCH_BODY_BYTES, 1 MiB, on the batch
    // route) and answers 413 itself.
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

    // API Gateway creates this group on the first error it logs, without retention; declared
    // first (the stage depends on it), it keeps the configured retention.
    LogGroup executionLogs =
        LogGroup.Builder.create(this, "ApiExecutionLogs")
            .logGroupName(
                "API-Gateway-Execution-Logs_" + restApi.getRestApiId() + "/" + config.name())
            .retention(config.logRetention())
            .removalPolicy(config.removalPolicy())
            .build();
    restApi.getDeploymentStage().getNode().addDependency(executionLogs);
    logGroupScans(executionLogs);

    Stage stage = restApi.getDeploymentStage();
    ScanSuppressions.checkov(
        stage,
        "CKV_AWS_120",
        "No stage cache: every answer is per API key and workspace and holds personal data that "
            + "must not be served stale after a write.");
    if (!config.tracing()) {
      ScanSuppressions.checkov(
          stage,
          "CKV_AWS_73",
          "X-Ray tracing is off in dev-like environments by config (EnvironmentConfig.tracing); "
              + "prod traces.");
      ScanSuppressions.cfnLint(
          stage,
          "WS2002",
          "X-Ray tracing is off in dev-like environments by config (EnvironmentConfig.tracing); "
              + "prod traces.");
    }
    return restApi;
  }

  /**
   * {@code GET /openapi.json} on the stage, without a key: API Gateway answers it itself (a MOCK
   * integration whose response template is the document, {@link ApiDescription}), so the function
   * and its jar carry none of it and the usage plans do not count it; the stage throttle and the
   * web ACL still apply. A changed document changes the method, hence the deployment, so the next
   * deploy serves it.
   */
  private void publishDescription(String document) {
    Method method =
        api.getRoot()
            .addResource(ApiDescription.PATH_PART)
            .addMethod(
                "GET",
                MockIntegration.Builder.create()
                    .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}"))
                    // Another request Content-Type gets 415, not a pass-through the mock cannot
                    // read.
                    .passthroughBehavior(PassthroughBehavior.NEVER)
                    .integrationResponses(
                        List.of(
                            IntegrationResponse.builder()
                                .statusCode("200")
                                .responseTemplates(Map.of("application/json", document))
                                .build()))
                    .build(),
                MethodOptions.builder()
                    .authorizationType(AuthorizationType.NONE)
                    .apiKeyRequired(false)
                    .methodResponses(List.of(MethodResponse.builder().statusCode("200").build()))
                    .build());
    String reason =
        "The public API description (the OpenAPI document, as make run serves it): a fixed "
            + "document with no data behind it, answered by API Gateway itself; clients and tools "
            + "read it before they have a key.";
    suppress(method, "AwsSolutions-APIG4", reason);
    suppress(method, "AwsSolutions-COG4", reason);
    ScanSuppressions.checkov(method, "CKV_AWS_59", reason);
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

  private UsagePlan usagePlan(String id, String plan, UsagePlans.Limits limits) {
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
                QuotaSettings.builder()
                    .limit(limits.quota())
                    .period(Period.valueOf(limits.quotaPeriod().name()))
                    .build())
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

  /**
   * A regional web ACL with one rule: a Content-Length of more than {@link
   * #MAX_CONTENT_LENGTH_DIGITS} digits (1,000,000 bytes and more) is blocked before the authorizer
   * and the function, except on a path ending in the batch route when it is at most 1 MiB
   * (ServiceContract.EDGE_BATCH_CONTENT_LENGTH_REGEX), and API Gateway answers the block with its
   * WAF_FILTERED gateway response, 413 payload-too-large (ProblemResponses). Lambda reports a
   * request over its 6 MB payload limit to API Gateway as a failed integration, which no gateway
   * response type tells apart from other failures. Every WAF block gets the 413 answer, so this
   * must stay the web ACL's only blocking rule.
   */
  private void webAcl() {
    String metricPrefix = "contacts-" + config.name();
    CfnWebACL acl =
        CfnWebACL.Builder.create(this, "ApiWebAcl")
            .scope("REGIONAL")
            // WAF allows letters, digits, spaces and =:#@/-,. only.
            .description("Contacts API " + config.name() + " - request size before Lambda")
            .defaultAction(
                CfnWebACL.DefaultActionProperty.builder()
                    .allow(CfnWebACL.AllowActionProperty.builder().build())
                    .build())
            .visibilityConfig(wafVisibility(metricPrefix + "-web-acl"))
            .rules(
                List.of(
                    CfnWebACL.RuleProperty.builder()
                        .name("BodyOverRouteLimit")
                        .priority(0)
                        .action(
                            CfnWebACL.RuleActionProperty.builder()
                                .block(CfnWebACL.BlockActionProperty.builder().build())
                                .build())
                        // Over 999,999 bytes, unless it is the batch route with at most 1 MiB.
                        .statement(
                            and(
                                contentLengthOverDigits(MAX_CONTENT_LENGTH_DIGITS),
                                CfnWebACL.StatementProperty.builder()
                                    .notStatement(
                                        CfnWebACL.NotStatementProperty.builder()
                                            .statement(
                                                and(
                                                    pathEndsWith(
                                                        ServiceContract.BATCH_UPSERT_RESOURCE),
                                                    contentLengthMatches(
                                                        ServiceContract
                                                            .EDGE_BATCH_CONTENT_LENGTH_REGEX)))
                                            .build())
                                    .build()))
                        .visibilityConfig(wafVisibility(metricPrefix + "-content-length"))
                        .build()))
            .build();
    ScanSuppressions.checkov(
        acl,
        "CKV_AWS_192",
        "The web ACL only bounds the request size; the Log4j managed rule guards against "
            + "Log4j, which the function does not contain (SLF4J bound to Lambda's logger).");
    Stage stage = api.getDeploymentStage();
    CfnWebACLAssociation association =
        CfnWebACLAssociation.Builder.create(this, "ApiWebAclAssociation")
            .resourceArn(stage.getStageArn())
            .webAclArn(acl.getAttrArn())
            .build();
    association.getNode().addDependency(stage);
  }

  private static final List<CfnWebACL.TextTransformationProperty> AS_SENT =
      List.of(CfnWebACL.TextTransformationProperty.builder().priority(0).type("NONE").build());

  private static CfnWebACL.FieldToMatchProperty contentLengthHeader() {
    return CfnWebACL.FieldToMatchProperty.builder()
        .singleHeader(Map.of("Name", "content-length"))
        .build();
  }

  private static CfnWebACL.StatementProperty and(CfnWebACL.StatementProperty... statements) {
    return CfnWebACL.StatementProperty.builder()
        .andStatement(
            CfnWebACL.AndStatementProperty.builder().statements(List.of(statements)).build())
        .build();
  }

  /** The size of a header is the length of its value: the number of digits of Content-Length. */
  private static CfnWebACL.StatementProperty contentLengthOverDigits(int digits) {
    return CfnWebACL.StatementProperty.builder()
        .sizeConstraintStatement(
            CfnWebACL.SizeConstraintStatementProperty.builder()
                .fieldToMatch(contentLengthHeader())
                .comparisonOperator("GT")
                .size(digits)
                .textTransformations(AS_SENT)
                .build())
        .build();
  }

  private static CfnWebACL.StatementProperty contentLengthMatches(String regex) {
    return CfnWebACL.StatementProperty.builder()
        .regexMatchStatement(
            CfnWebACL.RegexMatchStatementProperty.builder()
                .fieldToMatch(contentLengthHeader())
                .regexString(regex)
                .textTransformations(AS_SENT)
                .build())
        .build();
  }

  /** The path as the client sent it: after a stage or a custom domain's base path. */
  private static CfnWebACL.StatementProperty pathEndsWith(String resource) {
    return CfnWebACL.StatementProperty.builder()
        .byteMatchStatement(
            CfnWebACL.ByteMatchStatementProperty.builder()
                .fieldToMatch(CfnWebACL.FieldToMatchProperty.builder().uriPath(Map.of()).build())
                .positionalConstraint("ENDS_WITH")
                .searchString(resource)
                .textTransformations(AS_SENT)
                .build())
        .build();
  }

  private static CfnWebACL.VisibilityConfigProperty wafVisibility(String metricName) {
    return CfnWebACL.VisibilityConfigProperty.builder()
        .metricName(metricName)
        .cloudWatchMetricsEnabled(true)
        // Sampled requests (and WAF logging, also off) keep headers, Authorization included.
        // Blocks show in the access log (413, errorType WAF_FILTERED) and these metrics.
        .sampledRequestsEnabled(false)
        .build();
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
    Subscription subscription = topic.addSubscription(new EmailSubscription(email));
    ScanSuppressions.cfnLint(
        subscription,
        "ES7000",
        "An e-mail subscription: a dead-letter queue for undeliverable alarm mails would need a "
            + "watcher of its own; the alarm states stay in CloudWatch either way.");
    // enforceSsl replaces SNS's default policy with one holding only its Deny: CloudWatch needs an
    // Allow, for alarms of this account only.
    topic.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("AllowCloudWatchAlarmsOfThisAccount")
            .effect(Effect.ALLOW)
            .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
            .actions(List.of("sns:Publish"))
            .resources(List.of(topic.getTopicArn()))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", getAccount())))
            .build());
    return topic;
  }

  private void createAlarms() {
    EnvironmentConfig.AlarmThresholds t = config.alarms();
    MetricOptions average =
        MetricOptions.builder().statistic("Average").period(ALARM_PERIOD).build();
    MetricOptions p99 = MetricOptions.builder().statistic("p99").period(ALARM_PERIOD).build();
    MetricOptions sum = MetricOptions.builder().statistic("Sum").period(ALARM_PERIOD).build();

    // From the access log, not API Gateway's 5XXError: that counts a gateway response by the
    // status of its type (503 remapped from a 5xx type counts as 4XXError). One data point per
    // request, 1 for a 5xx status, else 0: the average is the fraction answered 5xx.
    MetricFilter responses5xx =
        accessLogs.addMetricFilter(
            "Responses5xxFilter",
            MetricFilterOptions.builder()
                .filterPattern(FilterPattern.stringValue("$.status", "=", "5*"))
                .metricNamespace(metricNamespace(config.name()))
                .metricName("Responses5xx")
                .metricValue("1")
                .defaultValue(0)
                .build());
    alarm(
        "Api5xxRateAlarm",
        responses5xx.metric(average),
        t.api5xxRate(),
        1,
        "More than "
            + t.api5xxRate() * 100
            + "% of API responses were 5xx in 5 minutes (access log status)");
    alarm(
        "ApiLatencyP99Alarm",
        api.getDeploymentStage().metricLatency(p99),
        t.p99LatencyMillis(),
        3,
        "API p99 latency above " + t.p99LatencyMillis() + " ms in 3 consecutive 5-minute periods");
    alarm(
        "ApiFunctionErrorsAlarm",
        apiFunction.metricErrors(sum),
        t.lambdaErrors(),
        1,
        "ApiFunction invocations failed (unhandled errors or timeouts)");
    // Every rejected key is a function error by design (API Gateway needs "Unauthorized"), so the
    // authorizer's Errors metric says nothing. Real failures are the ERROR records of its log
    // other than the runtime's report of that rejection, which starts with its message and type.
    MetricFilter authorizerFailures =
        authorizerFunction
            .getLogGroup()
            .addMetricFilter(
                "AuthorizerFailuresFilter",
                MetricFilterOptions.builder()
                    .filterPattern(
                        FilterPattern.all(
                            FilterPattern.stringValue("$.level", "=", "ERROR"),
                            FilterPattern.stringValue(
                                "$.message", "!=", AUTHORIZER_REJECTION_LOG_PREFIX + "*")))
                    .metricNamespace(metricNamespace(config.name()))
                    .metricName("AuthorizerFailures")
                    .metricValue("1")
                    .build());
    alarm(
        "AuthorizerFailuresAlarm",
        authorizerFailures.metric(sum),
        t.lambdaErrors(),
        1,
        "AuthorizerFunction logged errors other than rejected keys (timeouts show as 5xx)");
    for (Function function : List.of(apiFunction, authorizerFunction)) {
      String id = function.getNode().getId();
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
    // From the function's EMF records: 503s from contention (the same contacts written at once
    // until the retries ran out), which API Gateway and DynamoDB metrics cannot tell from outages.
    alarm(
        "LostRacesExhaustedAlarm",
        functionMetric(MetricNames.LOST_RACES_EXHAUSTED, "Sum"),
        t.lostRacesExhausted(),
        1,
        "Requests answered 503 because they kept losing races to concurrent writes of the same"
            + " contacts until the retries ran out");
  }

  /** A metric of the API function's EMF records, over all routes, for this environment. */
  private Metric functionMetric(String name, String statistic) {
    return Metric.Builder.create()
        .namespace(MetricNames.NAMESPACE)
        .metricName(name)
        .dimensionsMap(Map.of(MetricNames.ENVIRONMENT, config.name()))
        .statistic(statistic)
        .period(ALARM_PERIOD)
        .build();
  }

  /**
   * The operator's view of what API Gateway cannot see: writes by outcome, retries and lost races,
   * the function's 503s and DynamoDB call latency, from the function's EMF records.
   */
  private void dashboard() {
    List<IMetric> outcomes = new ArrayList<>();
    for (String route : List.of("POST /v1/contacts/upsert", "POST /v1/contacts")) {
      for (String outcome : List.of("created", "updated", "unchanged", "invalid", "conflict")) {
        if (route.equals("POST /v1/contacts")
            && List.of("updated", "unchanged").contains(outcome)) {
          continue; // a create never updates
        }
        outcomes.add(
            Metric.Builder.create()
                .namespace(MetricNames.NAMESPACE)
                .metricName(MetricNames.REQUESTS)
                .dimensionsMap(
                    Map.of(
                        MetricNames.ENVIRONMENT,
                        config.name(),
                        MetricNames.ROUTE,
                        route,
                        MetricNames.OUTCOME,
                        outcome))
                .statistic("Sum")
                .period(ALARM_PERIOD)
                .label(route + " " + outcome)
                .build());
      }
    }
    List<IMetric> retries = new ArrayList<>();
    for (String name :
        List.of(
            MetricNames.RETRIES,
            MetricNames.LOST_RACES,
            MetricNames.RETRIES_EXHAUSTED,
            MetricNames.LOST_RACES_EXHAUSTED,
            MetricNames.UNAVAILABLE)) {
      retries.add(functionMetric(name, "Sum"));
    }
    List<IMetric> latency = new ArrayList<>();
    for (String statistic : List.of("p50", "p99", "Maximum")) {
      latency.add(functionMetric(MetricNames.DYNAMODB_LATENCY, statistic));
    }
    Dashboard.Builder.create(this, "OperationsDashboard")
        .dashboardName(ContactsApp.stackName(config.name()))
        .widgets(
            List.of(
                List.of(
                    GraphWidget.Builder.create()
                        .title("Upserts and creates by outcome (per 5 min)")
                        .left(outcomes)
                        .width(24)
                        .build()),
                List.of(
                    GraphWidget.Builder.create()
                        .title("Retries, lost races and 503s (per 5 min)")
                        .left(retries)
                        .width(12)
                        .build(),
                    GraphWidget.Builder.create()
                        .title("DynamoDB call latency (ms, SDK retries included)")
                        .left(latency)
                        .width(12)
                        .build())))
        .build();
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

  public Optional<ITopic> alarmTopic() {
    return alarmTopic;
  }

  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }
}
