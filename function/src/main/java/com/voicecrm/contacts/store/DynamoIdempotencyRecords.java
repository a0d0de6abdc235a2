package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import com.voicecrm.contacts.domain.IdempotencyStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Idempotency records (SPEC 11) on the contacts table: the one place that knows their key ({@link
 * Keys#idempotency}), their item ({@link IdempotencyRecordItem}) and the condition that keeps a
 * live record from being overwritten. A contact write's transaction carries {@link #put} (so a
 * write is never applied without its record nor recorded without being applied); {@link #record}
 * keeps an answer that no write carries. A batch's items use the same, each under {@link
 * RecordId#item}.
 *
 * <p>DynamoDB deletes expired records lazily (its TTL, up to days later), so a read treats {@code
 * expiresAt <= now} as absent ({@code Record.isLiveAt}) and the put may replace such a record.
 */
public final class DynamoIdempotencyRecords implements IdempotencyStore {

  /** Absent, or expired at the writer's clock: then the key is free again. */
  static final String FREE =
      Keys.notExists() + " OR " + IdempotencyRecordItem.EXPIRES_AT + " <= :idempotencyNow";

  private final DynamoDbClient dynamo;
  private final String table;
  private final CallBudget budget;
  private final ItemReads reads;

  public DynamoIdempotencyRecords(DynamoDbClient dynamo, String table) {
    this(dynamo, table, CallBudget.NONE);
  }

  DynamoIdempotencyRecords(DynamoDbClient dynamo, String table, CallBudget budget) {
    this.dynamo = dynamo;
    this.table = table;
    this.budget = budget;
    this.reads = new ItemReads(dynamo, table, budget);
  }

  @Override
  public IdempotencyStore within(Deadline deadline) {
    return new DynamoIdempotencyRecords(dynamo, table, CallBudget.of(deadline));
  }

  @Override
  public Optional<Record> find(RecordId id) {
    return reads.get(key(id)).map(DynamoIdempotencyRecords::fromItem);
  }

  @Override
  public void record(Record record, Instant now) {
    Put put = put(table, record, now);
    try {
      dynamo.putItem(
          r ->
              r.tableName(table)
                  .item(put.item())
                  .conditionExpression(put.conditionExpression())
                  .expressionAttributeValues(put.expressionAttributeValues())
                  .overrideConfiguration(budget.next()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /**
   * The conditional put of {@code record}, for a transaction: it fails, cancelling the whole
   * transaction (whose writer then reads the record and replays it), when a record live at {@code
   * now} holds the key.
   */
  public static Put put(String table, Record record, Instant now) {
    return Put.builder()
        .tableName(table)
        .item(toItem(record))
        .conditionExpression(FREE)
        .expressionAttributeValues(
            Map.of(":idempotencyNow", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
        .build();
  }

  /** {@link #put} as an item of a {@code TransactWriteItems}. */
  public static TransactWriteItem transactPut(String table, Record record, Instant now) {
    return TransactWriteItem.builder().put(put(table, record, now)).build();
  }

  /** The record's key, to read it alone or within another read's {@code BatchGetItem}. */
  public static Map<String, AttributeValue> key(RecordId id) {
    return Keys.idempotencyKey(id);
  }

  /** The record's partition key, by which a {@code BatchGetItem}'s answer is matched. */
  public static String partitionKey(RecordId id) {
    return Keys.idempotency(id);
  }

  /** The item of {@code record}. */
  public static Map<String, AttributeValue> toItem(Record record) {
    return IdempotencyRecordItem.SCHEMA.itemToMap(IdempotencyRecordItem.of(record), true);
  }

  /** The record an item holds; the item must be one {@link #toItem} wrote. */
  public static Record fromItem(Map<String, AttributeValue> item) {
    return IdempotencyRecordItem.SCHEMA.mapToItem(item).toRecord();
  }
}
