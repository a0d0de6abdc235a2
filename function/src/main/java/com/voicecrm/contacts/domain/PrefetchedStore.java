package com.voicecrm.contacts.domain;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A store whose first upsert read, and first read of the contact it matched, are answered from what
 * a batch already read for every item at once; every later read (a retry deciding again) goes to
 * the store. So the first attempt of the first item of each chain costs no read of its own.
 */
final class PrefetchedStore implements ContactStore {

  private final ContactStore store;
  private final UpsertSnapshot snapshot;
  private final Contact matched;
  private final AtomicBoolean snapshotUsed;
  private final AtomicBoolean contactUsed;

  /**
   * @param snapshot what {@link #readForUpsert} answers once
   * @param matched the contact the snapshot matched, or null (then read from the store)
   */
  PrefetchedStore(ContactStore store, UpsertSnapshot snapshot, Contact matched) {
    this(store, snapshot, matched, new AtomicBoolean(), new AtomicBoolean());
  }

  private PrefetchedStore(
      ContactStore store,
      UpsertSnapshot snapshot,
      Contact matched,
      AtomicBoolean snapshotUsed,
      AtomicBoolean contactUsed) {
    this.store = store;
    this.snapshot = snapshot;
    this.matched = matched;
    this.snapshotUsed = snapshotUsed;
    this.contactUsed = contactUsed;
  }

  @Override
  public ContactStore within(LongSupplier remainingMillis) {
    return new PrefetchedStore(
        store.within(remainingMillis), snapshot, matched, snapshotUsed, contactUsed);
  }

  @Override
  public Optional<Workspace> findWorkspace(String workspaceId) {
    if (snapshot.workspace().filter(w -> w.id().equals(workspaceId)).isPresent()) {
      return snapshot.workspace(); // read with the batch; a workspace does not change within it
    }
    return store.findWorkspace(workspaceId);
  }

  @Override
  public UpsertSnapshot readForUpsert(
      String workspaceId, Identifier phone, Identifier email, Collection<String> tags) {
    if (snapshotUsed.compareAndSet(false, true)) {
      return snapshot;
    }
    // A later attempt lost a race: decide again from a fresh read.
    contactUsed.set(true);
    return store.readForUpsert(workspaceId, phone, email, tags);
  }

  @Override
  public Optional<Contact> findContact(String contactId) {
    if (matched != null
        && Objects.equals(matched.id(), contactId)
        && contactUsed.compareAndSet(false, true)) {
      return Optional.of(matched);
    }
    return store.findContact(contactId);
  }

  @Override
  public void write(ContactWrite write) {
    store.write(write);
  }

  @Override
  public void primeWritePath(Contact contact) {
    store.primeWritePath(contact);
  }
}
