package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ContactStore.WriteResult;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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

  private final DynamoDbClient dynamo;
  private final String table;
  private final CallBudget budget;

  ContactWriter(DynamoDbClient dynamo, String table, CallBudget budget) {
    this.dynamo = dynamo;
    this.table = table;
    this.budget = budget;
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
          transact(registrations);
        } catch (SdkException e) {
          throw StoreErrors.translate(e);
        }
      }
    }
    try {
      if (transaction.contactAlone()) {
        putItem(transaction.contactPut());
      } else {
        transact(transaction.items());
      }
      return WriteResult.WRITTEN;
    } catch (SdkException e) {
      if (StoreErrors.foundOwnWrite(e, transaction.contactItem())) {
        return WriteResult.ALREADY_WRITTEN;
      }
      throw StoreErrors.translate(e);
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
      transact(transaction.items());
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
                .overrideConfiguration(budget.next()));
  }

  private void transact(List<TransactWriteItem> items) {
    // The token makes the SDK's own retries of this call idempotent in DynamoDB.
    dynamo.transactWriteItems(
        r ->
            r.transactItems(items)
                .clientRequestToken(UUID.randomUUID().toString())
                .overrideConfiguration(budget.next()));
  }
}
