package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the answers of requests with an {@code Idempotency-Key} are kept. A write's record rides in
 * the write's own transaction ({@link ContactStore#write}); this port reads records and keeps the
 * answers of requests that write nothing. The contact store is one ({@link ContactStore} extends
 * it), so the one attempt loop reads and keeps records through it.
 */
public interface IdempotencyStore {

  /** This store with every call bounded by the caller's remaining time. */
  default IdempotencyStore within(Deadline deadline) {
    return this;
  }

  /** The record, read consistently, expired or not (the caller judges it at its own clock). */
  Optional<Record> find(RecordId id);

  /**
   * Keeps {@code record} unless a record live at {@code now} holds its key.
   *
   * @throws ContactStore.Conflict when a live record holds the key: read it and replay it
   * @throws ContactStore.Unavailable when the store throttled or failed after its own retries
   */
  void record(Record record, Instant now);
}
