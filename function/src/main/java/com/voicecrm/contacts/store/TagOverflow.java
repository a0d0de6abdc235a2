package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Contact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Writes too many to share the contact's transaction, in transactions of their own. Tag
 * registrations go before it, as unconditional updates: repeating one changes nothing, and a
 * registration whose contact write then fails is harmless (the tag exists in the workspace with no
 * contact). Tag memberships follow it, each transaction guarded by the version just written.
 */
final class TagOverflow {

  private TagOverflow() {}

  /** The transactions registering {@code tags}, each of at most 100 items. */
  static List<List<TransactWriteItem>> transactions(
      String table, String workspaceId, Set<String> tags, Instant at) {
    List<List<TransactWriteItem>> transactions = new ArrayList<>();
    List<TransactWriteItem> batch = new ArrayList<>();
    for (String tag : tags) {
      batch.add(registration(table, workspaceId, tag, at));
      if (batch.size() == ContactTransaction.MAX_TRANSACTION_ITEMS) {
        transactions.add(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      transactions.add(batch);
    }
    return transactions;
  }

  /**
   * The transactions writing {@code memberships} after {@code contact}'s write, each first checking
   * the contact is still at the version written: a later write rewrites every membership itself, so
   * an older write's overflow arriving after it must not land. Until they land the contact is
   * missing from those tags' listings (never shown wrongly: reads verify).
   */
  static List<List<TransactWriteItem>> memberships(
      String table, Contact contact, List<TransactWriteItem> memberships) {
    List<List<TransactWriteItem>> transactions = new ArrayList<>();
    int perTransaction = ContactTransaction.MAX_TRANSACTION_ITEMS - 1;
    for (int from = 0; from < memberships.size(); from += perTransaction) {
      List<TransactWriteItem> batch = new ArrayList<>();
      batch.add(stillAtVersion(table, contact));
      batch.addAll(memberships.subList(from, Math.min(memberships.size(), from + perTransaction)));
      transactions.add(batch);
    }
    return transactions;
  }

  private static TransactWriteItem stillAtVersion(String table, Contact contact) {
    return TransactWriteItem.builder()
        .conditionCheck(
            c ->
                c.tableName(table)
                    .key(Keys.contactKey(contact.id()))
                    .conditionExpression(ContactItem.VERSION + " = :written")
                    .expressionAttributeValues(
                        Map.of(":written", AttributeValue.fromN(Long.toString(contact.version())))))
        .build();
  }

  /** The attributes of a {@link TagItem}, its first registration time kept. */
  private static TransactWriteItem registration(
      String table, String workspaceId, String tag, Instant at) {
    return TransactWriteItem.builder()
        .update(
            u ->
                u.tableName(table)
                    .key(Keys.tagKey(workspaceId, tag))
                    .updateExpression(
                        "SET #createdAt = if_not_exists(#createdAt, :at), #ws = :ws, #tag = :tag")
                    .expressionAttributeNames(
                        Map.of(
                            "#createdAt",
                            TagItem.CREATED_AT,
                            "#ws",
                            TagItem.WORKSPACE_ID,
                            "#tag",
                            TagItem.TAG))
                    .expressionAttributeValues(
                        Map.of(
                            ":at",
                            AttributeValue.fromS(at.toString()),
                            ":ws",
                            AttributeValue.fromS(workspaceId),
                            ":tag",
                            AttributeValue.fromS(tag))))
        .build();
  }
}
