package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a batch sent with an {@code Idempotency-Key} (SPEC 11) already answered, and its claim on
 * the key. Each item has a record of its own under the batch's fingerprint, read for all items at
 * once before anything runs. The whole-request record, the one every single-contact route reads and
 * conditions its write on, holds the batch's claim ({@link Record#isBatchClaim}), put before any
 * item writes, or the answer of an envelope problem: so a key that answered a batch is 422 on any
 * other request, and one that answered another request is 422 on the batch, in both orders and
 * under concurrency, with nothing written.
 */
final class BatchReplays {

  private BatchReplays() {}

  /**
   * The key's records for a batch: its kept envelope answer (the whole batch replays it), whether
   * this batch already claimed the key, and its items answered, by index.
   */
  record Records(Record envelopeAnswer, boolean claimed, Map<Integer, Record> items) {
    static final Records NONE = new Records(null, false, Map.of());

    Records {
      items = Map.copyOf(items);
    }
  }

  /**
   * The key's records for a keyed batch, from one batched read of the batch's record and the items'
   * before anything is written.
   *
   * @throws DomainException.IdempotencyKeyReused when a live record under the key answered another
   *     request: nothing of this batch is written
   */
  static Records answered(
      BatchReads reads,
      AttemptLoop loop,
      Claim claim,
      int itemCount,
      Deadline deadline,
      Instant now) {
    List<RecordId> ids = new ArrayList<>();
    ids.add(claim.id());
    for (int i = 0; i < Math.min(itemCount, BatchUpsertService.MAX_ITEMS); i++) {
      ids.add(claim.item(i).id());
    }
    Map<RecordId, Record> found = loop.retrying(deadline, () -> reads.readRecords(ids));
    Optional<Record> whole = Optional.ofNullable(found.get(claim.id()));
    boolean claimed = claim.claimedIn(whole, now);
    Record envelopeAnswer = claim.replayFrom(whole, now).orElse(null);
    Map<Integer, Record> answered = new HashMap<>();
    for (int i = 0; i < ids.size() - 1; i++) {
      int index = i;
      claim
          .item(index)
          .replayFrom(Optional.ofNullable(found.get(ids.get(index + 1))), now)
          .ifPresent(record -> answered.put(index, record));
    }
    return new Records(envelopeAnswer, claimed, answered);
  }

  /**
   * Claims the key for the batch before its first write (its new tags, its items): a conditional
   * put of its claim at the whole-request id, the condition every record's put and every
   * single-contact write carries. A duplicate of this batch that claimed it first is as good.
   *
   * @return the envelope answer a duplicate of this batch kept first, to replay; empty when the key
   *     is the batch's
   * @throws DomainException.IdempotencyKeyReused when another request took the key first: nothing
   *     of this batch is written
   */
  static Optional<Record> claim(
      AttemptLoop loop, Claim claim, String requestId, Deadline deadline, Clock clock) {
    return loop.read(
        deadline,
        store -> {
          try {
            store.record(claim.batchClaim(requestId, clock.instant()), clock.instant());
            return Optional.empty();
          } catch (ContactStore.Conflict taken) {
            Optional<Record> found = store.find(claim.id());
            if (claim.claimedIn(found, clock.instant())) {
              return Optional.empty();
            }
            // An expired record the put could not replace yet is tried again by the loop.
            return Optional.of(claim.replayFrom(found, clock.instant()).orElseThrow(() -> taken));
          }
        });
  }
}
