package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.ContactStore;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Turns DynamoDB failures into the two outcomes the domain retries on. Anything else (a validation
 * error from DynamoDB) is a bug in this adapter and stays an unchecked SDK exception.
 */
final class StoreErrors {

  private static final Set<String> RACE_REASONS =
      Set.of("ConditionalCheckFailed", "TransactionConflict");
  private static final Set<String> CAPACITY_REASONS =
      Set.of("ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");

  private StoreErrors() {}

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
