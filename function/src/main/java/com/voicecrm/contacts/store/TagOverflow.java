package com.voicecrm.contacts.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Registrations of tags too many to share the contact's transaction, as unconditional updates in
 * transactions of their own: repeating one changes nothing, and a registration whose contact write
 * then fails is harmless (the tag exists in the workspace with no contact).
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
