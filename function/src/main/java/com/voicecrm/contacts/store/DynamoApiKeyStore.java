package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.ApiKeyLookup;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.store.Items.ApiKeyItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  }

  @Override
  public Optional<ApiKeyRecord> findByHash(String keyHash) {
    try {
      // Eventually consistent: a revocation taking a second to reach every reader is acceptable
      // and halves the cost of the one read every cache miss of the authorizer makes.
      GetItemResponse response =
          dynamo.getItem(
              r ->
                  r.tableName(table)
                      .key(DynamoContactStore.key(Keys.apiKey(keyHash), Keys.API_KEY)));
      if (!response.hasItem() || response.item().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(toRecord(Items.API_KEY.mapToItem(response.item()), keyHash));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /** Stores a record; an existing record for the same hash is left alone. */
  public void put(ApiKeyRecord record) {
    ApiKeyItem item = new ApiKeyItem();
    item.pk = Keys.apiKey(record.keyHash());
    item.sk = Keys.API_KEY;
    item.keyId = record.keyId();
    item.accountId = record.accountId();
    item.workspaceId = record.workspaceId();
    item.usagePlan = record.usagePlan();
    item.description = record.description();
    item.createdAt = record.createdAt().toString();
    item.revokedAt = record.revokedAt() == null ? null : record.revokedAt().toString();
    try {
      dynamo.putItem(
          r ->
              r.tableName(table)
                  .item(Items.API_KEY.itemToMap(item, true))
                  .conditionExpression("attribute_not_exists(pk)"));
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
                  .key(DynamoContactStore.key(Keys.apiKey(keyHash), Keys.API_KEY))
                  .updateExpression("SET revokedAt = if_not_exists(revokedAt, :at)")
                  .conditionExpression("attribute_exists(pk)")
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
            .filterExpression("sk = :sk")
            .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(Keys.API_KEY)))
            .build();
    dynamo
        .scanPaginator(request)
        .items()
        .forEach(
            item -> {
              String hash = item.get("pk").s().substring(Keys.apiKey("").length());
              records.add(toRecord(Items.API_KEY.mapToItem(item), hash));
            });
    return records;
  }

  private static ApiKeyRecord toRecord(ApiKeyItem item, String keyHash) {
    return new ApiKeyRecord(
        keyHash,
        item.accountId,
        item.workspaceId,
        item.usagePlan,
        item.description,
        item.createdAt == null ? Instant.EPOCH : Instant.parse(item.createdAt),
        item.revokedAt == null ? null : Instant.parse(item.revokedAt));
  }
}
