package com.voicecrm.contacts.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * CDK entry point. The environment comes from {@code -c env=<name>} (default {@code dev}); optional
 * context: {@code alarmEmail} or {@code alarmTopicArn} (one of them required for prod), {@code
 * domainName} + {@code certificateArn}, {@code javaToolOptions}. The app holds the environment's
 * stack and the one-time {@link AccountStack} it depends on. The stacks are environment-agnostic:
 * they deploy to the account and region of the caller's credentials and synthesise without any.
 */
public final class ContactsApp {

  /**
   * CDK feature flags the stacks are built with, also in cdk.json (a test keeps both equal). With
   * {@code authorizerChangeDeploymentLogicalId} a changed authorizer (its TTL, its regex) changes
   * the deployment's logical id, so it reaches the stage instead of waiting for a route change.
   */
  public static final Map<String, Object> FEATURE_FLAGS =
      Map.of("@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId", true);

  private ContactsApp() {}

  public static void main(String[] args) {
    App app = newApp();
    EnvironmentConfig config = EnvironmentConfig.forName(context(app, "env"));
    String alarmEmail = context(app, "alarmEmail");
    if (alarmEmail != null) {
      config = config.withAlarmEmail(alarmEmail);
    }
    String alarmTopicArn = context(app, "alarmTopicArn");
    if (alarmTopicArn != null) {
      config = config.withAlarmTopicArn(alarmTopicArn);
    }
    String domainName = context(app, "domainName");
    if (domainName != null) {
      String certificateArn = context(app, "certificateArn");
      if (certificateArn == null) {
        throw new IllegalArgumentException("domainName needs certificateArn (regional ACM)");
      }
      config =
          config.withCustomDomain(new EnvironmentConfig.CustomDomain(domainName, certificateArn));
    }
    String javaToolOptions = context(app, "javaToolOptions");
    if (javaToolOptions != null) {
      config = config.withJavaToolOptions(javaToolOptions);
    }

    addStacks(app, config, FunctionArtifact.locate());
    app.synth();
  }

  /** An app with this project's feature flags; the CLI's context (cdk.json, -c) still applies. */
  public static App newApp() {
    return new App(AppProps.builder().context(FEATURE_FLAGS).build());
  }

  /**
   * The account stack and the environment's stack depending on it (one environment per app), with
   * tags and the cdk-nag checks (synth fails on an unsuppressed error). Tests build their stacks
   * here too.
   */
  public static ContactsStack addStacks(App app, EnvironmentConfig config, Path functionJar) {
    return addStacks(app, config, functionJar, ApiDescription.locate());
  }

  /** As {@link #addStacks(App, EnvironmentConfig, Path)} with another OpenAPI document. */
  public static ContactsStack addStacks(
      App app, EnvironmentConfig config, Path functionJar, Path apiDocument) {
    AccountStack account =
        new AccountStack(
            app,
            AccountStack.STACK_NAME,
            StackProps.builder()
                .description("Contacts API: API Gateway account settings (once per region)")
                .build());
    ContactsStack stack =
        new ContactsStack(
            app,
            stackName(config.name()),
            StackProps.builder()
                .description("Contacts API (" + config.name() + ")")
                .terminationProtection(config.deletionProtection())
                .build(),
            config,
            functionJar,
            apiDocument);
    stack.addDependency(account, "API Gateway needs its CloudWatch role to enable stage logging");
    Tags.of(account).add("service", "contacts-api");
    Tags.of(stack).add("service", "contacts-api");
    Tags.of(stack).add("environment", config.name());
    Aspects.of(app).add(new AwsSolutionsChecks());
    return stack;
  }

  /** CloudFormation stack name of an environment. */
  public static String stackName(String environment) {
    return "contacts-" + environment;
  }

  private static String context(App app, String key) {
    Object value = app.getNode().tryGetContext(key);
    return value == null || value.toString().isBlank() ? null : value.toString().trim();
  }
}
