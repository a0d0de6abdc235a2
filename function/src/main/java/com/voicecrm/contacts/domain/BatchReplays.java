package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a batch sent with an {@code Idempotency-Key} (SPEC 11) already answered: each item has a
 * record of its own under the batch's fingerprint, read for all items at once before anything runs.
 */
final class BatchReplays {

  private BatchReplays() {}

  /**
   * The items of a keyed batch already answered, by index, from one batched read of the batch's
   * records and the items' before anything is written.
   *
   * @throws DomainException.IdempotencyKeyReused when a live record under the key answered another
   *     request: nothing of this batch is written
   */
  static Map<Integer, Record> answered(
      BatchReads reads,
      AttemptLoop loop,
      Claim claim,
      int itemCount,
      Deadline deadline,
      Instant now) {
    List<RecordId> ids = new ArrayList<>();
    ids.add(claim.id());
    // Item 0 at least: an envelope problem under a key that answered a batch is 422 too.
    for (int i = 0; i < Math.min(Math.max(itemCount, 1), BatchUpsertService.MAX_ITEMS); i++) {
      ids.add(claim.item(i).id());
    }
    Map<RecordId, Record> found = loop.retrying(deadline, () -> reads.readRecords(ids));
    // The whole batch's record is an envelope problem's; the same one is answered again by the
    // envelope's check, another request's is 422.
    claim.replayFrom(Optional.ofNullable(found.get(claim.id())), now);
    Map<Integer, Record> answered = new HashMap<>();
    for (int i = 0; i < ids.size() - 1; i++) {
      int index = i;
      claim
          .item(index)
          .replayFrom(Optional.ofNullable(found.get(ids.get(index + 1))), now)
          .ifPresent(record -> answered.put(index, record));
    }
    return answered;
  }
}
