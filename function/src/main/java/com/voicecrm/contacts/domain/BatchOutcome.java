package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactService.UpsertOutcome;
import java.util.List;

/** How a batch upsert (SPEC 10) ended: every item's outcome, in input order. */
public record BatchOutcome(List<ItemOutcome> items) {

  public BatchOutcome {
    items = List.copyOf(items);
  }

  /** How one item ended. */
  public sealed interface ItemOutcome permits Applied, Failed, Broken {
    int index();
  }

  /** The item was applied (or changed nothing): 201 or 200 with the contact. */
  public record Applied(int index, UpsertOutcome outcome) implements ItemOutcome {}

  /** The item failed as a single upsert would have: its problem. */
  public record Failed(int index, DomainException error) implements ItemOutcome {}

  /** The item met an unexpected error (a bug): 500 in its result, the cause for the log. */
  public record Broken(int index, RuntimeException cause) implements ItemOutcome {}

  public long created() {
    return items.stream()
        .filter(i -> i instanceof Applied applied && applied.outcome().created())
        .count();
  }

  public long updated() {
    return items.stream()
        .filter(i -> i instanceof Applied applied && !applied.outcome().created())
        .count();
  }

  public long failed() {
    return items.size() - created() - updated();
  }
}
