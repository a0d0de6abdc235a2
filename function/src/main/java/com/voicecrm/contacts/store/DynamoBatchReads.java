package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.BatchReads;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.Idempotency;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.Workspace;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A batch's reads on the contacts table: every key of every item, each key once, in consistent
 * {@code BatchGetItem}s of at most 100 keys ({@link ItemReads}). A batch of 100 new contacts with a
 * phone and an email each is 201 keys (the workspace included, plus its tags): three calls; the
 * contacts matched are a second read of the same kind.
 */
public final class DynamoBatchReads implements BatchReads {

  private final DynamoDbClient dynamo;
  private final String table;
  private final CallBudget budget;
  private final ItemReads reads;

  public DynamoBatchReads(DynamoDbClient dynamo, String table) {
    this(dynamo, table, CallBudget.NONE);
  }

  private DynamoBatchReads(DynamoDbClient dynamo, String table, CallBudget budget) {
    this.dynamo = dynamo;
    this.table = table;
    this.budget = budget;
    this.reads = new ItemReads(dynamo, table, budget);
  }

  @Override
  public BatchReads within(Deadline deadline) {
    return new DynamoBatchReads(dynamo, table, CallBudget.of(deadline));
  }

  @Override
  public Claims readClaims(
      String workspaceId, Collection<Identifier> identifiers, Collection<String> tags) {
    // Each key once: DynamoDB refuses a BatchGetItem naming one key twice.
    Map<String, Map<String, AttributeValue>> keys = new LinkedHashMap<>();
    keys.put(Keys.workspace(workspaceId), Keys.workspaceKey(workspaceId));
    for (Identifier identifier : identifiers) {
      keys.putIfAbsent(
          Keys.identifier(workspaceId, identifier), Keys.identifierKey(workspaceId, identifier));
    }
    for (String tag : tags) {
      keys.putIfAbsent(Keys.tag(workspaceId, tag), Keys.tagKey(workspaceId, tag));
    }
    Map<String, Map<String, AttributeValue>> found = reads.batchGet(List.copyOf(keys.values()));

    Optional<Workspace> workspace =
        Optional.ofNullable(found.get(Keys.workspace(workspaceId)))
            .map(item -> WorkspaceItem.SCHEMA.mapToItem(item).toWorkspace());
    Map<Identifier, String> owners = new HashMap<>();
    for (Identifier identifier : identifiers) {
      Map<String, AttributeValue> item = found.get(Keys.identifier(workspaceId, identifier));
      if (item != null) {
        owners.put(identifier, IdentifierItem.SCHEMA.mapToItem(item).contactId());
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
      keys.putIfAbsent(id, Keys.contactKey(id));
    }
    Map<String, Contact> contacts = new HashMap<>();
    for (Map<String, AttributeValue> item : reads.batchGet(List.copyOf(keys.values())).values()) {
      Contact contact = ContactItem.SCHEMA.mapToItem(item).toContact();
      contacts.put(contact.id(), contact);
    }
    return contacts;
  }

  @Override
  public Map<Idempotency.RecordId, Idempotency.Record> readRecords(
      Collection<Idempotency.RecordId> ids) {
    Map<String, Map<String, AttributeValue>> keys = new LinkedHashMap<>();
    for (Idempotency.RecordId id : ids) {
      keys.putIfAbsent(DynamoIdempotencyRecords.partitionKey(id), DynamoIdempotencyRecords.key(id));
    }
    Map<String, Map<String, AttributeValue>> found = reads.batchGet(List.copyOf(keys.values()));
    Map<Idempotency.RecordId, Idempotency.Record> records = new HashMap<>();
    for (Idempotency.RecordId id : ids) {
      Map<String, AttributeValue> item = found.get(DynamoIdempotencyRecords.partitionKey(id));
      if (item != null) {
        records.put(id, DynamoIdempotencyRecords.fromItem(item));
      }
    }
    return records;
  }

  @Override
  public void registerTags(String workspaceId, Collection<String> tags, Instant at) {
    // The same registrations as a contact write's overflow: an existing tag keeps its time, so
    // racing registrations of one tag never conflict.
    for (List<TransactWriteItem> registrations :
        TagOverflow.transactions(table, workspaceId, new LinkedHashSet<>(tags), at)) {
      try {
        dynamo.transactWriteItems(
            r ->
                r.transactItems(registrations)
                    .clientRequestToken(UUID.randomUUID().toString())
                    .overrideConfiguration(budget.next()));
      } catch (SdkException e) {
        throw StoreErrors.translate(e);
      }
    }
  }
}
