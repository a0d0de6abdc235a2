package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.ContactStore;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Reads DynamoDB failures: a refused contact write that found this write's own item, and the
 * outcomes the domain retries on. Anything else (a validation error from DynamoDB) is a bug in this
 * adapter and stays an unchecked SDK exception.
 */
final class StoreErrors {

  private static final String CONDITION_FAILED = "ConditionalCheckFailed";

  private static final Set<String> RACE_REASONS = Set.of(CONDITION_FAILED, "TransactionConflict");
  private static final Set<String> CAPACITY_REASONS =
      Set.of("ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");

  private StoreErrors() {}

  /**
   * Whether a refused contact write found the contact item exactly as the write stores it: then an
   * earlier attempt of the same write was applied (its answer lost, the call retried) and nothing
   * is left to do. DynamoDB returns the found item with the refusal because the contact's put asks
   * for it ({@code ReturnValuesOnConditionCheckFailure.ALL_OLD}); in a transaction the contact's
   * put is the first item, so its reason is the first. Any other item is another request's state.
   */
  static boolean foundOwnWrite(SdkException e, Map<String, AttributeValue> contactItem) {
    if (e instanceof ConditionalCheckFailedException failed) {
      return failed.hasItem() && contactItem.equals(failed.item());
    }
    if (e instanceof TransactionCanceledException cancelled
        && cancelled.hasCancellationReasons()
        && !cancelled.cancellationReasons().isEmpty()) {
      CancellationReason contactPut = cancelled.cancellationReasons().get(0);
      return CONDITION_FAILED.equals(contactPut.code())
          && contactPut.hasItem()
          && contactItem.equals(contactPut.item());
    }
    return false;
  }

  static RuntimeException translate(SdkException e) {
    if (e instanceof TransactionCanceledException cancelled) {
      return translateCancellation(cancelled);
    }
    if (e instanceof ConditionalCheckFailedException) {
      return new ContactStore.Conflict("condition failed");
    }
    if (e instanceof TransactionConflictException || e instanceof TransactionInProgressException) {
      return new ContactStore.Conflict("transaction conflict");
    }
    if (e instanceof AwsServiceException service
        && service.awsErrorDetails() != null
        && "ValidationException".equals(service.awsErrorDetails().errorCode())
        && String.valueOf(service.awsErrorDetails().errorMessage()).startsWith("Item size")) {
      // The store's own size estimate should have caught it first.
      return new ContactStore.TooLarge("item size exceeded");
    }
    if (e instanceof AwsServiceException service
        && (service.isThrottlingException() || service.statusCode() >= 500)) {
      return new ContactStore.Unavailable("DynamoDB unavailable", e);
    }
    if (e instanceof SdkClientException) {
      return new ContactStore.Unavailable("DynamoDB unreachable", e);
    }
    return e;
  }

  private static RuntimeException translateCancellation(TransactionCanceledException e) {
    boolean capacity = false;
    for (CancellationReason reason : e.cancellationReasons()) {
      String code = reason.code();
      if (code == null || "None".equals(code)) {
        continue;
      }
      if (RACE_REASONS.contains(code)) {
        return new ContactStore.Conflict("transaction cancelled: " + code);
      }
      capacity |= CAPACITY_REASONS.contains(code);
    }
    if (capacity || e.cancellationReasons().isEmpty()) {
      return new ContactStore.Unavailable("transaction cancelled by capacity", e);
    }
    return e;
  }
}
