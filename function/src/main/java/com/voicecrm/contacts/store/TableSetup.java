package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.ServiceContract.ListIndexes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Creates the table for local runs and tests; in AWS the CDK stack owns it. */
public final class TableSetup {

  private TableSetup() {}

  /**
   * Creates the table unless it exists, waits until it is active and turns on its time to live
   * ({@link ServiceContract#TIME_TO_LIVE_ATTRIBUTE}), as the stack declares it.
   */
  public static void createIfMissing(DynamoDbClient dynamo, String table) {
    try {
      dynamo.createTable(
          r ->
              r.tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      string(ServiceContract.PARTITION_KEY),
                      string(ServiceContract.SORT_KEY),
                      string(ListIndexes.WORKSPACE_PARTITION),
                      string(ListIndexes.TAG_PARTITION),
                      string(ListIndexes.SORT))
                  .keySchema(
                      k -> k.attributeName(ServiceContract.PARTITION_KEY).keyType(KeyType.HASH),
                      k -> k.attributeName(ServiceContract.SORT_KEY).keyType(KeyType.RANGE))
                  .globalSecondaryIndexes(
                      listIndex(ListIndexes.WORKSPACE_INDEX, ListIndexes.WORKSPACE_PARTITION),
                      listIndex(ListIndexes.TAG_INDEX, ListIndexes.TAG_PARTITION)));
    } catch (ResourceInUseException alreadyThere) {
      // Idempotent by design.
    }
    dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
    enableTimeToLive(dynamo, table);
  }

  private static void enableTimeToLive(DynamoDbClient dynamo, String table) {
    TimeToLiveDescription current =
        dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
    if (current != null
        && current.timeToLiveStatus() == TimeToLiveStatus.ENABLED
        && ServiceContract.TIME_TO_LIVE_ATTRIBUTE.equals(current.attributeName())) {
      return; // DynamoDB refuses to enable it twice
    }
    dynamo.updateTimeToLive(
        r ->
            r.tableName(table)
                .timeToLiveSpecification(
                    t -> t.attributeName(ServiceContract.TIME_TO_LIVE_ATTRIBUTE).enabled(true)));
  }

  private static AttributeDefinition string(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  /** A sparse, keys-only index ordered by the list sort key, as the CDK stack declares it. */
  private static GlobalSecondaryIndex listIndex(String name, String partitionKey) {
    return GlobalSecondaryIndex.builder()
        .indexName(name)
        .keySchema(
            k -> k.attributeName(partitionKey).keyType(KeyType.HASH),
            k -> k.attributeName(ListIndexes.SORT).keyType(KeyType.RANGE))
        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
        .build();
  }
}
