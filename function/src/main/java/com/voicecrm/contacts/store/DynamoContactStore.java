package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.Idempotency;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.Workspace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The contact store on one DynamoDB table: consistent reads ({@link ItemReads}), writes of a
 * contact with its claims, releases and tags ({@link ContactTransaction}, executed by {@link
 * ContactWriter}), items mapped by their static schemas.
 */
public final class DynamoContactStore implements ContactStore {

  private final DynamoDbClient dynamo;
  private final String table;
  private final CallBudget budget;
  private final ItemReads reads;
  private final ContactWriter writer;
  private final DynamoIdempotencyRecords records;

  public DynamoContactStore(DynamoDbClient dynamo, String table) {
    this(dynamo, table, CallBudget.NONE);
  }

  private DynamoContactStore(DynamoDbClient dynamo, String table, CallBudget budget) {
    this(dynamo, table, budget, budget);
  }

  /**
   * @param commitBudget the budget of the calls up to the contact's commit (the write's commit
   *     window); {@code budget} bounds every other call, tag memberships written after it included
   */
  private DynamoContactStore(
      DynamoDbClient dynamo, String table, CallBudget budget, CallBudget commitBudget) {
    this.dynamo = dynamo;
    this.table = table;
    this.budget = budget;
    this.reads = new ItemReads(dynamo, table, budget);
    this.writer = new ContactWriter(dynamo, table, budget, commitBudget);
    this.records = new DynamoIdempotencyRecords(dynamo, table, budget);
  }

  @Override
  public ContactStore within(Deadline deadline) {
    return new DynamoContactStore(dynamo, table, CallBudget.of(deadline));
  }

  @Override
  public ContactStore committingBy(Deadline commitBy) {
    return new DynamoContactStore(dynamo, table, budget, budget.endingBy(commitBy));
  }

  @Override
  public Optional<Workspace> findWorkspace(String workspaceId) {
    return WorkspaceItem.find(reads, workspaceId);
  }

  @Override
  public Optional<Contact> findContact(String contactId) {
    return reads
        .get(Keys.contactKey(contactId))
        .map(item -> ContactItem.SCHEMA.mapToItem(item).toContact());
  }

  @Override
  public UpsertSnapshot readForUpsert(
      String workspaceId, Identifier phone, Identifier email, Collection<String> tags) {
    return readForUpsert(workspaceId, phone, email, tags, null);
  }

  @Override
  public UpsertSnapshot readForUpsert(
      String workspaceId,
      Identifier phone,
      Identifier email,
      Collection<String> tags,
      Idempotency.RecordId record) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    keys.add(Keys.workspaceKey(workspaceId));
    if (phone != null) {
      keys.add(Keys.identifierKey(workspaceId, phone));
    }
    if (email != null) {
      keys.add(Keys.identifierKey(workspaceId, email));
    }
    for (String tag : tags) {
      keys.add(Keys.tagKey(workspaceId, tag));
    }
    if (record != null) {
      // The request's idempotency record rides in the same round trip.
      keys.add(Keys.idempotencyKey(record));
    }
    Map<String, Map<String, AttributeValue>> found = reads.batchGet(keys);

    Optional<Workspace> workspace =
        Optional.ofNullable(found.get(Keys.workspace(workspaceId)))
            .map(DynamoContactStore::workspace);
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
        registered,
        record == null
            ? Optional.empty()
            : Optional.ofNullable(found.get(Keys.idempotency(record)))
                .map(DynamoIdempotencyRecords::fromItem));
  }

  @Override
  public Optional<Idempotency.Record> find(Idempotency.RecordId record) {
    return records.find(record);
  }

  @Override
  public void record(Idempotency.Record record, Instant now) {
    records.record(record, now);
  }

  @Override
  public WriteResult write(ContactWrite write) {
    return writer.write(write);
  }

  @Override
  public void primeWritePath(Contact contact) {
    primeSchemas(contact);
    writer.prime(contact);
  }

  /**
   * Every schema the request path maps, both ways, so their converters are loaded and linked before
   * the snapshot (the priming requests never find an item to read).
   */
  private static void primeSchemas(Contact contact) {
    ContactItem.SCHEMA
        .mapToItem(ContactItem.SCHEMA.itemToMap(ContactItem.of(contact), true))
        .toContact();
    String workspaceId = contact.workspaceId();
    IdentifierItem.SCHEMA.mapToItem(
        IdentifierItem.SCHEMA.itemToMap(
            IdentifierItem.claim(workspaceId, Identifier.phone(contact.phone()), contact.id()),
            true));
    TagItem.SCHEMA.mapToItem(
        TagItem.SCHEMA.itemToMap(
            TagItem.registration(workspaceId, "priming", Instant.EPOCH), true));
    workspace(
        WorkspaceItem.SCHEMA.itemToMap(
            WorkspaceItem.of(
                workspaceId,
                contact.accountId(),
                "priming",
                contact.timezone(),
                contact.customFieldValues()),
            true));
    // A request with an Idempotency-Key maps its record too (numbers besides text).
    DynamoIdempotencyRecords.fromItem(
        DynamoIdempotencyRecords.toItem(
            new Idempotency.Claim(
                    new Idempotency.RecordId("priming", contact.id(), 0), contact.id())
                .recording(
                    new Idempotency.Answer(200, "application/json", "{}", null, "\"0\""),
                    contact.id(),
                    Instant.EPOCH)));
  }

  private static Workspace workspace(Map<String, AttributeValue> item) {
    return WorkspaceItem.SCHEMA.mapToItem(item).toWorkspace();
  }

  private static String ownerOf(
      Map<String, Map<String, AttributeValue>> found, String workspaceId, Identifier identifier) {
    if (identifier == null) {
      return null;
    }
    Map<String, AttributeValue> item = found.get(Keys.identifier(workspaceId, identifier));
    return item == null ? null : IdentifierItem.SCHEMA.mapToItem(item).contactId();
  }
}
