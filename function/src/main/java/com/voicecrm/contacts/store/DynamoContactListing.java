package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract.ListIndexes;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactListingStore;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.ListPosition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The list route's reads on the table: one {@code Query} of a list index (KEYS_ONLY, so an entry
 * costs a few dozen bytes), one consistent {@code BatchGetItem} of the contacts it names ({@link
 * ItemReads}), and for the phone and email filters a consistent {@code GetItem} of the claim and
 * then of the contact.
 */
public final class DynamoContactListing implements ContactListingStore {

  private final DynamoDbClient dynamo;
  private final String table;
  private final CallBudget budget;
  private final ItemReads reads;

  public DynamoContactListing(DynamoDbClient dynamo, String table) {
    this(dynamo, table, CallBudget.NONE);
  }

  private DynamoContactListing(DynamoDbClient dynamo, String table, CallBudget budget) {
    this.dynamo = dynamo;
    this.table = table;
    this.budget = budget;
    this.reads = new ItemReads(dynamo, table, budget);
  }

  @Override
  public ContactListingStore within(Deadline deadline) {
    return new DynamoContactListing(dynamo, table, CallBudget.of(deadline));
  }

  @Override
  public IndexEntries entriesAfter(String workspaceId, String tag, ListPosition after, int max) {
    boolean byTag = tag != null;
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    names.put("#partition", byTag ? Keys.TAG_LIST_PK : Keys.LIST_PK);
    values.put(
        ":partition",
        AttributeValue.fromS(
            byTag
                ? ListIndexKeys.tagPartition(workspaceId, tag)
                : ListIndexKeys.workspacePartition(workspaceId)));
    String condition = "#partition = :partition";
    if (after != null) {
      names.put("#sort", Keys.LIST_SK);
      values.put(":after", AttributeValue.fromS(ListIndexKeys.sortKey(after)));
      condition += " AND #sort > :after";
    }
    String keyCondition = condition;
    QueryResponse response;
    try {
      response =
          dynamo.query(
              r ->
                  r.tableName(table)
                      .indexName(byTag ? ListIndexes.TAG_INDEX : ListIndexes.WORKSPACE_INDEX)
                      .keyConditionExpression(keyCondition)
                      .expressionAttributeNames(names)
                      .expressionAttributeValues(values)
                      .limit(max)
                      .overrideConfiguration(budget.next()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
    List<ListPosition> positions = new ArrayList<>(response.count());
    for (Map<String, AttributeValue> entry : response.items()) {
      positions.add(ListIndexKeys.position(entry.get(Keys.LIST_SK).s()));
    }
    // DynamoDB stops at the limit with a LastEvaluatedKey even when nothing follows; the domain
    // asks for one entry more than it needs, so only a 1 MB cut makes this matter.
    boolean more = response.hasLastEvaluatedKey() && positions.size() < max;
    return new IndexEntries(positions, more);
  }

  @Override
  public Map<String, Contact> contacts(Collection<String> ids) {
    List<Map<String, AttributeValue>> keys = ids.stream().map(Keys::contactKey).toList();
    Map<String, Contact> found = new HashMap<>();
    for (Map<String, AttributeValue> item : reads.batchGet(keys).values()) {
      Contact contact = ContactItem.SCHEMA.mapToItem(item).toContact();
      found.put(contact.id(), contact);
    }
    return found;
  }

  @Override
  public Optional<Contact> holderOf(String workspaceId, Identifier identifier) {
    return reads
        .get(Keys.identifierKey(workspaceId, identifier))
        .map(claim -> IdentifierItem.SCHEMA.mapToItem(claim).contactId())
        .flatMap(contactId -> reads.get(Keys.contactKey(contactId)))
        .map(item -> ContactItem.SCHEMA.mapToItem(item).toContact());
  }
}
