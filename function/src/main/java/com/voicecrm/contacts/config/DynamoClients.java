package com.voicecrm.contacts.config;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the one DynamoDB client a process uses. */
public final class DynamoClients {

  private DynamoClients() {}

  public static DynamoDbClient create(AppConfig config) {
    return builder(config).build();
  }

  /** A client whose calls also pass {@code interceptor} (the API function's call timer). */
  public static DynamoDbClient create(AppConfig config, ExecutionInterceptor interceptor) {
    DynamoDbClientBuilder builder = builder(config);
    // overrideConfiguration(...) replaces the whole configuration, so add to the one built.
    builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder().addExecutionInterceptor(interceptor).build());
    return builder.build();
  }

  /**
   * The configured builder, for callers that add to it (tests inject faults with an interceptor).
   */
  public static DynamoDbClientBuilder builder(AppConfig config) {
    DynamoDbClientBuilder builder =
        DynamoDbClient.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(credentials(config))
            // The URL connection client starts fastest: no connection pool library to load.
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(ServiceContract.TIMEOUTS.connect())
                    .socketTimeout(ServiceContract.TIMEOUTS.socket()))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(ServiceContract.TIMEOUTS.callAttempt())
                        .apiCallTimeout(ServiceContract.TIMEOUTS.call()));
    config.dynamoEndpoint().ifPresent(builder::endpointOverride);
    return builder;
  }

  private static AwsCredentialsProvider credentials(AppConfig config) {
    if (config.dynamoEndpoint().isPresent() && System.getenv("AWS_ACCESS_KEY_ID") == null) {
      // A local DynamoDB-compatible server accepts any credentials.
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
    if (System.getenv("AWS_ACCESS_KEY_ID") != null) {
      return EnvironmentVariableCredentialsProvider.create();
    }
    if (System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
      // SnapStart functions get their credentials from Lambda's local endpoint (fresh after each
      // restore) instead of the environment: go there directly, without the default chain's
      // probing of system properties, web identity and profile files.
      return ContainerCredentialsProvider.builder().build();
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
