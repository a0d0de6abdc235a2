package com.voicecrm.contacts.domain;

/**
 * What the service tells an operator about the request it is serving: how a write ended and how
 * often it had to decide again. Never a key, a contact or a value. The default records nothing.
 */
public interface Metrics {

  /** How an upsert or a create ended when it succeeded. */
  enum WriteOutcome {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  /** How one item of a batch (SPEC 10) was answered: as the upsert it is, or why it failed. */
  enum ItemOutcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    INVALID,
    CONFLICT,
    NOT_FOUND,
    UNAVAILABLE,
    ERROR
  }

  Metrics NONE = new Metrics() {};

  default void written(WriteOutcome outcome) {}

  /** An attempt is retried: it lost a race ({@code lostRace}) or the store was unavailable. */
  default void retried(boolean lostRace) {}

  /** The retries ran out of policy or time; the request is answered 503. */
  default void retriesExhausted(boolean lostRace) {}

  /** An item of the batch being served was answered with {@code outcome}. */
  default void batchItem(ItemOutcome outcome) {}
}
