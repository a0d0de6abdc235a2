package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.ServiceContract.ListIndexes;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ListPosition;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the list route's two indexes (SPEC 9, {@link ListIndexes}) need from every contact write, in
 * one place: the contact item's index keys, and one membership item per tag in the contact's own
 * partition ({@code CONTACT#<id>}, {@code TAG#<tag>}), rewritten with the contact so a tag listing
 * keeps the order (updatedAt, id). Reads never trust these alone: every page re-reads the contacts
 * and keeps only those whose current position is the entry's.
 */
final class ListIndexKeys {

  /** Sort key prefix of a membership item in its contact's partition. */
  static final String MEMBERSHIP_PREFIX = "TAG#";

  private static final Logger LOG = LoggerFactory.getLogger(ListIndexKeys.class);
  private static final String PK = ServiceContract.PARTITION_KEY;
  private static final String SK = ServiceContract.SORT_KEY;

  /** Fixed width, so that string order is time order ({@code Instant.toString} drops ".000"). */
  private static final DateTimeFormatter FIXED_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Sorts after every character of a UUID: "after every id at this instant". */
  private static final String AFTER_EVERY_ID = "~";

  private ListIndexKeys() {}

  /** Adds the index keys to a contact item: the workspace index only while it is active. */
  static void addTo(Map<String, AttributeValue> contactItem, Contact contact) {
    contactItem.put(ListIndexes.SORT, AttributeValue.fromS(sortKey(contact)));
    if (!contact.isDeleted()) {
      contactItem.put(
          ListIndexes.WORKSPACE_PARTITION,
          AttributeValue.fromS(workspacePartition(contact.workspaceId())));
    }
  }

  static String workspacePartition(String workspaceId) {
    return "WS#" + workspaceId;
  }

  static String tagPartition(String workspaceId, String tag) {
    return Keys.tag(workspaceId, tag);
  }

  static String sortKey(Contact contact) {
    return sortKey(ListPosition.of(contact));
  }

  /** The sort key of {@code position}; for a position without id, one after every id there. */
  static String sortKey(ListPosition position) {
    return FIXED_MILLIS.format(position.updatedAt())
        + "#"
        + (position.id() == null ? AFTER_EVERY_ID : position.id());
  }

  /** The position an index entry's sort key names. */
  static ListPosition position(String sortKey) {
    int hash = sortKey.indexOf('#');
    return new ListPosition(
        Instant.from(FIXED_MILLIS.parse(sortKey.substring(0, hash))), sortKey.substring(hash + 1));
  }

  /**
   * The membership writes of {@code write}: puts for every tag of an active contact (each carries
   * the contact's new sort key), deletes for every tag of a deleted contact and for the tags the
   * write removed. The first {@code room} go into the contact's transaction.
   *
   * <p>The rest (only a contact with close to 100 tags or more) follow the transaction, in
   * transactions of their own that each first check the contact is still at the version just
   * written: a later write of the contact rewrites every membership itself, so an older write's
   * overflow arriving after it must not land. Until they land the contact is missing from those
   * tags' listings (never shown wrongly: reads verify).
   */
  static Memberships memberships(String table, ContactWrite write, int room) {
    Contact contact = write.contact();
    List<TransactWriteItem> writes = new ArrayList<>();
    Set<String> removed = new LinkedHashSet<>(write.tagsRemoved());
    if (contact.isDeleted()) {
      removed.addAll(contact.tags());
    } else {
      String sortKey = sortKey(contact);
      for (String tag : contact.tags()) {
        removed.remove(tag);
        writes.add(
            TransactWriteItem.builder()
                .put(
                    Put.builder()
                        .tableName(table)
                        .item(membershipItem(contact, tag, sortKey))
                        .build())
                .build());
      }
    }
    for (String tag : removed) {
      writes.add(
          TransactWriteItem.builder()
              .delete(Delete.builder().tableName(table).key(membershipKey(contact, tag)).build())
              .build());
    }
    int inTransaction = Math.max(0, Math.min(room, writes.size()));
    List<List<TransactWriteItem>> overflow = new ArrayList<>();
    List<TransactWriteItem> rest = writes.subList(inTransaction, writes.size());
    int perTransaction = DynamoContactStore.MAX_TRANSACTION_ITEMS - 1;
    for (int from = 0; from < rest.size(); from += perTransaction) {
      List<TransactWriteItem> batch = new ArrayList<>();
      batch.add(stillAtVersion(table, contact));
      batch.addAll(rest.subList(from, Math.min(rest.size(), from + perTransaction)));
      overflow.add(batch);
    }
    return new Memberships(List.copyOf(writes.subList(0, inTransaction)), overflow);
  }

  /**
   * Membership writes of one contact write: those inside its transaction, then the overflow
   * transactions to run after it (each guarded by the contact's version).
   */
  record Memberships(
      List<TransactWriteItem> inTransaction, List<List<TransactWriteItem>> overflowTransactions) {}

  /**
   * Runs the overflow transactions of a write that has just succeeded. The contact is written
   * whatever happens here: a lost guard means a later write owns the memberships, and a failure is
   * logged, not thrown, since a retry of the whole request would find nothing left to write.
   */
  static void writeOverflow(Memberships memberships, Consumer<List<TransactWriteItem>> transact) {
    for (List<TransactWriteItem> batch : memberships.overflowTransactions()) {
      try {
        transact.accept(batch);
      } catch (ContactStore.Conflict newerWrite) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("Tag memberships beyond the contact's transaction were not written", e);
        return;
      }
    }
  }

  static Map<String, AttributeValue> membershipKey(Contact contact, String tag) {
    return DynamoContactStore.key(Keys.contact(contact.id()), MEMBERSHIP_PREFIX + tag);
  }

  private static Map<String, AttributeValue> membershipItem(
      Contact contact, String tag, String sortKey) {
    return Map.of(
        PK,
        AttributeValue.fromS(Keys.contact(contact.id())),
        SK,
        AttributeValue.fromS(MEMBERSHIP_PREFIX + tag),
        "workspaceId",
        AttributeValue.fromS(contact.workspaceId()),
        "contactId",
        AttributeValue.fromS(contact.id()),
        "tag",
        AttributeValue.fromS(tag),
        ListIndexes.TAG_PARTITION,
        AttributeValue.fromS(tagPartition(contact.workspaceId(), tag)),
        ListIndexes.SORT,
        AttributeValue.fromS(sortKey));
  }

  private static TransactWriteItem stillAtVersion(String table, Contact contact) {
    return TransactWriteItem.builder()
        .conditionCheck(
            ConditionCheck.builder()
                .tableName(table)
                .key(DynamoContactStore.key(Keys.contact(contact.id()), Keys.CONTACT))
                .conditionExpression("version = :written")
                .expressionAttributeValues(
                    Map.of(":written", AttributeValue.fromN(Long.toString(contact.version()))))
                .build())
        .build();
  }
}
