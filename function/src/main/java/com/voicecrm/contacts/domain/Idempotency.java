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
   *
   * <p>Or a batch's claim on its key ({@link #isBatchClaim}, no answer): a keyed batch puts it at
   * its whole-request id before its first write, so that every route reading that id finds the key
   * taken, while the batch's answers are its items' records.
   */
  public record Record(
      RecordId id, String fingerprint, Answer answer, String requestId, Instant expiresAt) {

    public Record {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(fingerprint, "fingerprint");
      if (answer == null && id.itemIndex() != null) {
        throw new IllegalArgumentException("a batch claims its whole-request id, not an item's");
      }
    }

    /** Whether this is a batch's claim on its key, which holds no answer of its own. */
    public boolean isBatchClaim() {
      return answer == null;
    }

    /**
     * The kept answer.
     *
     * @throws IllegalStateException for a batch's claim: its answers are its items' records
     */
    @Override
    public Answer answer() {
      if (answer == null) {
        throw new IllegalStateException("a batch's claim holds no answer");
      }
      return answer;
    }

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
     * request must run, or when {@code found} is this very batch's claim ({@link #claimedIn}). A
     * live record of another request is a 422.
     *
     * @throws DomainException.IdempotencyKeyReused when the key answered another request
     */
    public Optional<Record> replayFrom(Optional<Record> found, Instant now) {
      // This very batch's claim holds nothing to replay: its items' records hold the answers.
      return liveOfThisRequest(found, now).filter(record -> !record.isBatchClaim());
    }

    /**
     * Whether {@code found} is this batch's own live claim on the key: this batch (or a duplicate
     * of it) took the key, and its items' records hold its answers.
     *
     * @throws DomainException.IdempotencyKeyReused when the key answered another request
     */
    public boolean claimedIn(Optional<Record> found, Instant now) {
      return liveOfThisRequest(found, now).filter(Record::isBatchClaim).isPresent();
    }

    private Optional<Record> liveOfThisRequest(Optional<Record> found, Instant now) {
      Optional<Record> live = found.filter(record -> record.isLiveAt(now));
      if (live.isPresent() && !live.get().fingerprint().equals(fingerprint)) {
        throw new DomainException.IdempotencyKeyReused(
            "This Idempotency-Key was used for another request (another method, path or body);"
                + " send a new key for a new request.");
      }
      return live;
    }

    /**
     * The claim a batch puts at its whole-request id before its first write, from {@code now} for
     * {@link #RETENTION}, as long as its items' records.
     */
    public Record batchClaim(String requestId, Instant now) {
      return new Record(
          id,
          fingerprint,
          null,
          requestId,
          Instant.ofEpochSecond(now.getEpochSecond()).plus(RETENTION));
    }

    /**
     * The record keeping {@code answer} for this request from {@code now} for {@link #RETENTION}.
     */
    public Record recording(Answer answer, String requestId, Instant now) {
      Objects.requireNonNull(answer, "answer");
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
