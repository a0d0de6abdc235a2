package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import com.voicecrm.contacts.store.DynamoIdempotencyRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The record's condition as DynamoDB evaluates it: a live record is never overwritten, an expired
 * one (that DynamoDB's TTL has not deleted yet) is, alone or inside a write's transaction.
 */
class IdempotencyRecordStoreIT {

  private static final Instant NOW = Instant.now();
  private static final Answer CREATED =
      new Answer(201, "application/json", "{\"id\":\"c1\"}", "/v1/contacts/c1", "\"0\"");
  private static final Answer OTHER = new Answer(400, "application/problem+json", "{}", null, null);

  private Rig rig;
  private DynamoIdempotencyRecords records;
  private Claim claim;

  @BeforeEach
  void table() {
    rig = Rig.open();
    records = new DynamoIdempotencyRecords(rig.plain, rig.table);
    claim = new Claim(RecordId.of("k1", UUID.randomUUID().toString().replace("-", "")), "fp");
  }

  @AfterEach
  void drop() {
    rig.close();
  }

  @Test
  void theTable_hasItsTimeToLiveOnTheContractsAttribute() {
    TimeToLiveDescription ttl =
        rig.plain.describeTimeToLive(r -> r.tableName(rig.table)).timeToLiveDescription();
    assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
    assertEquals(ServiceContract.TIME_TO_LIVE_ATTRIBUTE, ttl.attributeName());
  }

  @Test
  void record_keepsTheFirst_andRefusesASecondWhileLive() {
    Record first = claim.recording(CREATED, "r1", NOW);
    records.record(first, NOW);

    assertThrows(
        ContactStore.Conflict.class,
        () -> records.record(claim.recording(OTHER, "r2", NOW), NOW.plusSeconds(60)));
    assertEquals(Optional.of(first), records.find(claim.id()));
  }

  @Test
  void record_replacesARecordPastItsExpiry_thatDynamoDbHasNotDeletedYet() {
    records.record(claim.recording(OTHER, "r1", NOW.minus(Duration.ofHours(30))), NOW);
    Record fresh = claim.recording(CREATED, "r2", NOW);

    records.record(fresh, NOW);

    assertEquals(Optional.of(fresh), records.find(claim.id()));
  }

  @Test
  void record_atTheSecondOfExpiry_mayReplace() {
    Record old = claim.recording(OTHER, "r1", NOW.minus(Duration.ofHours(24)));
    records.record(old, NOW.minus(Duration.ofHours(24)));
    Instant expiry = old.expiresAt();

    records.record(claim.recording(CREATED, "r2", expiry), expiry);

    assertEquals(CREATED, records.find(claim.id()).orElseThrow().answer());
  }

  @Test
  void find_ofAKeyNeverSeen_isEmpty() {
    assertEquals(Optional.empty(), records.find(RecordId.of("k1", "0".repeat(64))));
  }

  @Test
  void inATransaction_aLiveRecordCancelsTheWholeWrite() {
    records.record(claim.recording(CREATED, "r1", NOW), NOW);
    Map<String, AttributeValue> other = marker();

    assertThrows(
        TransactionCanceledException.class,
        () ->
            rig.plain.transactWriteItems(
                r ->
                    r.transactItems(
                        List.of(
                            DynamoIdempotencyRecords.transactPut(
                                rig.table, claim.recording(OTHER, "r2", NOW), NOW),
                            put(other)))));

    assertFalse(exists(other));
    assertEquals(CREATED, records.find(claim.id()).orElseThrow().answer());
  }

  @Test
  void inATransaction_anAbsentOrExpiredRecord_isWrittenWithTheWrite() {
    records.record(claim.recording(OTHER, "r0", NOW.minus(Duration.ofDays(3))), NOW);
    Map<String, AttributeValue> other = marker();
    Record fresh = claim.recording(CREATED, "r1", NOW);

    rig.plain.transactWriteItems(
        r ->
            r.transactItems(
                List.of(DynamoIdempotencyRecords.transactPut(rig.table, fresh, NOW), put(other))));

    assertTrue(exists(other));
    assertEquals(Optional.of(fresh), records.find(claim.id()));
  }

  private static Map<String, AttributeValue> marker() {
    return Map.of(
        "pk", AttributeValue.fromS("MARKER#" + UUID.randomUUID()), "sk", AttributeValue.fromS("M"));
  }

  private software.amazon.awssdk.services.dynamodb.model.TransactWriteItem put(
      Map<String, AttributeValue> item) {
    return software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
        .put(p -> p.tableName(rig.table).item(item))
        .build();
  }

  private boolean exists(Map<String, AttributeValue> key) {
    return rig.plain.getItem(r -> r.tableName(rig.table).key(key).consistentRead(true)).hasItem();
  }
}
