package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/** The record's item: its key, its attributes and the condition that guards it. */
class DynamoIdempotencyRecordsTest {

  private static final String HASH =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  private static final Record CREATED =
      new Record(
          RecordId.of("a1b2c3d4e5f6", HASH),
          "fp",
          new Answer(201, "application/json", "{\"id\":\"c1\"}", "/v1/contacts/c1", "\"0\""),
          "r1",
          Instant.parse("2024-01-16T10:30:00Z"));

  @Test
  void item_isInItsOwnPartition_underTheApiKeyAndTheKeysHash() {
    Map<String, AttributeValue> item = DynamoIdempotencyRecords.toItem(CREATED);
    assertEquals("IDEMPOTENCY#a1b2c3d4e5f6#" + HASH, item.get("pk").s());
    assertEquals("IDEMPOTENCY", item.get("sk").s());
    assertEquals(
        DynamoIdempotencyRecords.key(CREATED.id()),
        Map.of("pk", item.get("pk"), "sk", item.get("sk")));
  }

  @Test
  void item_carriesTheTableTimeToLive_inEpochSeconds() {
    Map<String, AttributeValue> item = DynamoIdempotencyRecords.toItem(CREATED);
    assertEquals("expiresAt", ServiceContract.TIME_TO_LIVE_ATTRIBUTE);
    assertEquals(
        Long.toString(Instant.parse("2024-01-16T10:30:00Z").getEpochSecond()),
        item.get(ServiceContract.TIME_TO_LIVE_ATTRIBUTE).n());
  }

  @Test
  void item_roundTrips_withAndWithoutOptionalParts() {
    assertEquals(
        CREATED, DynamoIdempotencyRecords.fromItem(DynamoIdempotencyRecords.toItem(CREATED)));
    Record noContent =
        new Record(
            RecordId.of("k", HASH),
            "fp",
            new Answer(204, null, null, null, null),
            "r1",
            Instant.ofEpochSecond(1_700_000_000L));
    Map<String, AttributeValue> item = DynamoIdempotencyRecords.toItem(noContent);
    assertFalse(item.containsKey("body"));
    assertFalse(item.containsKey("location"));
    assertEquals(noContent, DynamoIdempotencyRecords.fromItem(item));
  }

  @Test
  void batchItems_haveARecordEach_byIndex() {
    Record item =
        new Record(CREATED.id().item(42), "fp", CREATED.answer(), "r1", CREATED.expiresAt());
    Map<String, AttributeValue> stored = DynamoIdempotencyRecords.toItem(item);
    assertEquals("IDEMPOTENCY#a1b2c3d4e5f6#" + HASH + "#42", stored.get("pk").s());
    assertEquals(item, DynamoIdempotencyRecords.fromItem(stored));
    assertEquals(42, DynamoIdempotencyRecords.fromItem(stored).id().itemIndex());
  }

  @Test
  void aBatchClaim_isTheItemWithoutAnAnswer_andReadsBackAsOne() {
    Record claim =
        new Record(CREATED.id(), "batch-fp", null, "r1", Instant.parse("2024-01-16T10:30:00Z"));
    Map<String, AttributeValue> item = DynamoIdempotencyRecords.toItem(claim);
    assertEquals("IDEMPOTENCY#a1b2c3d4e5f6#" + HASH, item.get("pk").s());
    assertFalse(item.containsKey("status"));
    assertFalse(item.containsKey("body"));
    assertEquals("batch-fp", item.get("fingerprint").s());
    Record read = DynamoIdempotencyRecords.fromItem(item);
    assertEquals(claim, read);
    assertTrue(read.isBatchClaim());
  }

  @Test
  void aBodyNearTheItemLimit_isStoredGzipped_andReadBack() {
    // Incompressible-ish text at 350 KB: only the zipped form stays under 400 KB.
    Random random = new Random(7);
    StringBuilder body = new StringBuilder("{\"tags\":[");
    while (body.length() < 350 * 1024) {
      body.append('"').append(Long.toString(random.nextLong(), 36)).append("\",");
    }
    body.append("\"z\"]}");
    Record large =
        new Record(
            CREATED.id(),
            "fp",
            new Answer(200, "application/json", body.toString(), null, "\"9\""),
            "r1",
            CREATED.expiresAt());
    Map<String, AttributeValue> item = DynamoIdempotencyRecords.toItem(large);
    assertNull(item.get("body"));
    assertTrue(
        ItemSize.bytes(item) + item.get("bodyGzip").b().asByteArray().length
            < ItemSize.MAX_ITEM_BYTES);
    assertEquals(large, DynamoIdempotencyRecords.fromItem(item));
  }

  @Test
  void put_isConditionedOnAbsence_orExpiryAtTheWritersClock() {
    Put put = DynamoIdempotencyRecords.put("t", CREATED, Instant.parse("2024-01-15T10:30:00.900Z"));
    assertEquals(
        "attribute_not_exists(pk) OR expiresAt <= :idempotencyNow", put.conditionExpression());
    assertEquals(
        Long.toString(Instant.parse("2024-01-15T10:30:00Z").getEpochSecond()),
        put.expressionAttributeValues().get(":idempotencyNow").n());
    assertEquals("t", put.tableName());
  }
}
