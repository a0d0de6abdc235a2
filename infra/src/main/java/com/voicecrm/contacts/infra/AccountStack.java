package com.voicecrm.contacts.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.CfnAccount;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * What exists once per account and region, whatever the environments: API Gateway's account setting
 * naming the role it writes the access and execution logs with. It is a single setting ({@code
 * AWS::ApiGateway::Account}), so each environment's stack owning a copy would overwrite the others'
 * and delete it with the first stack deleted. Every environment stack depends on this stack, so
 * {@code cdk deploy contacts-<env>} deploys it first (unchanged: no-op).
 */
public final class AccountStack extends Stack {

  /** CloudFormation stack name, the same for every environment of an account and region. */
  public static final String STACK_NAME = "contacts-account";

  public AccountStack(Construct scope, String id, StackProps props) {
    super(scope, id, props);
    Role role =
        Role.Builder.create(this, "ApiGatewayCloudWatchRole")
            .assumedBy(new ServicePrincipal("apigateway.amazonaws.com"))
            .description("API Gateway writes access and execution logs (every API of the account)")
            .managedPolicies(
                List.of(
                    ManagedPolicy.fromAwsManagedPolicyName(
                        "service-role/AmazonAPIGatewayPushToCloudWatchLogs")))
            .build();
    CfnAccount account =
        CfnAccount.Builder.create(this, "ApiGatewayAccount")
            .cloudWatchRoleArn(role.getRoleArn())
            .build();
    account.getNode().addDependency(role);

    NagSuppressions.addResourceSuppressions(
        role,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .reason(
                    "API Gateway's account-level CloudWatch role uses the AWS-managed policy written "
                        + "for exactly this purpose (AmazonAPIGatewayPushToCloudWatchLogs); the "
                        + "role writes the log groups of every API in the account, named by API "
                        + "id, which are not known here.")
                .appliesTo(
                    List.of(
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                            + "AmazonAPIGatewayPushToCloudWatchLogs"))
                .build()));
  }
}
