package com.voicecrm.contacts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppConfigTest {

  @Test
  void missingTableName_failsFast() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> AppConfig.from(Map.of()));
    assertEquals("Environment variable TABLE_NAME is required", e.getMessage());
  }

  @Test
  void endpointOverride_onlyWhenSet() {
    assertEquals(Optional.empty(), AppConfig.from(Map.of("TABLE_NAME", "t")).dynamoEndpoint());
    assertEquals(
        Optional.empty(),
        AppConfig.from(Map.of("TABLE_NAME", "t", "DYNAMODB_ENDPOINT", " ")).dynamoEndpoint());
    assertEquals(
        Optional.of(URI.create("http://127.0.0.1:4566")),
        AppConfig.from(Map.of("TABLE_NAME", "t", "DYNAMODB_ENDPOINT", "http://127.0.0.1:4566"))
            .dynamoEndpoint());
  }

  @Test
  void region_comesFromLambdasEnvironment() {
    assertEquals(
        "eu-west-1", AppConfig.from(Map.of("TABLE_NAME", "t", "AWS_REGION", "eu-west-1")).region());
    assertEquals("us-east-1", AppConfig.from(Map.of("TABLE_NAME", "t")).region());
  }
}
