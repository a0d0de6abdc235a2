package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import com.voicecrm.contacts.domain.IdempotencyStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Idempotency records (SPEC 11) on the contacts table: the one place that knows their key, their
 * attributes and the condition that keeps a live record from being overwritten. The contact store
 * adds {@link #put} to a write's transaction, so a write is never applied without its record nor
 * recorded without being applied; {@link #record} keeps an answer that no write carries.
 *
 * <p>Item: {@code pk = IDEMPOTENCY#<keyId>#<sha256 of the key>} (and {@code #<item index>} for an
 * item of a batch), {@code sk = IDEMPOTENCY}; the fingerprint, the answer and {@code expiresAt}
 * (epoch seconds), the table's TTL attribute. DynamoDB deletes expired records lazily, up to days
 * later, so a read treats {@code expiresAt <= now} as absent and the put may replace such a record.
 */
public final class DynamoIdempotencyRecords implements IdempotencyStore {

  static final String SK_VALUE = "IDEMPOTENCY";
  static final String PREFIX = "IDEMPOTENCY#";

  private static final String PK = ServiceContract.PARTITION_KEY;
  private static final String SK = ServiceContract.SORT_KEY;
  static final String EXPIRES_AT = ServiceContract.TIME_TO_LIVE_ATTRIBUTE;
  static final String FINGERPRINT = "fingerprint";
  static final String STATUS = "status";
  static final String CONTENT_TYPE = "contentType";
  static final String BODY = "body";
  static final String BODY_GZIP = "bodyGzip";
  static final String LOCATION = "location";
  static final String ETAG = "etag";
  static final String REQUEST_ID = "requestId";

  /** Absent, or expired at the writer's clock: then the key is free again. */
  static final String FREE =
      "attribute_not_exists(" + PK + ") OR " + EXPIRES_AT + " <= :idempotencyNow";

  /**
   * A record whose body would take it near DynamoDB's 400 KB item limit keeps the body gzipped (a
   * contact's JSON compresses several-fold); smaller bodies stay readable text.
   */
  static final long PLAIN_BODY_LIMIT_BYTES = 300 * 1024;

  private final DynamoDbClient dynamo;
  private final String table;
  private final LongSupplier remainingMillis;

  public DynamoIdempotencyRecords(DynamoDbClient dynamo, String table) {
    this(dynamo, table, null);
  }

  private DynamoIdempotencyRecords(
      DynamoDbClient dynamo, String table, LongSupplier remainingMillis) {
    this.dynamo = dynamo;
    this.table = table;
    this.remainingMillis = remainingMillis;
  }

  @Override
  public IdempotencyStore within(LongSupplier remainingMillis) {
    return new DynamoIdempotencyRecords(dynamo, table, remainingMillis);
  }

  @Override
  public Optional<Record> find(RecordId id) {
    try {
      GetItemResponse response =
          dynamo.getItem(
              r ->
                  r.tableName(table)
                      .key(key(id))
                      .consistentRead(true)
                      .overrideConfiguration(callBudget()));
      return response.hasItem() && !response.item().isEmpty()
          ? Optional.of(fromItem(response.item()))
          : Optional.empty();
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
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
                  .overrideConfiguration(callBudget()));
    } catch (SdkException e) {
      throw StoreErrors.translate(e);
    }
  }

  /**
   * The conditional put of {@code record}, for a transaction: it fails (cancelling the whole
   * transaction, whose writer then reads the record and replays it) when a record live at {@code
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

  /** The record's key, to read it (alone or within another read's {@code BatchGetItem}). */
  public static Map<String, AttributeValue> key(RecordId id) {
    return Map.of(PK, AttributeValue.fromS(partitionKey(id)), SK, AttributeValue.fromS(SK_VALUE));
  }

  /** The record's partition key, by which a {@code BatchGetItem}'s answer is matched. */
  public static String partitionKey(RecordId id) {
    String pk = PREFIX + id.keyId() + "#" + id.keyHash();
    return id.itemIndex() == null ? pk : pk + "#" + id.itemIndex();
  }

  /** The item of {@code record}. */
  public static Map<String, AttributeValue> toItem(Record record) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, AttributeValue.fromS(partitionKey(record.id())));
    item.put(SK, AttributeValue.fromS(SK_VALUE));
    item.put(FINGERPRINT, AttributeValue.fromS(record.fingerprint()));
    item.put(REQUEST_ID, AttributeValue.fromS(record.requestId()));
    item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(record.expiresAt().getEpochSecond())));
    Answer answer = record.answer();
    item.put(STATUS, AttributeValue.fromN(Integer.toString(answer.status())));
    putText(item, CONTENT_TYPE, answer.contentType());
    putText(item, LOCATION, answer.location());
    putText(item, ETAG, answer.etag());
    if (answer.body() != null) {
      if (DynamoContactStore.itemBytes(item) + utf8Bytes(answer.body()) > PLAIN_BODY_LIMIT_BYTES) {
        item.put(BODY_GZIP, AttributeValue.fromB(SdkBytes.fromByteArray(gzip(answer.body()))));
      } else {
        item.put(BODY, AttributeValue.fromS(answer.body()));
      }
    }
    return item;
  }

  /** The record an item holds; the item must be one {@link #toItem} wrote. */
  public static Record fromItem(Map<String, AttributeValue> item) {
    String pk = item.get(PK).s();
    String[] parts = pk.substring(PREFIX.length()).split("#", -1);
    RecordId id =
        new RecordId(parts[0], parts[1], parts.length > 2 ? Integer.valueOf(parts[2]) : null);
    String body = text(item, BODY);
    if (body == null && item.get(BODY_GZIP) != null) {
      body = gunzip(item.get(BODY_GZIP).b().asByteArray());
    }
    Answer answer =
        new Answer(
            Integer.parseInt(item.get(STATUS).n()),
            text(item, CONTENT_TYPE),
            body,
            text(item, LOCATION),
            text(item, ETAG));
    return new Record(
        id,
        text(item, FINGERPRINT),
        answer,
        text(item, REQUEST_ID),
        Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())));
  }

  /** Whether {@code item} (from any read of the table) is an idempotency record. */
  public static boolean isRecord(Map<String, AttributeValue> item) {
    AttributeValue sk = item.get(SK);
    return sk != null && SK_VALUE.equals(sk.s());
  }

  private AwsRequestOverrideConfiguration callBudget() {
    if (remainingMillis == null) {
      return null;
    }
    long budget = remainingMillis.getAsLong() - DynamoContactStore.ANSWER_MARGIN_MILLIS;
    if (budget < DynamoContactStore.MIN_CALL_MILLIS) {
      throw new ContactStore.Unavailable("no time left for another DynamoDB call", null);
    }
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(Duration.ofMillis(budget))
        .build();
  }

  private static void putText(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, AttributeValue.fromS(value));
    }
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  private static long utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String gunzip(byte[] bytes) {
    try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
