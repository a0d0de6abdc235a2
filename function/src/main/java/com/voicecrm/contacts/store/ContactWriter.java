package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ContactStore.WriteResult;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * Executes a contact write: one conditional PutItem when only the contact changes (as atomic, and
 * half the write units of a one-item transaction), else one TransactWriteItems. A refusal is read
 * for whose state it found: this write's own (an earlier attempt applied, its answer lost) or
 * another request's.
 */
final class ContactWriter {

  private static final Logger LOG = LoggerFactory.getLogger(ContactWriter.class);

  private final DynamoDbClient dynamo;
  private final String table;
  private final CallBudget budget;
  private final CallBudget commitBudget;

  /**
   * @param commitBudget bounds the calls up to and including the contact's own write, which must
   *     commit within the write's commit window (its index entries sort at its stamp); {@code
   *     budget} the memberships written after it
   */
  ContactWriter(DynamoDbClient dynamo, String table, CallBudget budget, CallBudget commitBudget) {
    this.dynamo = dynamo;
    this.table = table;
    this.budget = budget;
    this.commitBudget = commitBudget;
  }

  WriteResult write(ContactWrite write) {
    ContactTransaction transaction = ContactTransaction.of(table, write);
    if (!transaction.tagsRegisteredApart().isEmpty()) {
      for (List<TransactWriteItem> registrations :
          TagOverflow.transactions(
              table,
              write.contact().workspaceId(),
              transaction.tagsRegisteredApart(),
              write.at())) {
        try {
          transact(registrations, commitBudget);
        } catch (SdkException e) {
          throw StoreErrors.translate(e);
        }
      }
    }
    WriteResult result;
    try {
      if (transaction.contactAlone()) {
        putItem(transaction.contactPut());
      } else {
        transact(transaction.items(), commitBudget);
      }
      result = WriteResult.WRITTEN;
    } catch (SdkException e) {
      if (!StoreErrors.foundOwnWrite(e, transaction.contactItem())) {
        throw StoreErrors.translate(e);
      }
      // Its overflow may not have landed with the earlier attempt: written again, guarded.
      result = WriteResult.ALREADY_WRITTEN;
    }
    writeMembershipsApart(write, transaction);
    return result;
  }

  /**
   * The memberships that did not fit the contact's transaction. The contact is written whatever
   * happens here: a lost guard means a later write owns the memberships, and a failure is logged,
   * not thrown, since a retry of the whole request would find nothing left to write.
   */
  private void writeMembershipsApart(ContactWrite write, ContactTransaction transaction) {
    for (List<TransactWriteItem> memberships :
        TagOverflow.memberships(table, write.contact(), transaction.membershipsApart())) {
      try {
        transact(memberships, budget);
      } catch (SdkException e) {
        if (!(StoreErrors.translate(e) instanceof ContactStore.Conflict)) {
          LOG.warn("Tag memberships beyond the contact's transaction were not written", e);
        }
        return; // a conflict: a newer write of the contact owns its memberships
      } catch (ContactStore.Unavailable noTimeLeft) {
        LOG.warn("Tag memberships beyond the contact's transaction were not written", noTimeLeft);
        return;
      }
    }
  }

  /**
   * Before a SnapStart snapshot: the transaction and the conditional put of an update of {@code
   * contact}, which DynamoDB refuses (no contact has its id), each refusal read for the item it
   * found and translated, and the answers of writes that succeed. Writes nothing.
   */
  void prime(Contact contact) {
    ContactWrite update =
        new ContactWrite(
            contact, contact.version(), List.of(), List.of(), Set.of(), contact.updatedAt());
    ContactTransaction transaction = ContactTransaction.of(table, update);
    try {
      transact(transaction.items(), budget);
    } catch (SdkException expected) {
      StoreErrors.foundOwnWrite(expected, transaction.contactItem());
      StoreErrors.translate(expected);
    }
    try {
      putItem(transaction.contactPut());
    } catch (SdkException expected) {
      StoreErrors.foundOwnWrite(expected, transaction.contactItem());
      StoreErrors.translate(expected);
    }
    TransactWriteItemsResponse.builder().build();
    PutItemResponse.builder().build();
    WriteResult.values();
  }

  private void putItem(Put put) {
    dynamo.putItem(
        r ->
            r.tableName(put.tableName())
                .item(put.item())
                .conditionExpression(put.conditionExpression())
                .expressionAttributeValues(
                    put.hasExpressionAttributeValues() ? put.expressionAttributeValues() : null)
                .returnValuesOnConditionCheckFailure(put.returnValuesOnConditionCheckFailure())
                .overrideConfiguration(commitBudget.next()));
  }

  private void transact(List<TransactWriteItem> items, CallBudget budget) {
    // The token makes the SDK's own retries of this call idempotent in DynamoDB.
    dynamo.transactWriteItems(
        r ->
            r.transactItems(items)
                .clientRequestToken(UUID.randomUUID().toString())
                .overrideConfiguration(budget.next()));
  }
}
