package com.voicecrm.contacts.config;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The function's environment, read once at init. A missing required value fails the init, so a
 * misconfigured deployment never serves a request.
 */
public record AppConfig(String tableName, Optional<URI> dynamoEndpoint, String region) {

  static final String DEFAULT_REGION = "us-east-1";

  public static AppConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static AppConfig from(Map<String, String> env) {
    String table = env.get(ServiceContract.ENV_TABLE_NAME);
    if (table == null || table.isBlank()) {
      throw new IllegalStateException(
          "Environment variable " + ServiceContract.ENV_TABLE_NAME + " is required");
    }
    Optional<URI> endpoint =
        Optional.ofNullable(env.get(ServiceContract.ENV_DYNAMODB_ENDPOINT))
            .filter(v -> !v.isBlank())
            .map(URI::create);
    // Lambda always sets AWS_REGION; reading it here spares the SDK its region probing.
    String region =
        Optional.ofNullable(env.get("AWS_REGION")).filter(v -> !v.isBlank()).orElse(DEFAULT_REGION);
    return new AppConfig(table, endpoint, region);
  }
}
