package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where contacts, their identifier claims, workspaces and tag registrations live. Every read that a
 * write decision depends on is strongly consistent; every write is all or nothing.
 */
public interface ContactStore extends IdempotencyStore {

  /**
   * This store with every call bounded by the request's deadline, so no single call outlives the
   * request (a call that cannot start in time fails as {@link Unavailable}). By default calls are
   * bounded only by the store's own timeouts.
   */
  @Override
  default ContactStore within(Deadline deadline) {
    return this;
  }

  /**
   * This store with the calls of a write also ending by {@code commitBy}, the end of the write's
   * commit window ({@link RetryPolicy#commitWindow}): past it the store gives up on the call
   * ({@link Unavailable}) rather than let it commit late. By default calls are not bounded so.
   */
  default ContactStore committingBy(Deadline commitBy) {
    return this;
  }

  /** The workspace, read consistently. */
  Optional<Workspace> findWorkspace(String workspaceId);

  /**
   * Everything an upsert decides on, in as few round trips as the store allows: the workspace, the
   * active contacts holding the phone and the email, and which of the tags the workspace has.
   */
  UpsertSnapshot readForUpsert(
      String workspaceId, Identifier phone, Identifier email, Collection<String> tags);

  /**
   * As {@link #readForUpsert(String, Identifier, Identifier, Collection)}, with the idempotency
   * record {@code record} (null: none) read in the same round trip (SPEC 11).
   */
  default UpsertSnapshot readForUpsert(
      String workspaceId,
      Identifier phone,
      Identifier email,
      Collection<String> tags,
      Idempotency.RecordId record) {
    if (record != null) {
      throw new UnsupportedOperationException("this store keeps no idempotency records");
    }
    return readForUpsert(workspaceId, phone, email, tags);
  }

  /**
   * The idempotency record, read consistently, expired or not (SPEC 11). By default this store
   * keeps none.
   */
  @Override
  default Optional<Idempotency.Record> find(Idempotency.RecordId record) {
    throw new UnsupportedOperationException("this store keeps no idempotency records");
  }

  /**
   * Keeps an answer no write carries, unless a live record holds its key (SPEC 11). By default this
   * store keeps none.
   */
  @Override
  default void record(Idempotency.Record record, Instant now) {
    throw new UnsupportedOperationException("this store keeps no idempotency records");
  }

  /** The contact, active or deleted, read consistently. */
  Optional<Contact> findContact(String contactId);

  /**
   * Writes a contact together with its identifier claims, releases and tag registrations, in one
   * transaction that only succeeds if the contact is still at {@code expectedVersion} (or does not
   * exist yet), every claimed identifier is free and every released one is still the contact's.
   *
   * <p>Either result means the store now holds exactly {@code write.contact()} with the write's
   * claims, releases and tags. {@link WriteResult#ALREADY_WRITTEN} is learnt from the failed
   * condition itself (DynamoDB returns the item it found): the contact was already stored exactly
   * as this write puts it, so an earlier attempt of the same write was applied and its answer lost.
   * That is how a call retried after a lost response is told apart from a lost race; a caller may
   * also send the identical write again after {@link Unavailable} to learn whether it landed.
   *
   * @throws Conflict when a condition failed on any other state (another request changed the
   *     contact, holds a claimed identifier or no longer holds a released one) or another
   *     transaction interfered: nothing was written by this call; read and decide again
   * @throws Unavailable when the store throttled or failed after its own retries: the write may or
   *     may not have been applied
   * @throws TooLarge when the contact would not fit in what the store keeps for one contact
   */
  WriteResult write(ContactWrite write);

  /** What {@link #write} did; either way the store holds the write. */
  enum WriteResult {
    /** This call applied the write. */
    WRITTEN,
    /** An earlier attempt of this same write had been applied; this call changed nothing. */
    ALREADY_WRITTEN
  }

  /**
   * Before a SnapStart snapshot: runs the write path once (mapping {@code contact} to an item and
   * back, a transaction and its cancellation) so the restored function does not load it on its
   * first write, and writes nothing.
   */
  default void primeWritePath(Contact contact) {}

  /** What {@link #readForUpsert} found; owner ids are null where nobody holds the identifier. */
  record UpsertSnapshot(
      Optional<Workspace> workspace,
      String phoneOwnerId,
      String emailOwnerId,
      Set<String> registeredTags,
      Optional<Idempotency.Record> idempotencyRecord) {

    public UpsertSnapshot(
        Optional<Workspace> workspace,
        String phoneOwnerId,
        String emailOwnerId,
        Set<String> registeredTags) {
      this(workspace, phoneOwnerId, emailOwnerId, registeredTags, Optional.empty());
    }
  }

  /**
   * One atomic change to one contact; {@code expectedVersion} is null for a create. {@code
   * tagsRemoved} names the tags the write takes off the contact (PATCH removeTags), whose list
   * index memberships the store deletes with the write. {@code idempotencyRecord} (null: none) is
   * the answer of the request that makes the change, committed with it only while no live record
   * holds its key (SPEC 11).
   */
  record ContactWrite(
      Contact contact,
      Long expectedVersion,
      List<Identifier> claims,
      List<Identifier> releases,
      Set<String> tagsToRegister,
      Instant at,
      Set<String> tagsRemoved,
      Idempotency.Record idempotencyRecord) {

    /** A write that takes no tag off the contact (upsert, create, delete). */
    public ContactWrite(
        Contact contact,
        Long expectedVersion,
        List<Identifier> claims,
        List<Identifier> releases,
        Set<String> tagsToRegister,
        Instant at) {
      this(contact, expectedVersion, claims, releases, tagsToRegister, at, Set.of());
    }

    /** A write without an idempotency record. */
    public ContactWrite(
        Contact contact,
        Long expectedVersion,
        List<Identifier> claims,
        List<Identifier> releases,
        Set<String> tagsToRegister,
        Instant at,
        Set<String> tagsRemoved) {
      this(contact, expectedVersion, claims, releases, tagsToRegister, at, tagsRemoved, null);
    }

    /** This write with {@code record} committed in its transaction. */
    public ContactWrite withRecord(Idempotency.Record record) {
      return new ContactWrite(
          contact, expectedVersion, claims, releases, tagsToRegister, at, tagsRemoved, record);
    }
  }

  /** The write lost a race; nothing was written. */
  final class Conflict extends RuntimeException {
    public Conflict(String message) {
      super(message, null, false, false);
    }
  }

  /** The contact would be larger than the store can keep; nothing was written. */
  final class TooLarge extends RuntimeException {
    public TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The store could not answer in time. A read can simply be retried; a write may have been applied
   * with its answer lost.
   */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
