package com.voicecrm.contacts.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voicecrm.contacts.api.ApiKeyAuthorizer;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the synthesised templates need to work in a real account, beyond what they declare: limits
 * that hold before the authorizer, settings a deploy would otherwise lose or overwrite, alarms that
 * fire on real failures only, and answers a client can act on.
 */
class RealAccountTest {

  private static final String TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:oncall";

  private static Template template(String env) {
    return Stacks.forEnv(env).template();
  }

  // ---- Throttling before the authorizer ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void stage_throttlesAllMethods_withTheConfiguredStageLimits(String env) {
    EnvironmentConfig.ThrottleLimits limits = EnvironmentConfig.forName(env).stageThrottle();
    template(env)
        .hasResourceProperties(
            "AWS::ApiGateway::Stage",
            Match.objectLike(
                Map.of(
                    "MethodSettings",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "HttpMethod",
                                    "*",
                                    "ResourcePath",
                                    "/*",
                                    "ThrottlingRateLimit",
                                    limits.rateLimit(),
                                    "ThrottlingBurstLimit",
                                    limits.burstLimit())))))));
  }

  @Test
  void stageThrottle_belowAUsagePlan_isRejected() {
    EnvironmentConfig dev = EnvironmentConfig.forName("dev");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new EnvironmentConfig(
                    "dev",
                    dev.memoryMb(),
                    dev.apiTimeoutSeconds(),
                    dev.authorizerTimeoutSeconds(),
                    dev.logRetention(),
                    dev.removalPolicy(),
                    dev.deletionProtection(),
                    dev.tracing(),
                    "",
                    dev.free(),
                    dev.pro(),
                    new EnvironmentConfig.ThrottleLimits(dev.pro().rateLimit() - 1, 1_000),
                    dev.authorizerCacheSeconds(),
                    dev.alarms(),
                    null,
                    null,
                    null));
    assertTrue(e.getMessage().contains("stage throttle"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void authorizer_validatesTheWholeHeader_beforeItIsInvoked(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::ApiGateway::Authorizer",
            Match.objectLike(
                Map.of(
                    "Type",
                    "TOKEN",
                    "IdentityValidationExpression",
                    ContactsStack.AUTHORIZATION_REGEX)));
  }

  @Test
  void authorizationRegex_acceptsEveryWellFormedBearerKey_inAnySchemeCase() {
    Pattern regex = Pattern.compile(ContactsStack.AUTHORIZATION_REGEX);
    String shortest = "sk_test_" + "a".repeat(32);
    String longest = "sk_live_" + "Z9_-".repeat(32);
    for (String key : List.of(ApiKeys.generate(true), ApiKeys.generate(false), shortest, longest)) {
      assertTrue(ApiKeys.isWellFormed(key), key);
      for (String scheme : List.of("Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer   ")) {
        assertTrue(regex.matcher(scheme + key).matches(), scheme + key);
      }
    }
  }

  @Test
  void authorizationRegex_rejectsWhatTheAuthorizerWouldReject() {
    Pattern regex = Pattern.compile(ContactsStack.AUTHORIZATION_REGEX);
    String body = "a".repeat(40);
    for (String header :
        List.of(
            "",
            "Bearer",
            "Bearer ",
            "sk_test_" + body,
            "Basic sk_test_" + body,
            "Bearer sk_prod_" + body,
            "Bearer sk_test_" + "a".repeat(31),
            "Bearer sk_test_" + "a".repeat(129),
            "Bearer sk_test_" + body + "!",
            "Bearer sk_test_" + body + " extra",
            "Bearer sk_test_" + body + "\n",
            "Bearersk_test_" + body)) {
      assertFalse(regex.matcher(header).matches(), header);
    }
  }

  // ---- Gateway response headers ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void gatewayResponseHeaders_areLiteralsOnly_noContextVariables(String env) {
    Map<String, Map<String, Object>> responses =
        template(env).findResources("AWS::ApiGateway::GatewayResponse", Match.anyValue());
    assertTrue(responses.size() > 10, "gateway responses: " + responses.size());
    for (Map.Entry<String, Map<String, Object>> response : responses.entrySet()) {
      Map<?, ?> properties = (Map<?, ?>) response.getValue().get("Properties");
      Map<?, ?> headers = (Map<?, ?>) properties.get("ResponseParameters");
      headers.forEach(
          (name, value) -> {
            String text = value.toString();
            assertTrue(
                text.startsWith("'") && text.endsWith("'"),
                response.getKey() + " " + name + " = " + text);
          });
      assertFalse(headers.containsKey("gatewayresponse.header.X-Request-Id"), response.getKey());
    }
  }

  // ---- Authorizer changes reach the stage ----

  @Test
  void cdkJson_setsTheSameFeatureFlags_asTheApp() throws Exception {
    JsonNode context =
        new ObjectMapper().readTree(Files.readString(Path.of("cdk.json"))).path("context");
    ContactsApp.FEATURE_FLAGS.forEach(
        (flag, value) -> assertEquals(value, context.path(flag).asBoolean(), flag));
  }

  @Test
  void deploymentLogicalId_changes_whenTheAuthorizerChanges() {
    String before = deploymentId(template("dev"));
    String after =
        deploymentId(
            Stacks.cached(
                    "dev-ttl-60",
                    () -> EnvironmentConfig.forName("dev").withAuthorizerCacheSeconds(60))
                .template());

    assertNotEquals(before, after);
    // Control: the same configuration keeps its id, so the change above comes from the TTL.
    assertEquals(
        before, deploymentId(Stacks.synthesize(EnvironmentConfig.forName("dev")).template()));
  }

  @Test
  void deploymentLogicalId_staysTheSame_withoutTheFeatureFlag() {
    // Why the flag is needed: without it, CDK leaves the deployment as it is.
    assertEquals(
        deploymentIdWithoutFlags(EnvironmentConfig.forName("dev")),
        deploymentIdWithoutFlags(EnvironmentConfig.forName("dev").withAuthorizerCacheSeconds(60)));
  }

  private static String deploymentIdWithoutFlags(EnvironmentConfig config) {
    App app = new App();
    return deploymentId(
        Template.fromStack(ContactsApp.addStacks(app, config, FunctionArtifact.locate())));
  }

  private static String deploymentId(Template template) {
    Map<String, Map<String, Object>> deployments =
        template.findResources("AWS::ApiGateway::Deployment", Match.anyValue());
    assertEquals(1, deployments.size(), deployments.keySet().toString());
    return deployments.keySet().iterator().next();
  }

  // ---- Rollback ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void lambdaVersions_areRetained_soTheAliasCanGoBack(String env) {
    Map<String, Map<String, Object>> versions =
        template(env)
            .findResources(
                "AWS::Lambda::Version",
                Match.objectLike(
                    Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain")));
    assertEquals(2, versions.size(), versions.keySet().toString());
  }

  // ---- Alarm targets ----

  @Test
  void prod_withoutAlarmTarget_refusesToSynthesize() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Stacks.synthesize(EnvironmentConfig.forName("prod")));
    assertTrue(e.getMessage().contains("alarmEmail"), e.getMessage());
    assertTrue(e.getMessage().contains("alarmTopicArn"), e.getMessage());
  }

  @Test
  void prod_withAlarmTopicArn_notifiesThatTopic_andCreatesNone() {
    Template prod =
        Stacks.cached(
                "prod-topic-arn",
                () -> EnvironmentConfig.forName("prod").withAlarmTopicArn(TOPIC_ARN))
            .template();
    prod.resourceCountIs("AWS::SNS::Topic", 0);
    prod.allResourcesProperties(
        "AWS::CloudWatch::Alarm", Match.objectLike(Map.of("AlarmActions", List.of(TOPIC_ARN))));
  }

  @Test
  void alarmTopic_allowsCloudWatchOfThisAccountToPublish_besidesTheTlsDeny() {
    Map<String, Object> tlsDeny =
        Map.of(
            "Effect", "Deny", "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")));
    Map<String, Object> cloudWatchAllow =
        Map.of(
            "Effect", "Allow",
            "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
            "Action", "sns:Publish",
            "Resource", Map.of("Ref", Match.stringLikeRegexp("AlarmTopic[0-9A-F]{8}")),
            "Condition",
                Map.of(
                    "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))));
    template("prod")
        .hasResourceProperties(
            "AWS::SNS::TopicPolicy",
            Match.objectLike(
                Map.of(
                    "PolicyDocument",
                    Match.objectLike(
                        Map.of(
                            "Statement",
                            Match.arrayWith(
                                List.of(
                                    Match.objectLike(tlsDeny),
                                    Match.objectLike(cloudWatchAllow))))))));
  }

  // ---- Alarms on real failures ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void authorizerFailures_areErrorRecordsOtherThanRejectedKeys_fromItsLogGroup(String env) {
    String rejection =
        ApiKeyAuthorizer.UNAUTHORIZED
            + ": "
            + ApiKeyAuthorizer.UnauthorizedException.class.getName()
            + "*";
    assertEquals(
        "Unauthorized: com.voicecrm.contacts.api.ApiKeyAuthorizer$UnauthorizedException*",
        rejection);
    template(env)
        .hasResourceProperties(
            "AWS::Logs::MetricFilter",
            Match.objectLike(
                Map.of(
                    "LogGroupName",
                    Map.of("Ref", Match.stringLikeRegexp("AuthorizerFunctionLogs.*")),
                    "FilterPattern",
                    "{ ($.level = \"ERROR\") && ($.message != \"" + rejection + "\") }",
                    "MetricTransformations",
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "MetricNamespace", ContactsStack.metricNamespace(env),
                                "MetricName", "AuthorizerFailures",
                                "MetricValue", "1"))))));
    template(env)
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(
                Map.of(
                    "Namespace",
                    ContactsStack.metricNamespace(env),
                    "MetricName",
                    "AuthorizerFailures",
                    "Statistic",
                    "Sum",
                    "Threshold",
                    EnvironmentConfig.forName(env).alarms().lambdaErrors())));
    // No alarm on the authorizer's Lambda Errors metric, which counts every rejected key.
    Map<String, Map<String, Object>> lambdaErrorAlarms =
        template(env)
            .findResources(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(
                    Map.of(
                        "Properties",
                        Match.objectLike(
                            Map.of("Namespace", "AWS/Lambda", "MetricName", "Errors")))));
    assertEquals(1, lambdaErrorAlarms.size(), lambdaErrorAlarms.keySet().toString());
    assertTrue(lambdaErrorAlarms.keySet().iterator().next().startsWith("ApiFunctionErrorsAlarm"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void responses5xx_areCountedFromTheAccessLogStatus_soRemapped503sCount(String env) {
    template(env)
        .hasResourceProperties(
            "AWS::Logs::MetricFilter",
            Match.objectLike(
                Map.of(
                    "LogGroupName",
                    Map.of("Ref", Match.stringLikeRegexp("ApiAccessLogs.*")),
                    "FilterPattern",
                    "{ $.status = \"5*\" }",
                    "MetricTransformations",
                    List.of(
                        Match.objectLike(
                            Map.of(
                                "MetricNamespace",
                                ContactsStack.metricNamespace(env),
                                "MetricName",
                                "Responses5xx",
                                "MetricValue",
                                "1",
                                // Every request is a data point: the average is the 5xx rate.
                                "DefaultValue",
                                0))))));
    template(env)
        .resourcePropertiesCountIs(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(Map.of("Namespace", "AWS/ApiGateway", "MetricName", "5XXError")),
            0);
  }

  // ---- One account stack ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void environmentStacks_ownNoAccountSettings_andDependOnTheAccountStack(String env) {
    template(env).resourceCountIs("AWS::ApiGateway::Account", 0);
    template(env)
        .resourcePropertiesCountIs(
            "AWS::IAM::Role",
            Match.objectLike(
                Map.of(
                    "AssumeRolePolicyDocument",
                    Match.objectLike(
                        Map.of(
                            "Statement",
                            Match.arrayWith(
                                List.of(
                                    Match.objectLike(
                                        Map.of(
                                            "Principal",
                                            Map.of("Service", "apigateway.amazonaws.com"))))))))),
            0);
    assertTrue(
        Stacks.forEnv(env).stack().getDependencies().stream()
            .anyMatch(s -> s.getStackName().equals(AccountStack.STACK_NAME)));
  }

  @Test
  void accountStack_setsTheApiGatewayCloudWatchRole_once() {
    Template account = Stacks.dev().accountTemplate();
    account.resourceCountIs("AWS::ApiGateway::Account", 1);
    account.hasResourceProperties(
        "AWS::ApiGateway::Account",
        Match.objectLike(
            Map.of(
                "CloudWatchRoleArn",
                Map.of(
                    "Fn::GetAtt",
                    List.of(Match.stringLikeRegexp("ApiGatewayCloudWatchRole.*"), "Arn")))));
    account.hasResourceProperties(
        "AWS::IAM::Role",
        Match.objectLike(
            Map.of(
                "ManagedPolicyArns",
                List.of(
                    Map.of(
                        "Fn::Join",
                        List.of(
                            "",
                            List.of(
                                "arn:",
                                Map.of("Ref", "AWS::Partition"),
                                ":iam::aws:policy/service-role/"
                                    + "AmazonAPIGatewayPushToCloudWatchLogs")))))));
    // The same template whatever the environment: deploying it from dev or prod changes nothing.
    assertEquals(Stacks.dev().accountTemplate().toJSON(), Stacks.prod().accountTemplate().toJSON());
  }

  // ---- Execution log retention ----

  @ParameterizedTest
  @CsvSource({"dev, 7", "prod, 90"})
  void executionLogGroup_isDeclaredWithRetention_beforeTheStage(String env, int days) {
    Map<String, Map<String, Object>> groups =
        template(env)
            .findResources(
                "AWS::Logs::LogGroup",
                Match.objectLike(
                    Map.of(
                        "Properties",
                        Match.objectLike(
                            Map.of(
                                "LogGroupName",
                                Map.of(
                                    "Fn::Join",
                                    List.of(
                                        "",
                                        List.of(
                                            "API-Gateway-Execution-Logs_",
                                            Map.of(
                                                "Ref",
                                                Match.stringLikeRegexp("ContactsApi[0-9A-F]{8}")),
                                            "/" + env))),
                                "RetentionInDays",
                                days)))));
    assertEquals(1, groups.size(), groups.keySet().toString());
    String group = groups.keySet().iterator().next();
    template(env)
        .hasResource(
            "AWS::ApiGateway::Stage",
            Match.objectLike(Map.of("DependsOn", Match.arrayWith(List.of(group)))));
  }

  // ---- Bodies Lambda cannot take ----

  private static final Map<String, Object> CONTENT_LENGTH =
      Map.of("SingleHeader", Map.of("Name", "content-length"));
  private static final List<Object> AS_SENT = List.of(Map.of("Priority", 0, "Type", "NONE"));

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void webAcl_blocksContentLengthOverOneMillionBytes_butTheBatchRoutesMiB_asItsOnlyRule(
      String env) {
    Map<String, Object> overSixDigits =
        Map.of(
            "SizeConstraintStatement",
            Map.of(
                "FieldToMatch",
                CONTENT_LENGTH,
                "ComparisonOperator",
                "GT",
                "Size",
                ContactsStack.MAX_CONTENT_LENGTH_DIGITS,
                "TextTransformations",
                AS_SENT));
    Map<String, Object> batchWithinMiB =
        Map.of(
            "AndStatement",
            Map.of(
                "Statements",
                List.of(
                    Map.of(
                        "ByteMatchStatement",
                        Map.of(
                            "FieldToMatch",
                            Map.of("UriPath", Map.of()),
                            "PositionalConstraint",
                            "ENDS_WITH",
                            "SearchString",
                            ServiceContract.BATCH_UPSERT_RESOURCE,
                            "TextTransformations",
                            AS_SENT)),
                    Map.of(
                        "RegexMatchStatement",
                        Map.of(
                            "FieldToMatch", CONTENT_LENGTH,
                            "RegexString", ServiceContract.EDGE_BATCH_CONTENT_LENGTH_REGEX,
                            "TextTransformations", AS_SENT)))));
    template(env)
        .hasResourceProperties(
            "AWS::WAFv2::WebACL",
            Match.objectLike(
                Map.of(
                    "Scope", "REGIONAL",
                    "DefaultAction", Map.of("Allow", Map.of()),
                    "Rules",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Action",
                                    Map.of("Block", Map.of()),
                                    "Statement",
                                    Map.of(
                                        "AndStatement",
                                        Map.of(
                                            "Statements",
                                            List.of(
                                                overSixDigits,
                                                Map.of(
                                                    "NotStatement",
                                                    Map.of("Statement", batchWithinMiB)))))))))));
    template(env)
        .hasResourceProperties(
            "AWS::WAFv2::WebACLAssociation",
            Match.objectLike(
                Map.of(
                    "WebACLArn",
                    Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("ApiWebAcl.*"), "Arn")))));
  }

  @Test
  void batchContentLengthRegex_admitsExactlyZeroTo1MiB() {
    java.util.regex.Pattern regex =
        java.util.regex.Pattern.compile(ServiceContract.EDGE_BATCH_CONTENT_LENGTH_REGEX);
    // Every value around the two limits, then every power of ten and its neighbours.
    for (long n = 990_000; n <= 1_100_000; n++) {
      assertEquals(
          n <= ServiceContract.MAX_BATCH_BODY_BYTES,
          regex.matcher(Long.toString(n)).matches(),
          Long.toString(n));
    }
    for (long n = 1; n <= 10_000_000_000L; n *= 10) {
      for (long m : new long[] {n - 1, n, n + 1}) {
        assertEquals(
            m <= ServiceContract.MAX_BATCH_BODY_BYTES, regex.matcher(Long.toString(m)).matches());
      }
    }
    for (String odd : new String[] {"", "-1", "+5", "1e6", "0x10", "1048576 ", "01048576"}) {
      assertFalse(regex.matcher(odd).matches(), odd);
    }
  }

  @Test
  void contentLengthLimit_liesBetweenTheFunctionsLimit_andLambdasPayloadLimit() {
    long smallestBlocked = (long) Math.pow(10, ContactsStack.MAX_CONTENT_LENGTH_DIGITS);
    long lambdaInvokePayloadLimit = 6L * 1024 * 1024;
    assertTrue(smallestBlocked > ServiceContract.MAX_BODY_BYTES, "would block valid bodies");
    // Base64 (binary bodies) makes 4/3 of it, plus the event's envelope.
    assertTrue(smallestBlocked * 4 / 3 + 64 * 1024 < lambdaInvokePayloadLimit);
    // The batch route's larger limit too.
    long largestBatchAdmitted = ServiceContract.MAX_BATCH_BODY_BYTES;
    assertTrue(largestBatchAdmitted >= smallestBlocked, "the batch route needs its exception");
    assertTrue(largestBatchAdmitted * 4 / 3 + 64 * 1024 < lambdaInvokePayloadLimit);
  }

  // ---- Scanner suppressions ----

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyScannerSuppression_namesItsReason(String env) {
    List<String> suppressions = new ArrayList<>();
    for (Template template : List.of(template(env), Stacks.forEnv(env).accountTemplate())) {
      ((Map<?, ?>) template.toJSON().get("Resources"))
          .forEach(
              (id, resource) -> {
                if (!(((Map<?, ?>) resource).get("Metadata") instanceof Map<?, ?> metadata)) {
                  return;
                }
                if (metadata.get(ScanSuppressions.CHECKOV) instanceof Map<?, ?> checkov) {
                  for (Object skip : (List<?>) checkov.get("skip")) {
                    Map<?, ?> entry = (Map<?, ?>) skip;
                    assertFalse(entry.get("comment").toString().isBlank(), id + " " + entry);
                    suppressions.add(id + " " + entry.get("id"));
                  }
                }
                if (metadata.get(ScanSuppressions.CFN_LINT) instanceof Map<?, ?> cfnLint) {
                  Map<?, ?> reasons = (Map<?, ?>) cfnLint.get("reasons");
                  for (Object rule :
                      (List<?>) ((Map<?, ?>) cfnLint.get("config")).get("ignore_checks")) {
                    assertFalse(reasons.get(rule).toString().isBlank(), id + " " + rule);
                    suppressions.add(id + " " + rule);
                  }
                }
              });
    }
    assertFalse(suppressions.isEmpty());
  }
}
