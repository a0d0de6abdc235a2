package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
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
                      a ->
                          a.attributeName(ServiceContract.PARTITION_KEY)
                              .attributeType(ScalarAttributeType.S),
                      a ->
                          a.attributeName(ServiceContract.SORT_KEY)
                              .attributeType(ScalarAttributeType.S))
                  .keySchema(
                      k -> k.attributeName(ServiceContract.PARTITION_KEY).keyType(KeyType.HASH),
                      k -> k.attributeName(ServiceContract.SORT_KEY).keyType(KeyType.RANGE)));
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
}
