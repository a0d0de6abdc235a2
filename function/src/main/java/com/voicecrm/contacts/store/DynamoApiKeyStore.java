package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.ApiKeyLookup;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** API key records, stored by the key's hash. Used by the authorizer and the ops commands. */
public final class DynamoApiKeyStore implements ApiKeyLookup {

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoApiKeyStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
    // Builds the schema (and the enhanced client's converters) at init, so a SnapStart snapshot of
    // the authorizer holds it rather than its first request building it.
    Objects.requireNonNull(ApiKeyItem.SCHEMA);
  }

  @Override
  public Optional<ApiKeyRecord> findByHash(String keyHash) {
    try {
      // Eventually consistent: a revocation taking a second to reach every reader is acceptable
      // and halves the cost of the one read every cache miss of the authorizer makes.
      GetItemResponse response =
          dynamo.getItem(r -> r.tableName(table).key(Keys.apiKeyKey(keyHash)));
      if (!response.hasItem() || response.item().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(ApiKeyItem.SCHEMA.mapToItem(response.item()).toRecord());
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /** Stores a record; an existing record for the same hash is left alone. */
  public void put(ApiKeyRecord record) {
    Map<String, AttributeValue> item = ApiKeyItem.SCHEMA.itemToMap(ApiKeyItem.of(record), true);
    try {
      dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression(Keys.notExists()));
    } catch (ConditionalCheckFailedException alreadyStored) {
      // Idempotent: loading the same seed twice changes nothing.
    }
  }

  /** Marks the key revoked; false when no such key exists. */
  public boolean revoke(String keyHash, Instant at) {
    try {
      dynamo.updateItem(
          r ->
              r.tableName(table)
                  .key(Keys.apiKeyKey(keyHash))
                  .updateExpression("SET #revokedAt = if_not_exists(#revokedAt, :at)")
                  .conditionExpression(Keys.exists())
                  .expressionAttributeNames(Map.of("#revokedAt", ApiKeyItem.REVOKED_AT))
                  .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString()))));
      return true;
    } catch (ConditionalCheckFailedException missing) {
      return false;
    }
  }

  /** Every key record (an operator's listing; a scan is fine at this volume). */
  public List<ApiKeyRecord> list() {
    List<ApiKeyRecord> records = new ArrayList<>();
    ScanRequest request =
        ScanRequest.builder()
            .tableName(table)
            .filterExpression("#sk = :sk")
            .expressionAttributeNames(Map.of("#sk", Keys.SK))
            .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(Keys.API_KEY)))
            .build();
    dynamo
        .scanPaginator(request)
        .items()
        .forEach(item -> records.add(ApiKeyItem.SCHEMA.mapToItem(item).toRecord()));
    return records;
  }
}
