package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.Identifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The items of one contact write, with their conditions: the contact's put first (so its
 * cancellation reason is the first), then the request's idempotency record if it has one, a put per
 * claimed identifier, a delete per released one a put per tag new to the workspace, then the
 * contact's tag memberships while there is room ({@link MembershipItem}: a put per tag of an active
 * contact, a delete per tag it lost or of a deleted contact). Uniqueness of phones and emails rests
 * on the claims' {@code attribute_not_exists}, lost updates on the contact's version condition.
 */
final class ContactTransaction {

  /** DynamoDB's limit on the items of one TransactWriteItems. */
  static final int MAX_TRANSACTION_ITEMS = 100;

  private final Map<String, AttributeValue> contactItem;
  private final List<TransactWriteItem> items;
  private final Set<String> tagsRegisteredApart;
  private final List<TransactWriteItem> membershipsApart;

  private ContactTransaction(
      Map<String, AttributeValue> contactItem,
      List<TransactWriteItem> items,
      Set<String> tagsRegisteredApart,
      List<TransactWriteItem> membershipsApart) {
    this.contactItem = contactItem;
    this.items = List.copyOf(items);
    this.tagsRegisteredApart = tagsRegisteredApart;
    this.membershipsApart = List.copyOf(membershipsApart);
  }

  /**
   * @throws ContactStore.TooLarge when the contact item would exceed what DynamoDB keeps
   */
  static ContactTransaction of(String table, ContactWrite write) {
    String workspaceId = write.contact().workspaceId();
    String contactId = write.contact().id();
    Map<String, AttributeValue> contactItem =
        ContactItem.SCHEMA.itemToMap(ContactItem.of(write.contact()), true);
    long limit = ItemSize.contactLimit(write.contact().isDeleted());
    if (ItemSize.bytes(contactItem) > limit) {
      throw new ContactStore.TooLarge("contact item over " + limit + " bytes");
    }
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(contactPut(table, contactItem, write.expectedVersion()));
    if (write.idempotencyRecord() != null) {
      // The request's answer, committed with its effect or not at all (SPEC 11); its condition
      // cancels the transaction when a duplicate of the request recorded first.
      items.add(DynamoIdempotencyRecords.transactPut(table, write.idempotencyRecord(), write.at()));
    }
    for (Identifier claimed : write.claims()) {
      Map<String, AttributeValue> claim =
          IdentifierItem.SCHEMA.itemToMap(
              IdentifierItem.claim(workspaceId, claimed, contactId), true);
      items.add(
          put(Put.builder().tableName(table).item(claim).conditionExpression(Keys.notExists())));
    }
    for (Identifier released : write.releases()) {
      items.add(
          TransactWriteItem.builder()
              .delete(
                  Delete.builder()
                      .tableName(table)
                      .key(Keys.identifierKey(workspaceId, released))
                      .conditionExpression(IdentifierItem.CONTACT_ID + " = :contactId")
                      .expressionAttributeValues(
                          Map.of(":contactId", AttributeValue.fromS(contactId)))
                      .build())
              .build());
    }
    Set<String> tags = write.tagsToRegister();
    Set<String> tagsApart = Set.of();
    if (tags.size() > MAX_TRANSACTION_ITEMS - items.size()) {
      // Only a request with ~100 tags the workspace has never seen gets here: they are registered
      // before the transaction (idempotently); a tag existing in the workspace with no contact is
      // harmless.
      tagsApart = tags;
      tags = Set.of();
    }
    for (String tag : tags) {
      Map<String, AttributeValue> registration =
          TagItem.SCHEMA.itemToMap(TagItem.registration(workspaceId, tag, write.at()), true);
      items.add(
          put(
              Put.builder()
                  .tableName(table)
                  .item(registration)
                  .conditionExpression(Keys.notExists())));
    }
    // Memberships beyond the room (a contact with close to 100 tags) follow the transaction.
    List<TransactWriteItem> memberships = memberships(table, write);
    int room = Math.min(memberships.size(), MAX_TRANSACTION_ITEMS - items.size());
    items.addAll(memberships.subList(0, room));
    return new ContactTransaction(
        contactItem, items, tagsApart, memberships.subList(room, memberships.size()));
  }

  /**
   * The membership writes of {@code write}: a put for every tag of an active contact (each with the
   * contact's new position), a delete for every tag of a deleted contact and for each tag the write
   * took off. Unconditional: the contact's own condition orders them.
   */
  private static List<TransactWriteItem> memberships(String table, ContactWrite write) {
    Contact contact = write.contact();
    List<TransactWriteItem> writes = new ArrayList<>();
    Set<String> removed = new LinkedHashSet<>(write.tagsRemoved());
    if (contact.isDeleted()) {
      removed.addAll(contact.tags());
    } else {
      for (String tag : contact.tags()) {
        removed.remove(tag);
        Map<String, AttributeValue> membership =
            MembershipItem.SCHEMA.itemToMap(MembershipItem.of(contact, tag), true);
        writes.add(put(Put.builder().tableName(table).item(membership)));
      }
    }
    for (String tag : removed) {
      writes.add(
          TransactWriteItem.builder()
              .delete(
                  Delete.builder()
                      .tableName(table)
                      .key(Keys.membershipKey(contact.id(), tag))
                      .build())
              .build());
    }
    return writes;
  }

  /**
   * The contact's put: a create only while no contact has the id, an update only while the contact
   * is at the expected version. On a failed condition DynamoDB returns the item it found, which
   * tells an earlier attempt of this write from another request's.
   */
  private static TransactWriteItem contactPut(
      String table, Map<String, AttributeValue> contactItem, Long expectedVersion) {
    Put.Builder put =
        Put.builder()
            .tableName(table)
            .item(contactItem)
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    if (expectedVersion == null) {
      put.conditionExpression(Keys.notExists());
    } else {
      put.conditionExpression(ContactItem.VERSION + " = :expectedVersion")
          .expressionAttributeValues(
              Map.of(":expectedVersion", AttributeValue.fromN(expectedVersion.toString())));
    }
    return put(put);
  }

  private static TransactWriteItem put(Put.Builder put) {
    return TransactWriteItem.builder().put(put.build()).build();
  }

  /** The contact item as this write stores it. */
  Map<String, AttributeValue> contactItem() {
    return contactItem;
  }

  /** Every item, the contact's put first. */
  List<TransactWriteItem> items() {
    return items;
  }

  /**
   * Whether only the contact changes (no claim, release, tag or idempotency record): then one
   * conditional PutItem does as well.
   */
  boolean contactAlone() {
    return items.size() == 1;
  }

  Put contactPut() {
    return items.get(0).put();
  }

  /**
   * Membership writes too many for the transaction, to write after it ({@link
   * TagOverflow#memberships}).
   */
  List<TransactWriteItem> membershipsApart() {
    return membershipsApart;
  }

  /** Tags too many for the transaction, to register before it. */
  Set<String> tagsRegisteredApart() {
    return tagsRegisteredApart;
  }
}
