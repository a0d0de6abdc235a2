package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.ContactStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** How a refused write is read: this write's own earlier attempt, or a race lost to another. */
class StoreErrorsTest {

  private static final Map<String, AttributeValue> MINE =
      Map.of("pk", AttributeValue.fromS("CONTACT#1"), "version", AttributeValue.fromN("3"));
  private static final Map<String, AttributeValue> THEIRS =
      Map.of("pk", AttributeValue.fromS("CONTACT#1"), "version", AttributeValue.fromN("4"));

  @Test
  void refusedPut_isOwnWrite_onlyWhenItFoundExactlyTheItemWritten() {
    assertTrue(StoreErrors.foundOwnWrite(refusedPut(MINE), MINE));
    assertFalse(StoreErrors.foundOwnWrite(refusedPut(THEIRS), MINE));
    assertFalse(StoreErrors.foundOwnWrite(refusedPut(null), MINE));
  }

  @Test
  void cancelledTransaction_isOwnWrite_whenTheContactPutFoundTheItemWritten() {
    assertTrue(
        StoreErrors.foundOwnWrite(cancelled(conditionFailed(MINE), conditionFailed(null)), MINE));
    assertFalse(
        StoreErrors.foundOwnWrite(cancelled(conditionFailed(THEIRS), conditionFailed(null)), MINE));
    // The contact's condition held; a claim failed: another contact holds the identifier.
    assertFalse(
        StoreErrors.foundOwnWrite(
            cancelled(CancellationReason.builder().code("None").build(), conditionFailed(MINE)),
            MINE));
    assertFalse(
        StoreErrors.foundOwnWrite(
            cancelled(CancellationReason.builder().code("TransactionConflict").item(MINE).build()),
            MINE));
  }

  @Test
  void aRefusalNotOwn_isALostRace() {
    assertInstanceOf(ContactStore.Conflict.class, StoreErrors.translate(refusedPut(THEIRS)));
    assertInstanceOf(
        ContactStore.Conflict.class,
        StoreErrors.translate(cancelled(conditionFailed(THEIRS), conditionFailed(null))));
  }

  private static ConditionalCheckFailedException refusedPut(Map<String, AttributeValue> found) {
    return ConditionalCheckFailedException.builder().message("refused").item(found).build();
  }

  private static CancellationReason conditionFailed(Map<String, AttributeValue> found) {
    return CancellationReason.builder().code("ConditionalCheckFailed").item(found).build();
  }

  private static TransactionCanceledException cancelled(CancellationReason... reasons) {
    return TransactionCanceledException.builder()
        .message("cancelled")
        .cancellationReasons(reasons)
        .build();
  }
}
