package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.Workspace;
import com.voicecrm.contacts.store.Items.ContactItem;
import com.voicecrm.contacts.store.Items.IdentifierItem;
import com.voicecrm.contacts.store.Items.TagItem;
import com.voicecrm.contacts.store.Items.WorkspaceItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * The contact store on one DynamoDB table. Uniqueness of phones and emails rests on identifier
 * items claimed with {@code attribute_not_exists} in the same transaction as the contact write, and
 * lost updates are prevented by a version condition on the contact.
 */
public final class DynamoContactStore implements ContactStore {

  /** DynamoDB's limits on one TransactWriteItems and one BatchGetItem. */
  static final int MAX_TRANSACTION_ITEMS = 100;

  static final int MAX_BATCH_GET_KEYS = 100;

  /** DynamoDB's limit on one item (400 KB, names and values counted); beyond it a put fails. */
  static final long MAX_ITEM_BYTES = 400 * 1024;

  static final long DELETE_HEADROOM_BYTES = 1024;

  private static final String PK = ServiceContract.PARTITION_KEY;
  private static final String SK = ServiceContract.SORT_KEY;
  private static final String NOT_EXISTS = "attribute_not_exists(" + PK + ")";

  /** Time kept after the last call of a request to answer it, a 503 included. */
  static final long ANSWER_MARGIN_MILLIS = ServiceContract.TIMEOUTS.answerMargin().toMillis();

  static final long MIN_CALL_MILLIS = ServiceContract.TIMEOUTS.minimumCall().toMillis();

  private final DynamoDbClient dynamo;
  private final String table;
  private final LongSupplier remainingMillis;

  public DynamoContactStore(DynamoDbClient dynamo, String table) {
    this(dynamo, table, null);
  }

  private DynamoContactStore(DynamoDbClient dynamo, String table, LongSupplier remainingMillis) {
    this.dynamo = dynamo;
    this.table = table;
    this.remainingMillis = remainingMillis;
  }

  @Override
  public ContactStore within(LongSupplier remainingMillis) {
    return new DynamoContactStore(dynamo, table, remainingMillis);
  }

  /**
   * The request's remaining time, less the margin to answer, as the timeout of the next call: the
   * SDK's own timeouts (several seconds with its retries) could otherwise outlast the function.
   */
  private AwsRequestOverrideConfiguration callBudget() {
    if (remainingMillis == null) {
      return null;
    }
    long budget = remainingMillis.getAsLong() - ANSWER_MARGIN_MILLIS;
    if (budget < MIN_CALL_MILLIS) {
      throw new ContactStore.Unavailable("no time left for another DynamoDB call", null);
    }
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(Duration.ofMillis(budget))
        .build();
  }

  @Override
  public Optional<Workspace> findWorkspace(String workspaceId) {
    return get(Keys.workspace(workspaceId), Keys.WORKSPACE)
        .map(item -> toWorkspace(Items.WORKSPACE.mapToItem(item)));
  }

  @Override
  public Optional<Contact> findContact(String contactId) {
    return get(Keys.contact(contactId), Keys.CONTACT)
        .map(item -> toContact(Items.CONTACT.mapToItem(item)));
  }

  @Override
  public UpsertSnapshot readForUpsert(
      String workspaceId, Identifier phone, Identifier email, Collection<String> tags) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    keys.add(key(Keys.workspace(workspaceId), Keys.WORKSPACE));
    if (phone != null) {
      keys.add(key(Keys.identifier(workspaceId, phone), Keys.IDENTIFIER));
    }
    if (email != null) {
      keys.add(key(Keys.identifier(workspaceId, email), Keys.IDENTIFIER));
    }
    for (String tag : tags) {
      keys.add(key(Keys.tag(workspaceId, tag), Keys.TAG));
    }
    Map<String, Map<String, AttributeValue>> found = batchGet(keys);

    Optional<Workspace> workspace =
        Optional.ofNullable(found.get(Keys.workspace(workspaceId)))
            .map(item -> toWorkspace(Items.WORKSPACE.mapToItem(item)));
    Set<String> registered = new HashSet<>();
    for (String tag : tags) {
      if (found.containsKey(Keys.tag(workspaceId, tag))) {
        registered.add(tag);
      }
    }
    return new UpsertSnapshot(
        workspace,
        ownerOf(found, workspaceId, phone),
        ownerOf(found, workspaceId, email),
        registered);
  }

  @Override
  public void write(ContactWrite write) {
    Contact contact = write.contact();
    String workspaceId = contact.workspaceId();
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(contactPut(write));
    for (Identifier claimed : write.claims()) {
      IdentifierItem item = new IdentifierItem();
      item.pk = Keys.identifier(workspaceId, claimed);
      item.sk = Keys.IDENTIFIER;
      item.workspaceId = workspaceId;
      item.contactId = contact.id();
      items.add(put(Items.IDENTIFIER.itemToMap(item, true), NOT_EXISTS, null));
    }
    for (Identifier released : write.releases()) {
      items.add(
          TransactWriteItem.builder()
              .delete(
                  Delete.builder()
                      .tableName(table)
                      .key(key(Keys.identifier(workspaceId, released), Keys.IDENTIFIER))
                      .conditionExpression("contactId = :contactId")
                      .expressionAttributeValues(Map.of(":contactId", s(contact.id())))
                      .build())
              .build());
    }
    List<TransactWriteItem> tagPuts = new ArrayList<>();
    for (String tag : write.tagsToRegister()) {
      TagItem item = new TagItem();
      item.pk = Keys.tag(workspaceId, tag);
      item.sk = Keys.TAG;
      item.workspaceId = workspaceId;
      item.tag = tag;
      item.createdAt = write.at().toString();
      tagPuts.add(put(Items.TAG.itemToMap(item, true), NOT_EXISTS, null));
    }
    int room = MAX_TRANSACTION_ITEMS - items.size();
    if (tagPuts.size() > room) {
      // Only a request with ~100 tags the workspace has never seen gets here: register the
      // overflow first (idempotently); a tag existing in the workspace with no contact is harmless.
      registerTags(workspaceId, write.tagsToRegister(), write.at());
      tagPuts.clear();
    }
    items.addAll(tagPuts);
    // The list indexes' tag memberships (ListIndexKeys), in this transaction while there is room.
    ListIndexKeys.Memberships memberships =
        ListIndexKeys.memberships(table, write, MAX_TRANSACTION_ITEMS - items.size());
    items.addAll(memberships.inTransaction());
    if (items.size() == 1 && items.get(0).put() != null) {
      // Only the contact changes: one conditional PutItem is as atomic and bills half the
      // write units of a one-item transaction.
      putItem(items.get(0).put());
    } else {
      transact(items);
    }
    ListIndexKeys.writeOverflow(memberships, this::transact);
  }

  private void putItem(Put put) {
    try {
      dynamo.putItem(
          r ->
              r.tableName(put.tableName())
                  .item(put.item())
                  .conditionExpression(put.conditionExpression())
                  .expressionAttributeValues(
                      put.hasExpressionAttributeValues() ? put.expressionAttributeValues() : null)
                  .overrideConfiguration(callBudget()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  @Override
  public void primeWritePath(Contact contact) {
    Map<String, AttributeValue> item = Items.CONTACT.itemToMap(toItem(contact), true);
    toContact(Items.CONTACT.mapToItem(item));
    try {
      // The contact cannot exist, so the condition fails and DynamoDB cancels the transaction.
      transact(List.of(put(item, "attribute_exists(" + PK + ")", null)));
    } catch (RuntimeException expected) {
      // The cancellation, translated like any other: that path is primed too.
    }
    try {
      // An update of the contact alone, conditioned on a version no item of that key has.
      putItem(
          contactPut(
                  new ContactWrite(
                      contact,
                      contact.version(),
                      List.of(),
                      List.of(),
                      Set.of(),
                      contact.updatedAt()))
              .put());
    } catch (RuntimeException expected) {
      // ConditionalCheckFailed, translated to a lost race.
    }
    // The answers of a write that succeeds, which the two refused ones above never parse.
    TransactWriteItemsResponse.builder().build();
    PutItemResponse.builder().build();
  }

  private TransactWriteItem contactPut(ContactWrite write) {
    Map<String, AttributeValue> item = Items.CONTACT.itemToMap(toItem(write.contact()), true);
    ListIndexKeys.addTo(item, write.contact());
    // An active contact keeps room for the deletedAt its soft delete will add.
    long limit = MAX_ITEM_BYTES - (write.contact().isDeleted() ? 0 : DELETE_HEADROOM_BYTES);
    if (itemBytes(item) > limit) {
      throw new ContactStore.TooLarge("contact item over " + limit + " bytes");
    }
    if (write.expectedVersion() == null) {
      return put(item, NOT_EXISTS, null);
    }
    return put(
        item,
        "version = :expectedVersion",
        Map.of(":expectedVersion", AttributeValue.fromN(write.expectedVersion().toString())));
  }

  private void registerTags(String workspaceId, Set<String> tags, Instant at) {
    List<TransactWriteItem> batch = new ArrayList<>();
    for (String tag : tags) {
      batch.add(
          TransactWriteItem.builder()
              .update(
                  u ->
                      u.tableName(table)
                          .key(key(Keys.tag(workspaceId, tag), Keys.TAG))
                          .updateExpression(
                              "SET createdAt = if_not_exists(createdAt, :at), workspaceId = :ws,"
                                  + " tag = :tag")
                          .expressionAttributeValues(
                              Map.of(
                                  ":at", s(at.toString()), ":ws", s(workspaceId), ":tag", s(tag))))
              .build());
      if (batch.size() == MAX_TRANSACTION_ITEMS) {
        transact(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      transact(batch);
    }
  }

  private void transact(List<TransactWriteItem> items) {
    try {
      // The token makes the SDK's own retries of this call idempotent.
      dynamo.transactWriteItems(
          r ->
              r.transactItems(items)
                  .clientRequestToken(UUID.randomUUID().toString())
                  .overrideConfiguration(callBudget()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  private TransactWriteItem put(
      Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
    Put.Builder put = Put.builder().tableName(table).item(item).conditionExpression(condition);
    if (values != null) {
      put.expressionAttributeValues(values);
    }
    return TransactWriteItem.builder().put(put.build()).build();
  }

  private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
    try {
      GetItemResponse response =
          dynamo.getItem(
              r ->
                  r.tableName(table)
                      .key(key(pk, sk))
                      .consistentRead(true)
                      .overrideConfiguration(callBudget()));
      return response.hasItem() && !response.item().isEmpty()
          ? Optional.of(response.item())
          : Optional.empty();
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /** Items found, by partition key; unprocessed keys are asked for again until none are left. */
  private Map<String, Map<String, AttributeValue>> batchGet(
      List<Map<String, AttributeValue>> keys) {
    Map<String, Map<String, AttributeValue>> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += MAX_BATCH_GET_KEYS) {
      List<Map<String, AttributeValue>> pending =
          keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_GET_KEYS));
      int rounds = 0;
      while (!pending.isEmpty()) {
        if (++rounds > 5) {
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
          found.put(item.get(PK).s(), item);
        }
        KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
        pending = unprocessed == null ? List.of() : unprocessed.keys();
      }
    }
    return found;
  }

  private static String ownerOf(
      Map<String, Map<String, AttributeValue>> found, String workspaceId, Identifier identifier) {
    if (identifier == null) {
      return null;
    }
    Map<String, AttributeValue> item = found.get(Keys.identifier(workspaceId, identifier));
    return item == null ? null : Items.IDENTIFIER.mapToItem(item).contactId;
  }

  /**
   * The size DynamoDB counts for an item, rounded up where its rules leave a range (the benchmark
   * computes request units with it too).
   */
  public static long itemBytes(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      size += utf8Bytes(attribute.getKey()) + valueBytes(attribute.getValue());
    }
    return size;
  }

  private static long valueBytes(AttributeValue value) {
    if (value.s() != null) {
      return utf8Bytes(value.s());
    }
    if (value.n() != null) {
      return 21; // 38 significant digits at most
    }
    long size = 3;
    if (value.hasL()) {
      for (AttributeValue element : value.l()) {
        size += 1 + valueBytes(element);
      }
      return size;
    }
    if (value.hasM()) {
      for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
        size += 1 + utf8Bytes(entry.getKey()) + valueBytes(entry.getValue());
      }
      return size;
    }
    return 1; // boolean or null
  }

  private static long utf8Bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, s(pk), SK, s(sk));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static ContactItem toItem(Contact contact) {
    ContactItem item = new ContactItem();
    item.pk = Keys.contact(contact.id());
    item.sk = Keys.CONTACT;
    item.id = contact.id();
    item.workspaceId = contact.workspaceId();
    item.accountId = contact.accountId();
    item.firstName = contact.firstName();
    item.lastName = contact.lastName();
    item.email = contact.email();
    item.phone = contact.phone();
    item.timezone = contact.timezone();
    item.tags = contact.tags();
    item.customFields = contact.customFieldValues();
    item.createdAt = contact.createdAt().toString();
    item.updatedAt = contact.updatedAt().toString();
    item.deletedAt = contact.deletedAt() == null ? null : contact.deletedAt().toString();
    item.version = contact.version();
    return item;
  }

  static Contact toContact(ContactItem item) {
    return new Contact(
        item.id,
        item.workspaceId,
        item.accountId,
        item.firstName,
        item.lastName,
        item.email,
        item.phone,
        item.timezone,
        item.tags == null ? List.of() : item.tags,
        item.customFields == null ? Map.of() : item.customFields,
        Instant.parse(item.createdAt),
        Instant.parse(item.updatedAt),
        item.deletedAt == null ? null : Instant.parse(item.deletedAt),
        item.version == null ? 0 : item.version);
  }

  static Workspace toWorkspace(WorkspaceItem item) {
    List<CustomFieldDefinition> fields = new ArrayList<>();
    if (item.customFields != null) {
      item.customFields.forEach((id, name) -> fields.add(new CustomFieldDefinition(id, name)));
    }
    return new Workspace(item.id, item.accountId, item.name, item.defaultTimezone, fields);
  }
}
