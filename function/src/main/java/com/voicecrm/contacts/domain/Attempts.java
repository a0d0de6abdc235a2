package com.voicecrm.contacts.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What earlier attempts of one request tried to write. A write whose response was lost (a timeout,
 * a 5xx after DynamoDB applied it) may have been applied; the next attempt reads the store again
 * and recognises its own effect here, so a lost-response create still answers 201 (never a 409
 * naming itself) and a lost-response delete still answers 204.
 */
public record Attempts(List<Attempts.Tried> tried) {

  /** One write an attempt started: the contact state it wrote; {@code create} when it was new. */
  public record Tried(Contact contact, boolean create) {}

  public static final Attempts NONE = new Attempts(List.of());

  public Attempts {
    tried = List.copyOf(tried);
  }

  /** These attempts and one more write. */
  public Attempts and(Contact contact, boolean create) {
    List<Tried> more = new ArrayList<>(tried);
    more.add(new Tried(contact, create));
    return new Attempts(more);
  }

  /** The contact as this request tried to create it under {@code contactId}, if it did. */
  public Optional<Contact> created(String contactId) {
    return tried.stream()
        .filter(t -> t.create() && t.contact().id().equals(contactId))
        .map(Tried::contact)
        .findFirst();
  }

  /**
   * Whether {@code stored} is exactly a state this request wrote, every field equal. The version
   * alone is not enough: writers racing on one contact all try the same next version, and the loser
   * must not take the winner's write for its own.
   */
  public boolean wrote(Contact stored) {
    return tried.stream().map(Tried::contact).anyMatch(stored::equals);
  }
}
