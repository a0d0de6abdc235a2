package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The atomic writes a decision asks for: a contact with the identifier claims and releases that
 * keep each phone and email held by at most one active contact (SPEC 3.2, 3.4, 4).
 */
public final class Writes {

  private Writes() {}

  /** A new contact claiming its identifiers. */
  public static ContactWrite create(Contact created, Set<String> newTags, Instant now) {
    return new ContactWrite(created, null, identifiersOf(created), List.of(), newTags, now);
  }

  /**
   * {@code existing} becomes {@code changed}: identifiers it gave up released, new ones claimed.
   */
  public static ContactWrite change(
      Contact existing, Contact changed, Set<String> newTags, Instant now) {
    List<Identifier> before = identifiersOf(existing);
    List<Identifier> after = identifiersOf(changed);
    List<Identifier> claims = after.stream().filter(i -> !before.contains(i)).toList();
    List<Identifier> releases = before.stream().filter(i -> !after.contains(i)).toList();
    // A tag taken off (PATCH removeTags) takes the contact out of that tag's listing.
    Set<String> tagsRemoved = new LinkedHashSet<>(existing.tags());
    tagsRemoved.removeAll(changed.tags());
    return new ContactWrite(
        changed, existing.version(), claims, releases, newTags, now, Set.copyOf(tagsRemoved));
  }

  /** {@code contact} soft-deleted, releasing every identifier. */
  public static ContactWrite delete(Contact contact, Instant now) {
    return new ContactWrite(
        contact.softDeleted(now),
        contact.version(),
        List.of(),
        identifiersOf(contact),
        Set.of(),
        now);
  }

  static List<Identifier> identifiersOf(Contact contact) {
    List<Identifier> identifiers = new ArrayList<>(2);
    if (contact.phone() != null) {
      identifiers.add(Identifier.phone(contact.phone()));
    }
    if (contact.email() != null) {
      identifiers.add(Identifier.email(contact.email()));
    }
    return identifiers;
  }
}
