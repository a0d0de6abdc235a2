package com.voicecrm.contacts.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The values of SPEC 11: which record answers a request sent with an {@code Idempotency-Key}, what
 * makes a later request "the same", and the answer kept for it. The answer is opaque here: the api
 * layer renders it, the store keeps it, the domain only carries it into the write it belongs to.
 */
public final class Idempotency {

  /** How long an answer is kept (SPEC 11): a later request with the key after that runs again. */
  public static final Duration RETENTION = Duration.ofHours(24);

  private Idempotency() {}

  /**
   * The record of one key of one API key: {@code keyHash} is the SHA-256 (hex) of the header's
   * value, so the value itself is never stored. {@code itemIndex} is null for a whole request and
   * the item's position for one item of a batch, each with its own record.
   */
  public record RecordId(String keyId, String keyHash, Integer itemIndex) {
    public RecordId {
      Objects.requireNonNull(keyId, "keyId");
      Objects.requireNonNull(keyHash, "keyHash");
      if (itemIndex != null && itemIndex < 0) {
        throw new IllegalArgumentException("itemIndex " + itemIndex);
      }
    }

    public static RecordId of(String keyId, String keyHash) {
      return new RecordId(keyId, keyHash, null);
    }

    /** The record of item {@code index} of the batch this record id names. */
    public RecordId item(int index) {
      return new RecordId(keyId, keyHash, index);
    }
  }

  /**
   * An answer as the client received it, less what names the request ({@code X-Request-Id}): the
   * status, the body (null when none) with its content type, and the {@code Location} and {@code
   * ETag} headers (null when absent).
   */
  public record Answer(int status, String contentType, String body, String location, String etag) {

    /** Whether SPEC 11 keeps this answer: 2xx, and 4xx other than 401, 403, 409, 412 and 429. */
    public boolean isKept() {
      return isKept(status);
    }

    public static boolean isKept(int status) {
      if (status >= 200 && status < 300) {
        return true;
      }
      return status >= 400
          && status < 500
          && status != 401
          && status != 403
          && status != 409
          && status != 412
          && status != 429;
    }
  }

  /**
   * A kept answer: the request it answered ({@code fingerprint}), the answer, the request id that
   * first received it, and when it stops counting (second precision, as the table's TTL).
   */
  public record Record(
      RecordId id, String fingerprint, Answer answer, String requestId, Instant expiresAt) {

    /**
     * Whether giving this record's answer to {@code requestId} is a replay: an attempt of the very
     * request that recorded it (its write applied, the answer lost) gives its own answer.
     */
    public boolean isReplayFor(String requestId) {
      return !this.requestId.equals(requestId);
    }

    /** Whether the record still counts at {@code now}; DynamoDB deletes expired ones lazily. */
    public boolean isLiveAt(Instant now) {
      return expiresAt.getEpochSecond() > now.getEpochSecond();
    }
  }

  /**
   * A request that carries an {@code Idempotency-Key}: the record that answers it and the
   * fingerprint of what it asks (method, path with query, body bytes, and the key's scope).
   */
  public record Claim(RecordId id, String fingerprint) {

    /**
     * The record to replay when {@code found} is a live record of the same request; empty when the
     * request must run. A live record of another request is a 422.
     *
     * @throws DomainException.IdempotencyKeyReused when the key answered another request
     */
    public Optional<Record> replayFrom(Optional<Record> found, Instant now) {
      if (found.isEmpty() || !found.get().isLiveAt(now)) {
        return Optional.empty();
      }
      if (!found.get().fingerprint().equals(fingerprint)) {
        throw new DomainException.IdempotencyKeyReused(
            "This Idempotency-Key was used for another request (another method, path or body);"
                + " send a new key for a new request.");
      }
      return found;
    }

    /**
     * The record keeping {@code answer} for this request from {@code now} for {@link #RETENTION}.
     */
    public Record recording(Answer answer, String requestId, Instant now) {
      return new Record(
          id,
          fingerprint,
          answer,
          requestId,
          Instant.ofEpochSecond(now.getEpochSecond()).plus(RETENTION));
    }

    /** The claim of item {@code index} of a batch, under the batch's fingerprint. */
    public Claim item(int index) {
      return new Claim(id.item(index), fingerprint);
    }
  }
}
