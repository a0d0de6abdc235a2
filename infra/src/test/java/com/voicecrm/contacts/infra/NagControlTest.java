package com.voicecrm.contacts.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Table;

/** Control for {@link CdkNagTest}: the same query does find a finding when there is one. */
class NagControlTest {

  @Test
  void awsSolutions_reportsFinding_forTableWithoutPointInTimeRecovery() {
    App app = new App();
    Stack stack = new Stack(app, "Control");
    Table.Builder.create(stack, "Table")
        .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
        .build();
    Aspects.of(app).add(new AwsSolutionsChecks());
    Template.fromStack(stack);

    assertEquals(
        1,
        Annotations.fromStack(stack)
            .findWarning("*", Match.stringLikeRegexp("AwsSolutions-DDB3.*"))
            .size());
  }
}
