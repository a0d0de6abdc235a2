package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract.ListIndexes;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactListingStore;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.ListPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The list route's reads on the table: one {@code Query} of a list index (KEYS_ONLY, so an entry
 * costs a few dozen bytes), one consistent {@code BatchGetItem} of the contacts it names, and for
 * the phone and email filters a consistent {@code GetItem} of the claim and then of the contact.
 */
public final class DynamoContactListing implements ContactListingStore {

  private static final int MAX_BATCH_ROUNDS = 5;

  private final DynamoDbClient dynamo;
  private final String table;
  private final LongSupplier remainingMillis;

  public DynamoContactListing(DynamoDbClient dynamo, String table) {
    this(dynamo, table, null);
  }

  private DynamoContactListing(DynamoDbClient dynamo, String table, LongSupplier remainingMillis) {
    this.dynamo = dynamo;
    this.table = table;
    this.remainingMillis = remainingMillis;
  }

  @Override
  public ContactListingStore within(LongSupplier remainingMillis) {
    return new DynamoContactListing(dynamo, table, remainingMillis);
  }

  @Override
  public IndexEntries entriesAfter(String workspaceId, String tag, ListPosition after, int max) {
    String index = tag == null ? ListIndexes.WORKSPACE_INDEX : ListIndexes.TAG_INDEX;
    String partition =
        tag == null
            ? ListIndexKeys.workspacePartition(workspaceId)
            : ListIndexKeys.tagPartition(workspaceId, tag);
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    names.put(
        "#partition", tag == null ? ListIndexes.WORKSPACE_PARTITION : ListIndexes.TAG_PARTITION);
    values.put(":partition", AttributeValue.fromS(partition));
    String condition = "#partition = :partition";
    if (after != null) {
      names.put("#sort", ListIndexes.SORT);
      values.put(":after", AttributeValue.fromS(ListIndexKeys.sortKey(after)));
      condition += " AND #sort > :after";
    }
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .indexName(index)
            .keyConditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .limit(max)
            .overrideConfiguration(callBudget())
            .build();
    QueryResponse response;
    try {
      response = dynamo.query(request);
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
    List<ListPosition> positions = new ArrayList<>(response.count());
    for (Map<String, AttributeValue> entry : response.items()) {
      positions.add(ListIndexKeys.position(entry.get(ListIndexes.SORT).s()));
    }
    // DynamoDB stops at the limit with a LastEvaluatedKey even when nothing follows; the domain
    // asks for one entry more than it needs, so only a 1 MB cut makes this matter.
    boolean more = response.hasLastEvaluatedKey() && positions.size() < max;
    return new IndexEntries(positions, more);
  }

  @Override
  public Map<String, Contact> contacts(Collection<String> ids) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>(ids.size());
    for (String id : ids) {
      keys.add(DynamoContactStore.key(Keys.contact(id), Keys.CONTACT));
    }
    Map<String, Contact> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += DynamoContactStore.MAX_BATCH_GET_KEYS) {
      List<Map<String, AttributeValue>> pending =
          keys.subList(from, Math.min(keys.size(), from + DynamoContactStore.MAX_BATCH_GET_KEYS));
      int rounds = 0;
      while (!pending.isEmpty()) {
        if (++rounds > MAX_BATCH_ROUNDS) {
          throw new ContactStore.Unavailable("DynamoDB left keys unprocessed", null);
        }
        List<Map<String, AttributeValue>> request = pending;
        BatchGetItemResponse response;
        try {
          response =
              dynamo.batchGetItem(
                  r ->
                      r.requestItems(
                              Map.of(
                                  table,
                                  KeysAndAttributes.builder()
                                      .keys(request)
                                      .consistentRead(true)
                                      .build()))
                          .overrideConfiguration(callBudget()));
        } catch (SdkException e) {
          throw StoreErrors.translate(e);
        }
        for (Map<String, AttributeValue> item :
            response.responses().getOrDefault(table, List.of())) {
          Contact contact = DynamoContactStore.toContact(Items.CONTACT.mapToItem(item));
          found.put(contact.id(), contact);
        }
        KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
        pending = unprocessed == null ? List.of() : unprocessed.keys();
      }
    }
    return found;
  }

  @Override
  public Optional<Contact> holderOf(String workspaceId, Identifier identifier) {
    return get(Keys.identifier(workspaceId, identifier), Keys.IDENTIFIER)
        .map(claim -> Items.IDENTIFIER.mapToItem(claim).contactId)
        .flatMap(contactId -> get(Keys.contact(contactId), Keys.CONTACT))
        .map(item -> DynamoContactStore.toContact(Items.CONTACT.mapToItem(item)));
  }

  private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
    GetItemResponse response;
    try {
      response =
          dynamo.getItem(
              r ->
                  r.tableName(table)
                      .key(DynamoContactStore.key(pk, sk))
                      .consistentRead(true)
                      .overrideConfiguration(callBudget()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
    return response.hasItem() && !response.item().isEmpty()
        ? Optional.of(response.item())
        : Optional.empty();
  }

  /** As DynamoContactStore bounds its calls: the request's time left, less the answer margin. */
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
