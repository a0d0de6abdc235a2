package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.it.TestApi;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The SnapStart priming hook runs the real handler against the store and writes nothing. */
class SnapStartPrimingIT {

  @Test
  void beforeCheckpoint_reachesTheStore_andWritesNothing() {
    // GIVEN the handler on the integration tests' table, with whatever the other tests left in it,
    // through a client that records which DynamoDB operations it sends
    Set<String> operations = ConcurrentHashMap.newKeySet();
    try (DynamoDbClient recording = recordingClient(operations)) {
      ContactsApiHandler handler = ContactsApiHandler.over(recording, TestApi.api().table());
      List<Map<String, AttributeValue>> before = TestApi.scan("");

      // WHEN priming runs, as SnapStart would call it before the snapshot
      SnapStartPriming priming = new SnapStartPriming(handler);
      priming.beforeCheckpoint(null);
      List<Integer> statuses = priming.prime();

      // THEN the upsert reached the store (its workspace does not exist), the invalid one was
      // rejected, the read and the patch found nothing, the listing and the batch found no
      // workspace and their invalid twins were rejected, and the table is exactly as it was
      assertEquals(List.of(404, 400, 404, 404, 404, 400, 404, 400), statuses);
      assertEquals(before, TestApi.scan(""));
      // The list page's reads and the write path (refused by DynamoDB) ran to the end.
      assertTrue(
          operations.containsAll(Set.of("GetItem", "Query", "BatchGetItem", "TransactWriteItems")),
          operations.toString());
    }
  }

  private static DynamoDbClient recordingClient(Set<String> operations) {
    String endpoint =
        TestApi.api()
            .dynamo()
            .serviceClientConfiguration()
            .endpointOverride()
            .orElseThrow()
            .toString();
    DynamoDbClientBuilder builder =
        DynamoClients.builder(
            AppConfig.from(
                Map.of(
                    ServiceContract.ENV_TABLE_NAME,
                    TestApi.api().table(),
                    ServiceContract.ENV_DYNAMODB_ENDPOINT,
                    endpoint)));
    ExecutionInterceptor recorder =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
          }
        };
    builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder().addExecutionInterceptor(recorder).build());
    return builder.build();
  }
}
