package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A contact as stored. Empty text fields are {@code null}; {@code tags} is in display order; custom
 * field values are keyed by field id (not display name), so renaming a field renames it everywhere.
 * {@code version} increases with every write and guards against lost updates.
 */
public record Contact(
    String id,
    String workspaceId,
    String accountId,
    String firstName,
    String lastName,
    String email,
    String phone,
    String timezone,
    List<String> tags,
    Map<String, String> customFieldValues,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt,
    long version) {

  public Contact {
    tags = Tags.sorted(tags);
    customFieldValues = Map.copyOf(customFieldValues);
  }

  /** This contact soft-deleted at {@code at}: all its data kept, its version advanced. */
  public Contact softDeleted(Instant at) {
    return new Contact(
        id,
        workspaceId,
        accountId,
        firstName,
        lastName,
        email,
        phone,
        timezone,
        tags,
        customFieldValues,
        createdAt,
        updatedAt,
        at,
        version + 1);
  }

  public boolean isDeleted() {
    return deletedAt != null;
  }

  /** The key under which this contact's email is unique in its workspace, or null. */
  public String emailKey() {
    return Emails.key(email);
  }

  /** True when both hold the same client-visible data, whatever their timestamps and versions. */
  public boolean sameContentAs(Contact other) {
    return Objects.equals(firstName, other.firstName)
        && Objects.equals(lastName, other.lastName)
        && Objects.equals(email, other.email)
        && Objects.equals(phone, other.phone)
        && Objects.equals(timezone, other.timezone)
        && tags.equals(other.tags)
        && customFieldValues.equals(other.customFieldValues);
  }
}
