package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.BatchReads;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.Workspace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A batch's reads on the contacts table: every key of every item in consistent {@code
 * BatchGetItem}s of at most 100 keys, each key asked for once, unprocessed keys asked for again
 * with a short backoff. A batch of 100 new contacts with a phone and an email each is 201 keys
 * (workspace included, plus its tags): three calls.
 */
public final class DynamoBatchReads implements BatchReads {

  static final int MAX_BATCH_GET_KEYS = DynamoContactStore.MAX_BATCH_GET_KEYS;
  static final int MAX_TRANSACTION_ITEMS = DynamoContactStore.MAX_TRANSACTION_ITEMS;

  /** Rounds for the unprocessed keys of one call before giving up as unavailable. */
  static final int MAX_ROUNDS = 5;

  private static final String PK = ServiceContract.PARTITION_KEY;

  private final DynamoDbClient dynamo;
  private final String table;
  private final LongSupplier remainingMillis;

  public DynamoBatchReads(DynamoDbClient dynamo, String table) {
    this(dynamo, table, null);
  }

  private DynamoBatchReads(DynamoDbClient dynamo, String table, LongSupplier remainingMillis) {
    this.dynamo = dynamo;
    this.table = table;
    this.remainingMillis = remainingMillis;
  }

  @Override
  public BatchReads within(LongSupplier remainingMillis) {
    return new DynamoBatchReads(dynamo, table, remainingMillis);
  }

  @Override
  public Claims readClaims(
      String workspaceId, Collection<Identifier> identifiers, Collection<String> tags) {
    // Each key once: DynamoDB refuses a BatchGetItem naming one key twice.
    Map<String, Map<String, AttributeValue>> keys = new LinkedHashMap<>();
    String workspaceKey = Keys.workspace(workspaceId);
    keys.put(workspaceKey, DynamoContactStore.key(workspaceKey, Keys.WORKSPACE));
    for (Identifier identifier : identifiers) {
      String pk = Keys.identifier(workspaceId, identifier);
      keys.putIfAbsent(pk, DynamoContactStore.key(pk, Keys.IDENTIFIER));
    }
    for (String tag : tags) {
      String pk = Keys.tag(workspaceId, tag);
      keys.putIfAbsent(pk, DynamoContactStore.key(pk, Keys.TAG));
    }
    Map<String, Map<String, AttributeValue>> found = batchGet(List.copyOf(keys.values()));

    Optional<Workspace> workspace =
        Optional.ofNullable(found.get(workspaceKey))
            .map(item -> DynamoContactStore.toWorkspace(Items.WORKSPACE.mapToItem(item)));
    Map<Identifier, String> owners = new HashMap<>();
    for (Identifier identifier : identifiers) {
      Map<String, AttributeValue> item = found.get(Keys.identifier(workspaceId, identifier));
      if (item != null) {
        owners.put(identifier, Items.IDENTIFIER.mapToItem(item).contactId);
      }
    }
    Set<String> registered = new LinkedHashSet<>();
    for (String tag : tags) {
      if (found.containsKey(Keys.tag(workspaceId, tag))) {
        registered.add(tag);
      }
    }
    return new Claims(workspace, owners, registered);
  }

  @Override
  public Map<String, Contact> readContacts(Collection<String> contactIds) {
    Map<String, Map<String, AttributeValue>> keys = new LinkedHashMap<>();
    for (String id : contactIds) {
      String pk = Keys.contact(id);
      keys.putIfAbsent(pk, DynamoContactStore.key(pk, Keys.CONTACT));
    }
    Map<String, Contact> contacts = new HashMap<>();
    for (Map<String, AttributeValue> item : batchGet(List.copyOf(keys.values())).values()) {
      Contact contact = DynamoContactStore.toContact(Items.CONTACT.mapToItem(item));
      contacts.put(contact.id(), contact);
    }
    return contacts;
  }

  @Override
  public void registerTags(String workspaceId, Collection<String> tags, Instant at) {
    List<TransactWriteItem> chunk = new ArrayList<>();
    for (String tag : new LinkedHashSet<>(tags)) {
      chunk.add(
          TransactWriteItem.builder()
              .update(
                  u ->
                      u.tableName(table)
                          .key(DynamoContactStore.key(Keys.tag(workspaceId, tag), Keys.TAG))
                          // As DynamoContactStore's overflow registration: an existing tag keeps
                          // its time, so racing registrations of one tag never conflict.
                          .updateExpression(
                              "SET createdAt = if_not_exists(createdAt, :at), workspaceId = :ws,"
                                  + " tag = :tag")
                          .expressionAttributeValues(
                              Map.of(
                                  ":at", AttributeValue.fromS(at.toString()),
                                  ":ws", AttributeValue.fromS(workspaceId),
                                  ":tag", AttributeValue.fromS(tag))))
              .build());
      if (chunk.size() == MAX_TRANSACTION_ITEMS) {
        transact(chunk);
        chunk = new ArrayList<>();
      }
    }
    if (!chunk.isEmpty()) {
      transact(chunk);
    }
  }

  private void transact(List<TransactWriteItem> items) {
    try {
      dynamo.transactWriteItems(
          r ->
              r.transactItems(items)
                  .clientRequestToken(UUID.randomUUID().toString())
                  .overrideConfiguration(callBudget()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /** Items found, by partition key, in calls of at most 100 keys. */
  private Map<String, Map<String, AttributeValue>> batchGet(
      List<Map<String, AttributeValue>> keys) {
    Map<String, Map<String, AttributeValue>> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += MAX_BATCH_GET_KEYS) {
      List<Map<String, AttributeValue>> pending =
          keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_GET_KEYS));
      for (int round = 1; !pending.isEmpty(); round++) {
        if (round > MAX_ROUNDS) {
          throw new ContactStore.Unavailable("DynamoDB left keys unprocessed", null);
        }
        if (round > 1) {
          pause(round);
        }
        BatchGetItemResponse response = batchGetOnce(pending);
        for (Map<String, AttributeValue> item :
            response.responses().getOrDefault(table, List.of())) {
          found.put(item.get(PK).s(), item);
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
                  .overrideConfiguration(callBudget()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /** DynamoDB leaves keys unprocessed when throttled: back off before asking again. */
  private static void pause(int round) {
    try {
      Thread.sleep(10L << Math.min(round, 6));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContactStore.Unavailable("interrupted", e);
    }
  }

  /** As DynamoContactStore's: a call never outlives the request's remaining time. */
  private AwsRequestOverrideConfiguration callBudget() {
    if (remainingMillis == null) {
      return null;
    }
    long budget = remainingMillis.getAsLong() - DynamoContactStore.ANSWER_MARGIN_MILLIS;
    if (budget < DynamoContactStore.MIN_CALL_MILLIS) {
      throw new ContactStore.Unavailable("no time left for another DynamoDB call", null);
    }
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(Duration.ofMillis(budget))
        .build();
  }
}
