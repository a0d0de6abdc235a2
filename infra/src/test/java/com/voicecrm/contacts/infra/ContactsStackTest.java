package com.voicecrm.contacts.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.api.Problem;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.ServiceContract.ListIndexes;
import com.voicecrm.contacts.config.UsagePlans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The properties of the synthesised stack that the service relies on, for a dev and a prod
 * configuration. Templates are synthesised once per configuration (see {@link Stacks}).
 */
class ContactsStackTest {

  private static Template template(String env) {
    return Stacks.forEnv(env).template();
  }

  private static Map<String, Object> tableArn() {
    return Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("ContactsTable.*"), "Arn"));
  }

  // ---- DynamoDB ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void table_isOnDemandEncryptedWithPitr_andKeysFromServiceContract(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::DynamoDB::Table",
            Match.objectLike(
                Map.of(
                    "BillingMode", "PAY_PER_REQUEST",
                    "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                    "SSESpecification", Map.of("SSEEnabled", true),
                    "KeySchema",
                        List.of(
                            Map.of(
                                "AttributeName", ServiceContract.PARTITION_KEY, "KeyType", "HASH"),
                            Map.of("AttributeName", ServiceContract.SORT_KEY, "KeyType", "RANGE")),
                    // The list indexes' keys follow (table_hasTheTwoListIndexes_...).
                    "AttributeDefinitions",
                        Match.arrayWith(
                            List.of(
                                Map.of(
                                    "AttributeName",
                                    ServiceContract.PARTITION_KEY,
                                    "AttributeType",
                                    "S"),
                                Map.of(
                                    "AttributeName",
                                    ServiceContract.SORT_KEY,
                                    "AttributeType",
                                    "S"))))));
    template(env).resourceCountIs("AWS::DynamoDB::Table", 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void table_expiresIdempotencyRecords_byTheContractsTimeToLiveAttribute(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::DynamoDB::Table",
            Match.objectLike(
                Map.of(
                    "TimeToLiveSpecification",
                    Map.of(
                        "AttributeName",
                        ServiceContract.TIME_TO_LIVE_ATTRIBUTE,
                        "Enabled",
                        true))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void table_nameIsGenerated_noLocalIndexes(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::DynamoDB::Table",
            Match.objectLike(
                Map.of(
                    "TableName", Match.absent(),
                    "LocalSecondaryIndexes", Match.absent(),
                    // AWS-managed key: no customer key is named.
                    "SSESpecification",
                        Map.of("SSEEnabled", true, "KMSMasterKeyId", Match.absent()))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void table_hasTheTwoListIndexes_sparseKeysOnly_namedByServiceContract(String env) {
    Map<String, Object> workspaceIndex =
        Map.of(
            "IndexName", ListIndexes.WORKSPACE_INDEX,
            "KeySchema",
                List.of(
                    Map.of("AttributeName", ListIndexes.WORKSPACE_PARTITION, "KeyType", "HASH"),
                    Map.of("AttributeName", ListIndexes.SORT, "KeyType", "RANGE")),
            "Projection", Map.of("ProjectionType", "KEYS_ONLY"));
    Map<String, Object> tagIndex =
        Map.of(
            "IndexName", ListIndexes.TAG_INDEX,
            "KeySchema",
                List.of(
                    Map.of("AttributeName", ListIndexes.TAG_PARTITION, "KeyType", "HASH"),
                    Map.of("AttributeName", ListIndexes.SORT, "KeyType", "RANGE")),
            "Projection", Map.of("ProjectionType", "KEYS_ONLY"));
    template(env)
        .hasResourceProperties(
            "AWS::DynamoDB::Table",
            Match.objectLike(
                Map.of(
                    "GlobalSecondaryIndexes",
                    List.of(workspaceIndex, tagIndex),
                    "AttributeDefinitions",
                    Match.arrayWith(
                        List.of(
                            Map.of(
                                "AttributeName",
                                ListIndexes.WORKSPACE_PARTITION,
                                "AttributeType",
                                "S"),
                            Map.of("AttributeName", ListIndexes.SORT, "AttributeType", "S"),
                            Map.of(
                                "AttributeName",
                                ListIndexes.TAG_PARTITION,
                                "AttributeType",
                                "S"))))));
  }

  @Test
  void table_inProd_isRetainedAndDeletionProtected() {
    template("prod")
        .hasResource(
            "AWS::DynamoDB::Table",
            Match.objectLike(
                Map.of(
                    "DeletionPolicy", "Retain",
                    "UpdateReplacePolicy", "Retain",
                    "Properties", Match.objectLike(Map.of("DeletionProtectionEnabled", true)))));
  }

  @Test
  void table_inDev_isDestroyedWithoutDeletionProtection() {
    template("dev")
        .hasResource(
            "AWS::DynamoDB::Table",
            Match.objectLike(
                Map.of(
                    "DeletionPolicy",
                    "Delete",
                    "Properties",
                    Match.objectLike(Map.of("DeletionProtectionEnabled", false)))));
  }

  // ---- Lambda ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void functions_areJava21Arm64WithSnapStartAndJsonLogs(String env) {
    for (String handler :
        List.of(ServiceContract.API_HANDLER, ServiceContract.AUTHORIZER_HANDLER)) {
      template(env)
          .hasResourceProperties(
              "AWS::Lambda::Function",
              Match.objectLike(
                  Map.of(
                      "Handler", handler,
                      "Runtime", "java21",
                      "Architectures", List.of("arm64"),
                      "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                      "LoggingConfig",
                          Match.objectLike(
                              Map.of(
                                  "LogFormat",
                                  "JSON",
                                  "LogGroup",
                                  Map.of("Ref", Match.anyValue()))),
                      "Environment",
                          Map.of(
                              "Variables",
                              Map.of(
                                  ServiceContract.ENV_TABLE_NAME,
                                  Map.of("Ref", Match.stringLikeRegexp("ContactsTable.*")),
                                  // The Environment dimension of the API function's metrics.
                                  ServiceContract.ENV_ENVIRONMENT_NAME,
                                  env)))));
    }
    template(env).resourceCountIs("AWS::Lambda::Function", 2);
  }

  @Test
  void functions_useConfiguredMemoryAndTracing() {
    template("dev")
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Match.objectLike(
                Map.of(
                    "MemorySize", EnvironmentConfig.forName("dev").memoryMb(),
                    "TracingConfig", Match.absent())));
    template("prod")
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Match.objectLike(
                Map.of(
                    "MemorySize", EnvironmentConfig.forName("prod").memoryMb(),
                    "TracingConfig", Map.of("Mode", "Active"))));
  }

  @Test
  void functions_getJavaToolOptions_onlyWhenConfigured() {
    template("dev")
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Match.objectLike(
                Map.of(
                    "Environment",
                    Map.of(
                        "Variables",
                        Match.objectLike(Map.of("JAVA_TOOL_OPTIONS", Match.absent()))))));
    Template tuned =
        Stacks.cached(
                "tuned",
                () ->
                    EnvironmentConfig.forName("tuned")
                        .withJavaToolOptions("-XX:+TieredCompilation -XX:TieredStopAtLevel=1"))
            .template();
    tuned.hasResourceProperties(
        "AWS::Lambda::Function",
        Match.objectLike(
            Map.of(
                "Handler",
                ServiceContract.API_HANDLER,
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "JAVA_TOOL_OPTIONS",
                            "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void functions_haveLiveAliasOnAPublishedVersion(String env) {
    for (String function : List.of("ApiFunction", "AuthorizerFunction")) {
      template(env)
          .hasResourceProperties(
              "AWS::Lambda::Alias",
              Match.objectLike(
                  Map.of(
                      "Name", ContactsStack.ALIAS,
                      "FunctionName",
                          Map.of("Ref", Match.stringLikeRegexp(function + "[0-9A-F]{8}")),
                      "FunctionVersion",
                          Map.of(
                              "Fn::GetAtt",
                              List.of(
                                  Match.stringLikeRegexp(function + "CurrentVersion.*"),
                                  "Version")))));
    }
    template(env).resourceCountIs("AWS::Lambda::Version", 2);
  }

  @ParameterizedTest
  @CsvSource({"dev, 7", "prod, 90"})
  void logGroups_haveConfiguredRetention(String env, int days) {
    // Both functions', the access log and API Gateway's execution log.
    template(env).resourceCountIs("AWS::Logs::LogGroup", 4);
    assertEquals(
        4,
        template(env)
            .findResources(
                "AWS::Logs::LogGroup",
                Match.objectLike(Map.of("Properties", Map.of("RetentionInDays", days))))
            .size());
  }

  // ---- IAM ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void apiFunction_mayOnlyUseItsTableActions_onThisTable(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::IAM::Policy",
            Match.objectLike(
                Map.of(
                    "PolicyName", Match.stringLikeRegexp("ApiFunctionRole.*"),
                    "PolicyDocument",
                        Match.objectLike(
                            Map.of(
                                "Statement",
                                Match.arrayWith(
                                    List.of(
                                        Map.of(
                                            "Action",
                                                List.of(
                                                    "dynamodb:GetItem",
                                                    "dynamodb:BatchGetItem",
                                                    "dynamodb:PutItem",
                                                    "dynamodb:UpdateItem",
                                                    "dynamodb:DeleteItem",
                                                    "dynamodb:ConditionCheckItem"),
                                            "Effect", "Allow",
                                            "Resource", tableArn()))))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void apiFunction_mayQuery_onlyTheTwoListIndexes(String env) {
    List<Object> indexArns =
        List.of(ListIndexes.WORKSPACE_INDEX, ListIndexes.TAG_INDEX).stream()
            .map(
                index ->
                    (Object)
                        Map.of("Fn::Join", List.of("", List.of(tableArn(), "/index/" + index))))
            .toList();
    template(env)
        .hasResourceProperties(
            "AWS::IAM::Policy",
            Match.objectLike(
                Map.of(
                    "PolicyName", Match.stringLikeRegexp("ApiFunctionRole.*"),
                    "PolicyDocument",
                        Match.objectLike(
                            Map.of(
                                "Statement",
                                Match.arrayWith(
                                    List.of(
                                        Map.of(
                                            "Action", "dynamodb:Query",
                                            "Effect", "Allow",
                                            "Resource", indexArns))))))));
    // Nowhere else: not on the table, not for the authorizer.
    String authorizer =
        template(env)
            .findResources(
                "AWS::IAM::Policy",
                Match.objectLike(
                    Map.of(
                        "Properties",
                        Match.objectLike(
                            Map.of(
                                "PolicyName",
                                Match.stringLikeRegexp("AuthorizerFunctionRole.*"))))))
            .toString();
    assertFalse(authorizer.contains("dynamodb:Query"), authorizer);
    int queryGrants =
        template(env)
                .findResources("AWS::IAM::Policy", Match.anyValue())
                .toString()
                .split("dynamodb:Query", -1)
                .length
            - 1;
    assertEquals(1, queryGrants);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void listRoute_isServedByTheContactsResourcesAnyMethod_withAuthorizerAndApiKey(String env) {
    Template template = template(env);
    String contacts =
        template
            .findResources(
                "AWS::ApiGateway::Resource",
                Match.objectLike(
                    Map.of("Properties", Match.objectLike(Map.of("PathPart", "contacts")))))
            .keySet()
            .iterator()
            .next();
    template.hasResourceProperties(
        "AWS::ApiGateway::Method",
        Match.objectLike(
            Map.of(
                "ResourceId",
                Map.of("Ref", contacts),
                "HttpMethod",
                "ANY",
                "AuthorizationType",
                "CUSTOM",
                "ApiKeyRequired",
                true)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void authorizer_mayOnlyGetItem_onThisTable(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::IAM::Policy",
            Match.objectLike(
                Map.of(
                    "PolicyName", Match.stringLikeRegexp("AuthorizerFunctionRole.*"),
                    "PolicyDocument",
                        Match.objectLike(
                            Map.of(
                                "Statement",
                                Match.arrayWith(
                                    List.of(
                                        Map.of(
                                            "Action",
                                            "dynamodb:GetItem",
                                            "Effect",
                                            "Allow",
                                            "Resource",
                                            tableArn()))))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void noPolicy_grantsDynamoDbWildcards_orOtherTables(String env) {
    Map<String, Map<String, Object>> policies =
        template(env).findResources("AWS::IAM::Policy", Match.anyValue());
    String all = policies.toString();
    assertFalse(all.contains("dynamodb:*"), all);
    assertFalse(all.contains("dynamodb:Scan"), all);
    // dynamodb:Query only on the list indexes: apiFunction_mayQuery_onlyTheTwoListIndexes.
    assertFalse(all.contains("dynamodb:TransactWriteItems"), all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void idempotencyRecords_needNoTableActionOfTheirOwn_andTheStackOwnsTheirTimeToLive(String env) {
    // Records are read with GetItem/BatchGetItem and written with PutItem, alone or in a write's
    // transaction: the API function's exact list
    // (apiFunction_mayOnlyUseItsTableActions_onThisTable).
    assertTrue(
        ContactsStack.API_TABLE_ACTIONS.containsAll(
            List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem")));
    String all = template(env).findResources("AWS::IAM::Policy", Match.anyValue()).toString();
    assertFalse(all.contains("TimeToLive"), all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void functionRoles_haveNoManagedPolicies_andLogOnlyToTheirGroup(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::IAM::Role",
            Match.objectLike(
                Map.of(
                    "AssumeRolePolicyDocument",
                        Match.objectLike(
                            Map.of(
                                "Statement",
                                List.of(
                                    Match.objectLike(
                                        Map.of(
                                            "Principal",
                                            Map.of("Service", "lambda.amazonaws.com")))))),
                    "ManagedPolicyArns", Match.absent())));
    for (String function : List.of("ApiFunction", "AuthorizerFunction")) {
      template(env)
          .hasResourceProperties(
              "AWS::IAM::Policy",
              Match.objectLike(
                  Map.of(
                      "PolicyName", Match.stringLikeRegexp(function + "Role.*"),
                      "PolicyDocument",
                          Match.objectLike(
                              Map.of(
                                  "Statement",
                                  Match.arrayWith(
                                      List.of(
                                          Map.of(
                                              "Action",
                                                  List.of(
                                                      "logs:CreateLogStream", "logs:PutLogEvents"),
                                              "Effect", "Allow",
                                              "Resource",
                                                  Map.of(
                                                      "Fn::GetAtt",
                                                      List.of(
                                                          Match.stringLikeRegexp(
                                                              function + "Logs.*"),
                                                          "Arn"))))))))));
    }
  }

  // ---- API Gateway ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void restApi_isRegional_withKeysFromAuthorizer(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::ApiGateway::RestApi",
            Match.objectLike(
                Map.of(
                    "ApiKeySourceType",
                    "AUTHORIZER",
                    "EndpointConfiguration",
                    Map.of("Types", List.of("REGIONAL")))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void stage_isNamedAfterEnvironment_withJsonAccessLogsAndConfiguredTracing(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::ApiGateway::Stage",
            Match.objectLike(
                Map.of(
                    "StageName", env,
                    "TracingEnabled", EnvironmentConfig.forName(env).tracing(),
                    "AccessLogSetting",
                        Map.of(
                            "DestinationArn",
                                Map.of(
                                    "Fn::GetAtt",
                                    List.of(Match.stringLikeRegexp("ApiAccessLogs.*"), "Arn")),
                            "Format",
                                Match.stringLikeRegexp(
                                    "^\\{\"requestId\":\"\\$context.requestId\".*\\}$")),
                    "MethodSettings",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "DataTraceEnabled",
                                    false,
                                    "LoggingLevel",
                                    "ERROR",
                                    "MetricsEnabled",
                                    true))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void authorizer_isTokenOnAuthorizationHeader_cached300s_onAlias(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::ApiGateway::Authorizer",
            Match.objectLike(
                Map.of(
                    "Type",
                    "TOKEN",
                    "IdentitySource",
                    "method.request.header.Authorization",
                    "AuthorizerResultTtlInSeconds",
                    300,
                    "AuthorizerUri",
                    Map.of(
                        "Fn::Join",
                        List.of(
                            "",
                            Match.arrayWith(
                                List.of(
                                    Map.of(
                                        "Ref",
                                        Match.stringLikeRegexp("AuthorizerFunctionAlias.*")))))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyMethod_isAnyProxyToApiAlias_withAuthorizerAndApiKey(String env) {
    Map<String, Map<String, Object>> methods =
        new java.util.HashMap<>(
            template(env).findResources("AWS::ApiGateway::Method", Match.anyValue()));
    // Besides the keyless GET /openapi.json (ApiDescriptionTest): one per ServiceContract
    // resource plus the {proxy+} catch-all.
    methods.values().removeIf(ApiDescriptionTest::isDescriptionMethod);
    assertEquals(ServiceContract.RESOURCES.size() + 1, methods.size());
    Template.fromJSON(Map.of("Resources", methods))
        .allResourcesProperties(
            "AWS::ApiGateway::Method",
            Match.objectLike(
                Map.of(
                    "HttpMethod",
                    "ANY",
                    "AuthorizationType",
                    "CUSTOM",
                    "AuthorizerId",
                    Map.of("Ref", Match.stringLikeRegexp("ApiKeyAuthorizer.*")),
                    "ApiKeyRequired",
                    true,
                    "Integration",
                    Match.objectLike(
                        Map.of(
                            "Type",
                            "AWS_PROXY",
                            "Uri",
                            Map.of(
                                "Fn::Join",
                                List.of(
                                    "",
                                    Match.arrayWith(
                                        List.of(
                                            Map.of(
                                                "Ref",
                                                Match.stringLikeRegexp(
                                                    "ApiFunctionAlias.*")))))))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void batchUpsertRoute_isAResourceUnderBatch_withItsMethodBehindTheAuthorizerAndApiKey(
      String env) {
    Template template = template(env);
    Map<String, Map<String, Object>> batch =
        template.findResources(
            "AWS::ApiGateway::Resource",
            Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("PathPart", "batch")))));
    assertEquals(1, batch.size());
    String batchId = batch.keySet().iterator().next();
    Map<String, Map<String, Object>> upsert =
        template.findResources(
            "AWS::ApiGateway::Resource",
            Match.objectLike(
                Map.of(
                    "Properties",
                    Match.objectLike(
                        Map.of("PathPart", "upsert", "ParentId", Map.of("Ref", batchId))))));
    assertEquals(1, upsert.size());
    // ANY, as on every route: POST reaches the function, which answers other methods 405.
    template.hasResourceProperties(
        "AWS::ApiGateway::Method",
        Match.objectLike(
            Map.of(
                "HttpMethod",
                "ANY",
                "ResourceId",
                Map.of("Ref", upsert.keySet().iterator().next()),
                "AuthorizationType",
                "CUSTOM",
                "AuthorizerId",
                Map.of("Ref", Match.stringLikeRegexp("ApiKeyAuthorizer.*")),
                "ApiKeyRequired",
                true)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void resources_comeFromServiceContract_plusProxyCatchAll(String env) {
    Template template = template(env);
    for (String path : ServiceContract.RESOURCES) {
      String[] parts = path.split("/");
      template.hasResourceProperties(
          "AWS::ApiGateway::Resource",
          Match.objectLike(Map.of("PathPart", parts[parts.length - 1])));
    }
    template.hasResourceProperties(
        "AWS::ApiGateway::Resource",
        Match.objectLike(
            Map.of(
                "PathPart",
                "{proxy+}",
                "ParentId",
                Map.of(
                    "Fn::GetAtt",
                    List.of(Match.stringLikeRegexp("ContactsApi[0-9A-F]{8}"), "RootResourceId")))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void apiGateway_mayInvokeOnlyTheAliases(String env) {
    assertTrue(
        template(env).findResources("AWS::Lambda::Permission", Match.anyValue()).size() >= 4);
    template(env)
        .allResourcesProperties(
            "AWS::Lambda::Permission",
            Match.objectLike(
                Map.of(
                    "Action", "lambda:InvokeFunction",
                    "Principal", "apigateway.amazonaws.com",
                    "FunctionName",
                        Map.of("Ref", Match.stringLikeRegexp("(Api|Authorizer)FunctionAlias.*")))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void usagePlans_freeAndPro_areBoundToStage_withConfiguredLimits(String env) {
    EnvironmentConfig config = EnvironmentConfig.forName(env);
    Map<String, UsagePlans.Limits> plans =
        Map.of(ContactsStack.PLAN_FREE, config.free(), ContactsStack.PLAN_PRO, config.pro());
    plans.forEach(
        (plan, limits) ->
            template(env)
                .hasResourceProperties(
                    "AWS::ApiGateway::UsagePlan",
                    Match.objectLike(
                        Map.of(
                            "UsagePlanName", ContactsStack.usagePlanName(env, plan),
                            "Throttle",
                                Map.of(
                                    "RateLimit",
                                    limits.rateLimit(),
                                    "BurstLimit",
                                    limits.burstLimit()),
                            "Quota",
                                Map.of(
                                    "Limit", limits.quota(), "Period", limits.quotaPeriod().name()),
                            "ApiStages",
                                List.of(
                                    Match.objectLike(
                                        Map.of(
                                            "ApiId",
                                                Map.of(
                                                    "Ref",
                                                    Match.stringLikeRegexp(
                                                        "ContactsApi[0-9A-F]{8}")),
                                            "Stage",
                                                Map.of(
                                                    "Ref",
                                                    Match.stringLikeRegexp(
                                                        "ContactsApiDeploymentStage.*")))))))));
    template(env).resourceCountIs("AWS::ApiGateway::UsagePlan", 2);
  }

  @Test
  void usagePlans_areTheFunctionModules_theLocalGatewayEnforcesTheDevLikeOnes() {
    EnvironmentConfig dev = EnvironmentConfig.forName("dev");
    assertEquals(UsagePlans.DEV_LIKE, new UsagePlans(dev.free(), dev.pro()));
    EnvironmentConfig prod = EnvironmentConfig.forName("prod");
    assertEquals(UsagePlans.PROD, new UsagePlans(prod.free(), prod.pro()));
  }

  @Test
  void usagePlans_inProd_allowMoreThanInDev() {
    EnvironmentConfig dev = EnvironmentConfig.forName("dev");
    EnvironmentConfig prod = EnvironmentConfig.forName("prod");
    assertTrue(prod.pro().rateLimit() > dev.pro().rateLimit());
    assertTrue(prod.pro().quota() > prod.free().quota());
  }

  // ---- Gateway responses ----

  private static void hasProblemResponse(
      String env, String type, int status, String slug, Map<String, String> extraHeaders) {
    Map<String, Object> headers =
        new java.util.HashMap<>(
            Map.of("gatewayresponse.header.Content-Type", "'application/problem+json'"));
    extraHeaders.forEach((k, v) -> headers.put("gatewayresponse.header." + k, v));
    template(env)
        .hasResourceProperties(
            "AWS::ApiGateway::GatewayResponse",
            Match.objectLike(
                Map.of(
                    "ResponseType",
                    type,
                    "StatusCode",
                    Integer.toString(status),
                    "ResponseParameters",
                    headers,
                    "ResponseTemplates",
                    Map.of(
                        "application/json",
                        Match.serializedJson(
                            Match.objectLike(
                                Map.of(
                                    "type",
                                    ServiceContract.PROBLEM_TYPE_BASE + slug,
                                    "status",
                                    status,
                                    "title",
                                    problemWithSlug(slug).title(),
                                    "detail",
                                    Match.anyValue(),
                                    "requestId",
                                    "$context.requestId")))))));
  }

  /** The function's problem type with this slug: gateway responses must carry its title. */
  private static Problem problemWithSlug(String slug) {
    for (Problem problem : Problem.values()) {
      if (problem.slug().equals(slug)) {
        return problem;
      }
    }
    throw new AssertionError("no problem type " + slug);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void gatewayResponses_keepTheProblemJsonContract(String env) {
    hasProblemResponse(
        env, "UNAUTHORIZED", 401, "unauthorized", Map.of("WWW-Authenticate", "'Bearer'"));
    hasProblemResponse(
        env, "INVALID_API_KEY", 401, "unauthorized", Map.of("WWW-Authenticate", "'Bearer'"));
    hasProblemResponse(env, "ACCESS_DENIED", 403, "forbidden", Map.of());
    hasProblemResponse(env, "MISSING_AUTHENTICATION_TOKEN", 404, "not-found", Map.of());
    hasProblemResponse(
        env,
        "THROTTLED",
        429,
        "rate-limited",
        Map.of("Retry-After", "'" + ProblemResponses.RETRY_AFTER_THROTTLED + "'"));
    hasProblemResponse(
        env,
        "QUOTA_EXCEEDED",
        429,
        "rate-limited",
        Map.of("Retry-After", "'" + ProblemResponses.RETRY_AFTER_QUOTA + "'"));
    hasProblemResponse(env, "REQUEST_TOO_LARGE", 413, "payload-too-large", Map.of());
    hasProblemResponse(env, "WAF_FILTERED", 413, "payload-too-large", Map.of());
    hasProblemResponse(
        env,
        "INTEGRATION_TIMEOUT",
        503,
        "service-unavailable",
        Map.of("Retry-After", "'" + ProblemResponses.RETRY_AFTER_UNAVAILABLE + "'"));
    hasProblemResponse(env, "DEFAULT_4XX", 400, "validation-error", Map.of());
    hasProblemResponse(env, "DEFAULT_5XX", 500, "internal-error", Map.of());
  }

  @Test
  void quotaRetryAfter_isLongerThanThrottleRetryAfter() {
    assertTrue(
        Integer.parseInt(ProblemResponses.RETRY_AFTER_QUOTA)
            > Integer.parseInt(ProblemResponses.RETRY_AFTER_THROTTLED));
  }

  // ---- Alarms ----

  private static void hasAlarm(String env, String namespace, String metric, double threshold) {
    template(env)
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(
                Map.of("Namespace", namespace, "MetricName", metric, "Threshold", threshold)));
  }

  private static void hasMathAlarm(String env, String metric, double threshold) {
    template(env)
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(
                Map.of(
                    "Threshold",
                    threshold,
                    "Metrics",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "MetricStat",
                                    Match.objectLike(
                                        Map.of(
                                            "Metric",
                                            Match.objectLike(
                                                Map.of(
                                                    "Namespace",
                                                    "AWS/DynamoDB",
                                                    "MetricName",
                                                    metric,
                                                    "Dimensions",
                                                    Match.arrayWith(
                                                        List.of(
                                                            Map.of(
                                                                "Name",
                                                                "TableName",
                                                                "Value",
                                                                Map.of(
                                                                    "Ref",
                                                                    Match.stringLikeRegexp(
                                                                        "ContactsTable.*"))))))))))))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void alarms_coverApiLambdaAndDynamoDb_withConfiguredThresholds(String env) {
    EnvironmentConfig.AlarmThresholds t = EnvironmentConfig.forName(env).alarms();
    template(env)
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(
                Map.of(
                    "Namespace",
                    ContactsStack.metricNamespace(env),
                    "MetricName",
                    "Responses5xx",
                    "Statistic",
                    "Average",
                    "Threshold",
                    t.api5xxRate())));
    template(env)
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(
                Map.of(
                    "Namespace",
                    "AWS/ApiGateway",
                    "MetricName",
                    "Latency",
                    "ExtendedStatistic",
                    "p99",
                    "Threshold",
                    t.p99LatencyMillis())));
    for (String function : List.of("ApiFunction", "AuthorizerFunction")) {
      // Errors only for the API function: the authorizer's are mostly rejected keys.
      List<String> metrics =
          function.equals("ApiFunction") ? List.of("Errors", "Throttles") : List.of("Throttles");
      for (String metric : metrics) {
        template(env)
            .hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(
                    Map.of(
                        "Namespace",
                        "AWS/Lambda",
                        "MetricName",
                        metric,
                        "Dimensions",
                        List.of(
                            Map.of(
                                "Name",
                                "FunctionName",
                                "Value",
                                Map.of(
                                    "Ref", Match.stringLikeRegexp(function + "[0-9A-F]{8}")))))));
      }
    }
    hasAlarm(env, "AWS/Lambda", "Errors", t.lambdaErrors());
    hasAlarm(env, "AWS/Lambda", "Throttles", t.lambdaThrottles());
    hasMathAlarm(env, "ThrottledRequests", t.dynamoThrottledRequests());
    hasMathAlarm(env, "SystemErrors", t.dynamoSystemErrors());
    template(env).resourceCountIs("AWS::CloudWatch::Alarm", 9);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void lostRacesExhaustedAlarm_readsTheFunctionsEmfMetric_forItsEnvironment(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(
                Map.of(
                    "Namespace",
                    ServiceContract.MetricNames.NAMESPACE,
                    "MetricName",
                    ServiceContract.MetricNames.LOST_RACES_EXHAUSTED,
                    "Statistic",
                    "Sum",
                    "Dimensions",
                    List.of(Map.of("Name", ServiceContract.MetricNames.ENVIRONMENT, "Value", env)),
                    "Threshold",
                    EnvironmentConfig.forName(env).alarms().lostRacesExhausted())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void dashboard_showsOutcomesRetriesAndDynamoDbLatency_ofItsEnvironment(String env) {
    Template template = template(env);
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    // The body is a JSON string joined with the region token: read it as text.
    String body =
        template.findResources("AWS::CloudWatch::Dashboard").values().iterator().next().toString();
    for (String expected :
        List.of(
            ServiceContract.MetricNames.NAMESPACE,
            ServiceContract.MetricNames.REQUESTS,
            ServiceContract.MetricNames.RETRIES,
            ServiceContract.MetricNames.LOST_RACES,
            ServiceContract.MetricNames.RETRIES_EXHAUSTED,
            ServiceContract.MetricNames.UNAVAILABLE,
            ServiceContract.MetricNames.DYNAMODB_LATENCY,
            "POST /v1/contacts/upsert",
            "created",
            "updated",
            "unchanged",
            "invalid",
            "conflict",
            "p99")) {
      assertTrue(body.contains("\"" + expected + "\""), expected + " in " + body);
    }
    assertTrue(
        body.contains("\"" + ServiceContract.MetricNames.ENVIRONMENT + "\",\"" + env + "\""),
        "every metric of its own environment: " + body);
  }

  @Test
  void alarms_inDev_haveNoActions_withoutAlarmEmail() {
    template("dev").resourceCountIs("AWS::SNS::Topic", 0);
    template("dev")
        .allResourcesProperties(
            "AWS::CloudWatch::Alarm", Match.objectLike(Map.of("AlarmActions", Match.absent())));
  }

  @Test
  void alarms_withAlarmEmail_notifyEncryptedTopic() {
    Template prod = template("prod");
    prod.hasResourceProperties(
        "AWS::SNS::Subscription",
        Match.objectLike(Map.of("Protocol", "email", "Endpoint", Stacks.ALARM_EMAIL)));
    prod.hasResourceProperties(
        "AWS::SNS::Topic",
        Match.objectLike(
            Map.of(
                "KmsMasterKeyId",
                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("AlarmTopicKey.*"), "Arn")))));
    prod.hasResourceProperties(
        "AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
    prod.allResourcesProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "AlarmActions",
                List.of(Map.of("Ref", Match.stringLikeRegexp("AlarmTopic[0-9A-F]{8}"))))));
  }

  // ---- Custom domain and outputs ----

  @Test
  void customDomain_isRegionalTls12_mappedToStage() {
    template("prod")
        .hasResourceProperties(
            "AWS::ApiGateway::DomainName",
            Match.objectLike(
                Map.of(
                    "DomainName", Stacks.DOMAIN.domainName(),
                    "RegionalCertificateArn", Stacks.DOMAIN.certificateArn(),
                    "EndpointConfiguration", Map.of("Types", List.of("REGIONAL")),
                    "SecurityPolicy", "TLS_1_2")));
    template("prod").resourceCountIs("AWS::ApiGateway::BasePathMapping", 1);
    template("dev").resourceCountIs("AWS::ApiGateway::DomainName", 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void outputs_nameWhatTheOpsCommandsNeed(String env) {
    for (String output :
        List.of(
            ContactsStack.OUTPUT_TABLE_NAME,
            ContactsStack.OUTPUT_API_URL,
            ContactsStack.OUTPUT_API_ID,
            ContactsStack.OUTPUT_FREE_PLAN_ID,
            ContactsStack.OUTPUT_PRO_PLAN_ID)) {
      template(env).hasOutput(output, Match.anyValue());
    }
  }
}
