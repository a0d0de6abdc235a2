package com.voicecrm.contacts.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What every write's attempt does around its decision: the read it decides from, the key's record
 * replayed before any decision and the decided write carrying the request's answer (SPEC 11, with
 * an {@code Idempotency-Key}; {@code idempotent} null: none), and the time it decides at.
 */
final class WriteSteps {

  private final Clock clock;

  WriteSteps(Clock clock) {
    this.clock = clock;
  }

  /**
   * The consistent read a write decides from: the workspace, the owners of the phone and email, the
   * tags' registrations and, with a key, its record, in one round trip. The caller checks the
   * record first, then that the key reaches the workspace (404).
   */
  static ContactStore.UpsertSnapshot read(
      ContactStore store, String workspaceId, ContactFields fields, IdempotentWrite idempotent) {
    return store.readForUpsert(
        workspaceId,
        fields.phoneIdentifier(),
        fields.emailIdentifier(),
        fields.tags(),
        idempotent == null ? null : idempotent.claim().id());
  }

  /** The replay of the key's live record of this request, if {@code read} holds one. */
  Optional<Decision> replayOf(IdempotentWrite idempotent, ContactStore.UpsertSnapshot read) {
    return idempotent == null
        ? Optional.empty()
        : idempotent.replayOf(read.idempotencyRecord(), clock.instant());
  }

  /**
   * The replay of the key's live record of this request, read on its own: a write on one contact
   * looks for it before the contact, so a replay stays the first answer whatever became of it.
   */
  Optional<Decision> replayOf(IdempotentWrite idempotent, ContactStore store) {
    return idempotent == null
        ? Optional.empty()
        : idempotent.replayOf(store.find(idempotent.claim().id()), clock.instant());
  }

  /** {@code decision}, its write carrying the request's answer when it has a key. */
  static Decision recorded(
      IdempotentWrite idempotent, Decision decision, Workspace workspace, Instant now) {
    return idempotent == null ? decision : idempotent.recordedIn(decision, workspace, now);
  }

  /** A pure decision on a snapshot at a time. */
  interface Decide {
    Decision on(WriteSnapshot snapshot, Instant now);
  }

  /** {@code decide} on {@code snapshot} now, its write carrying the request's answer. */
  Decision decide(IdempotentWrite idempotent, WriteSnapshot snapshot, Decide decide) {
    Instant now = now();
    return recorded(idempotent, decide.on(snapshot, now), snapshot.workspace(), now);
  }

  static WriteSnapshot snapshot(
      ContactStore.UpsertSnapshot read, Contact target, Attempts attempts) {
    return new WriteSnapshot(
        read.workspace().orElseThrow(),
        read.phoneOwnerId(),
        read.emailOwnerId(),
        read.registeredTags(),
        target,
        attempts);
  }

  /** Stored times have millisecond precision. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
