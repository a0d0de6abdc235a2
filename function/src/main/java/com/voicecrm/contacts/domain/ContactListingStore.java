package com.voicecrm.contacts.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the list route (SPEC 9) reads: the order of a workspace's (or one tag's) active contacts
 * from an index that may lag writes, and the contacts themselves, consistently. Never a scan.
 */
public interface ContactListingStore {

  /**
   * This store with every call bounded by the request's deadline (as {@link ContactStore#within}).
   */
  default ContactListingStore within(Deadline deadline) {
    return this;
  }

  /**
   * Index entries strictly after {@code after} (null: from the start) in the order (updatedAt, id),
   * at most {@code max}: those of every active contact of the workspace, or with {@code tag} of
   * those holding it. Eventually consistent: an entry may be stale, or missing for a moment.
   */
  IndexEntries entriesAfter(String workspaceId, String tag, ListPosition after, int max);

  /** The contacts with these ids, active or deleted, read consistently; unknown ids are absent. */
  Map<String, Contact> contacts(Collection<String> ids);

  /** The contact the workspace's claim on {@code identifier} names, read consistently. */
  Optional<Contact> holderOf(String workspaceId, Identifier identifier);

  /** Entries in order; {@code more} when the index may hold entries after the last one. */
  record IndexEntries(List<ListPosition> positions, boolean more) {}
}
