package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Where contacts, their identifier claims, workspaces and tag registrations live. Every read that a
 * write decision depends on is strongly consistent; every write is all or nothing.
 */
public interface ContactStore {

  /**
   * This store with every call bounded by the caller's remaining time, so no single call outlives
   * the request (a call that cannot start in time fails as {@link Unavailable}). By default calls
   * are bounded only by the store's own timeouts.
   */
  default ContactStore within(LongSupplier remainingMillis) {
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

  /** The contact, active or deleted, read consistently. */
  Optional<Contact> findContact(String contactId);

  /**
   * Writes a contact together with its identifier claims, releases and tag registrations, in one
   * transaction that only succeeds if the contact is still at {@code expectedVersion} (or does not
   * exist yet), every claimed identifier is free and every released one is still the contact's.
   *
   * @throws Conflict when a condition failed or another transaction interfered: read and decide
   *     again
   * @throws Unavailable when the store throttled or failed after its own retries
   * @throws TooLarge when the contact would not fit in what the store keeps for one contact
   */
  void write(ContactWrite write);

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
      Set<String> registeredTags) {}

  /**
   * One atomic change to one contact; {@code expectedVersion} is null for a create. {@code
   * tagsRemoved} names the tags the write takes off the contact (PATCH removeTags), whose list
   * index memberships the store deletes with the write.
   */
  record ContactWrite(
      Contact contact,
      Long expectedVersion,
      List<Identifier> claims,
      List<Identifier> releases,
      Set<String> tagsToRegister,
      Instant at,
      Set<String> tagsRemoved) {

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

  /** The store could not answer in time; nothing was written. */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
