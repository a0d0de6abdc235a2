package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * The kept answer of a request sent with an {@code Idempotency-Key} (SPEC 11), under {@link
 * Keys#idempotency}: the request's fingerprint, the answer (status, content type, body, {@code
 * Location}, {@code ETag}), the request that first got it, and {@code expiresAt} in epoch seconds,
 * the table's TTL attribute. A body that would take the item near DynamoDB's 400 KB limit is kept
 * gzipped in {@code bodyGzip} instead of {@code body}. A batch's claim on its key ({@code
 * Record.isBatchClaim}) is the item without {@code status} (nor any other part of an answer).
 */
record IdempotencyRecordItem(
    String pk,
    String sk,
    String fingerprint,
    Integer status,
    String contentType,
    String body,
    SdkBytes bodyGzip,
    String location,
    String etag,
    String requestId,
    Long expiresAt)
    implements Keyed {

  static final String EXPIRES_AT = ServiceContract.TIME_TO_LIVE_ATTRIBUTE;

  /** Bodies larger than this are kept gzipped (a contact's JSON compresses several-fold). */
  static final int PLAIN_BODY_LIMIT_BYTES = 300 * 1024;

  static IdempotencyRecordItem of(Record record) {
    if (record.isBatchClaim()) {
      return new IdempotencyRecordItem(
          Keys.idempotency(record.id()),
          Keys.IDEMPOTENCY,
          record.fingerprint(),
          null,
          null,
          null,
          null,
          null,
          null,
          record.requestId(),
          record.expiresAt().getEpochSecond());
    }
    Answer answer = record.answer();
    String body = answer.body();
    SdkBytes zipped = null;
    if (body != null && utf8(body) > PLAIN_BODY_LIMIT_BYTES) {
      zipped = SdkBytes.fromByteArray(gzip(body));
      body = null;
    }
    return new IdempotencyRecordItem(
        Keys.idempotency(record.id()),
        Keys.IDEMPOTENCY,
        record.fingerprint(),
        answer.status(),
        answer.contentType(),
        body,
        zipped,
        answer.location(),
        answer.etag(),
        record.requestId(),
        record.expiresAt().getEpochSecond());
  }

  Record toRecord() {
    String text = body != null ? body : bodyGzip == null ? null : gunzip(bodyGzip.asByteArray());
    return new Record(
        Keys.idempotencyIdOf(pk),
        fingerprint,
        // Every answer has a status; a batch's claim has none.
        status == null ? null : new Answer(status, contentType, text, location, etag),
        requestId,
        Instant.ofEpochSecond(expiresAt));
  }

  static final class Builder extends KeyedBuilder {
    String fingerprint;
    Integer status;
    String contentType;
    String body;
    SdkBytes bodyGzip;
    String location;
    String etag;
    String requestId;
    Long expiresAt;

    IdempotencyRecordItem build() {
      return new IdempotencyRecordItem(
          pk,
          sk,
          fingerprint,
          status,
          contentType,
          body,
          bodyGzip,
          location,
          etag,
          requestId,
          expiresAt);
    }
  }

  static final TableSchema<IdempotencyRecordItem> SCHEMA =
      Schemas.keyed(IdempotencyRecordItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class,
              a ->
                  a.name("fingerprint")
                      .getter(IdempotencyRecordItem::fingerprint)
                      .setter((b, v) -> b.fingerprint = v))
          .addAttribute(
              Integer.class,
              a ->
                  a.name("status")
                      .getter(IdempotencyRecordItem::status)
                      .setter((b, v) -> b.status = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("contentType")
                      .getter(IdempotencyRecordItem::contentType)
                      .setter((b, v) -> b.contentType = v))
          .addAttribute(
              String.class,
              a -> a.name("body").getter(IdempotencyRecordItem::body).setter((b, v) -> b.body = v))
          .addAttribute(
              SdkBytes.class,
              a ->
                  a.name("bodyGzip")
                      .getter(IdempotencyRecordItem::bodyGzip)
                      .setter((b, v) -> b.bodyGzip = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("location")
                      .getter(IdempotencyRecordItem::location)
                      .setter((b, v) -> b.location = v))
          .addAttribute(
              String.class,
              a -> a.name("etag").getter(IdempotencyRecordItem::etag).setter((b, v) -> b.etag = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("requestId")
                      .getter(IdempotencyRecordItem::requestId)
                      .setter((b, v) -> b.requestId = v))
          .addAttribute(
              Long.class,
              a ->
                  a.name(EXPIRES_AT)
                      .getter(IdempotencyRecordItem::expiresAt)
                      .setter((b, v) -> b.expiresAt = v))
          .build();

  private static long utf8(String text) {
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
