package com.voicecrm.contacts.infra;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesised stacks shared by the test classes: synthesis goes through the jsii runtime and takes
 * seconds, so each configuration is built once per JVM. The stack is environment-agnostic and
 * performs no lookups, so no AWS credentials are needed.
 */
final class Stacks {

  static final String ALARM_EMAIL = "oncall@example.com";
  static final EnvironmentConfig.CustomDomain DOMAIN =
      new EnvironmentConfig.CustomDomain(
          "api.voicecrm.example",
          "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000");

  /**
   * One synthesised app: the environment's stack, its template and annotations (cdk-nag findings),
   * and the account stack's.
   */
  record Synthesized(
      ContactsStack stack,
      Template template,
      Annotations annotations,
      Template accountTemplate,
      Annotations accountAnnotations) {}

  private static final Map<String, Synthesized> CACHE = new ConcurrentHashMap<>();

  private Stacks() {}

  static Synthesized dev() {
    return cached("dev", () -> EnvironmentConfig.forName("dev"));
  }

  /** Prod with every optional feature on: alarm e-mail and custom domain. */
  static Synthesized prod() {
    return cached(
        "prod",
        () ->
            EnvironmentConfig.forName("prod").withAlarmEmail(ALARM_EMAIL).withCustomDomain(DOMAIN));
  }

  static Synthesized forEnv(String env) {
    return switch (env) {
      case "dev" -> dev();
      case "prod" -> prod();
      default -> throw new IllegalArgumentException(env);
    };
  }

  static Synthesized cached(String key, Supplier<EnvironmentConfig> config) {
    return CACHE.computeIfAbsent(key, k -> synthesize(config.get()));
  }

  /** Built as the CDK app builds it: its feature flags, both stacks, the cdk-nag aspect. */
  static Synthesized synthesize(EnvironmentConfig config) {
    App app = ContactsApp.newApp();
    ContactsStack stack = ContactsApp.addStacks(app, config, FunctionArtifact.locate());
    Stack account = (Stack) app.getNode().findChild(AccountStack.STACK_NAME);
    // Template.fromStack synthesises the app, which runs the cdk-nag aspect too.
    Template template = Template.fromStack(stack);
    return new Synthesized(
        stack,
        template,
        Annotations.fromStack(stack),
        Template.fromStack(account),
        Annotations.fromStack(account));
  }
}
