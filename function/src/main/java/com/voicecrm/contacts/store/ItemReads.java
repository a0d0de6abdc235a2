package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.ContactStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Strongly consistent reads of whole items, each call bounded by the request's budget. */
final class ItemReads {

  /** DynamoDB's limit on the keys of one BatchGetItem. */
  static final int MAX_BATCH_GET_KEYS = 100;

  /** Rounds of unprocessed keys asked for again before giving up as unavailable. */
  static final int MAX_BATCH_ROUNDS = 5;

  private final DynamoDbClient dynamo;
  private final String table;
  private final CallBudget budget;

  ItemReads(DynamoDbClient dynamo, String table, CallBudget budget) {
    this.dynamo = dynamo;
    this.table = table;
    this.budget = budget;
  }

  Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
    try {
      GetItemResponse response =
          dynamo.getItem(
              r ->
                  r.tableName(table)
                      .key(key)
                      .consistentRead(true)
                      .overrideConfiguration(budget.next()));
      return response.hasItem() && !response.item().isEmpty()
          ? Optional.of(response.item())
          : Optional.empty();
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /**
   * The items found, by partition key, in BatchGetItem calls of at most {@value
   * #MAX_BATCH_GET_KEYS} keys; unprocessed keys are asked for again until none are left.
   */
  Map<String, Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys) {
    Map<String, Map<String, AttributeValue>> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += MAX_BATCH_GET_KEYS) {
      List<Map<String, AttributeValue>> pending =
          keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_GET_KEYS));
      int rounds = 0;
      while (!pending.isEmpty()) {
        if (++rounds > MAX_BATCH_ROUNDS) {
          throw new ContactStore.Unavailable("DynamoDB left keys unprocessed", null);
        }
        BatchGetItemResponse response = batchGetOnce(pending);
        for (Map<String, AttributeValue> item :
            response.responses().getOrDefault(table, List.of())) {
          found.put(Keys.pkOf(item), item);
        }
        KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
        pending = unprocessed == null ? List.of() : unprocessed.keys();
      }
    }
    return found;
  }

  private BatchGetItemResponse batchGetOnce(List<Map<String, AttributeValue>> keys) {
    try {
      return dynamo.batchGetItem(
          r ->
              r.requestItems(
                      Map.of(
                          table,
                          KeysAndAttributes.builder().keys(keys).consistentRead(true).build()))
                  .overrideConfiguration(budget.next()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }
}
