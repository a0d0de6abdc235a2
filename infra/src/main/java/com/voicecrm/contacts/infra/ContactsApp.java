package com.voicecrm.contacts.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * CDK entry point. The environment comes from {@code -c env=<name>} (default {@code dev}); optional
 * context: {@code alarmEmail}, {@code domainName} + {@code certificateArn}, {@code
 * javaToolOptions}. The stack is environment-agnostic: it deploys to the account and region of the
 * caller's credentials and synthesises without any.
 */
public final class ContactsApp {

  private ContactsApp() {}

  public static void main(String[] args) {
    App app = new App();
    EnvironmentConfig config = EnvironmentConfig.forName(context(app, "env"));
    String alarmEmail = context(app, "alarmEmail");
    if (alarmEmail != null) {
      config = config.withAlarmEmail(alarmEmail);
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

    ContactsStack stack =
        new ContactsStack(
            app,
            stackName(config.name()),
            StackProps.builder()
                .description("Contacts API (" + config.name() + ")")
                .terminationProtection(config.deletionProtection())
                .build(),
            config,
            FunctionArtifact.locate());
    Tags.of(stack).add("service", "contacts-api");
    Tags.of(stack).add("environment", config.name());
    // The same checks the tests assert on: synth fails on an unsuppressed error.
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();
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
