package com.voicecrm.contacts.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag AwsSolutions checks run on the synthesised stacks: no unsuppressed error or warning.
 * Suppressions live in {@link ContactsStack}, each on one resource with its reason.
 */
class CdkNagTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void awsSolutions_hasNoUnsuppressedErrors(String env) {
    List<SynthesisMessage> errors =
        Stacks.forEnv(env).annotations().findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    assertEquals(List.of(), describe(errors), "cdk-nag errors in " + env);
    List<SynthesisMessage> accountErrors =
        Stacks.forEnv(env)
            .accountAnnotations()
            .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    assertEquals(List.of(), describe(accountErrors), "cdk-nag errors in the account stack");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void awsSolutions_hasNoUnsuppressedWarnings(String env) {
    List<SynthesisMessage> warnings =
        Stacks.forEnv(env)
            .annotations()
            .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    assertEquals(List.of(), describe(warnings), "cdk-nag warnings in " + env);
    List<SynthesisMessage> accountWarnings =
        Stacks.forEnv(env)
            .accountAnnotations()
            .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    assertEquals(List.of(), describe(accountWarnings), "cdk-nag warnings in the account stack");
  }

  private static List<String> describe(List<SynthesisMessage> messages) {
    return messages.stream()
        .map(m -> m.getId() + ": " + m.getEntry().getData())
        .collect(Collectors.toList());
  }
}
