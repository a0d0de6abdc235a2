package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactService.UpsertOutcome;
import java.util.List;

/**
 * How a batch upsert (SPEC 10) ended: every item's outcome, in input order; or, under an {@code
 * Idempotency-Key} (SPEC 11), the envelope problem the key kept for this batch, its whole answer
 * given again ({@code envelopeAnswer}, no items).
 */
public record BatchOutcome(List<ItemOutcome> items, Idempotency.Record envelopeAnswer) {

  public BatchOutcome {
    items = List.copyOf(items);
  }

  public BatchOutcome(List<ItemOutcome> items) {
    this(items, null);
  }

  /** The batch's kept envelope answer, to give again as it was. */
  static BatchOutcome replayOf(Idempotency.Record envelopeAnswer) {
    return new BatchOutcome(List.of(), envelopeAnswer);
  }

  /** How one item ended. */
  public sealed interface ItemOutcome permits Applied, Failed, Broken, Replayed {
    int index();
  }

  /** The item was applied (or changed nothing): 201 or 200 with the contact. */
  public record Applied(int index, UpsertOutcome outcome) implements ItemOutcome {}

  /** The item failed as a single upsert would have: its problem. */
  public record Failed(int index, DomainException error) implements ItemOutcome {}

  /** The item met an unexpected error (a bug): 500 in its result, the cause for the log. */
  public record Broken(int index, RuntimeException cause) implements ItemOutcome {}

  /**
   * The item's answer kept from an earlier request with the batch's {@code Idempotency-Key} (SPEC
   * 11), given again: nothing was written for it now.
   */
  public record Replayed(int index, Idempotency.Answer answer) implements ItemOutcome {}

  public long created() {
    return items.stream()
        .filter(
            i ->
                i instanceof Applied applied && applied.outcome().created()
                    || i instanceof Replayed replayed && replayed.answer().status() == 201)
        .count();
  }

  public long updated() {
    return items.stream()
        .filter(
            i ->
                i instanceof Applied applied && !applied.outcome().created()
                    || i instanceof Replayed replayed && replayed.answer().status() == 200)
        .count();
  }

  /** Whether every item's answer is a replay: the whole batch is then a replay. */
  public boolean replayed() {
    return !items.isEmpty() && items.stream().allMatch(i -> i instanceof Replayed);
  }

  public long failed() {
    return items.size() - created() - updated();
  }
}
