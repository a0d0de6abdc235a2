package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a write changes an existing contact (SPEC 3.4, and 8 on top of it): present fields overwrite,
 * or with {@code preserveExisting} fill only empty ones; tags are added, never removed (except
 * those a patch names in {@code removeTags}); a change moves {@code updatedAt} strictly forward and
 * a no-op is no change at all. Identifier rules (who may hold a phone or email) are the caller's:
 * {@code fields} holds only the identifiers the contact may take.
 */
public final class ContactChange {

  private ContactChange() {}

  /** {@code existing} with {@code fields} merged in, or empty when nothing would change. */
  public static Optional<Contact> apply(
      Contact existing,
      ContactFields fields,
      boolean preserve,
      Collection<String> removeTags,
      Workspace workspace,
      Instant now) {
    Map<String, String> values = new HashMap<>(existing.customFieldValues());
    fields
        .customFields()
        .forEach(
            (name, value) -> {
              String id = fieldId(workspace, name);
              if (preserve) {
                if (value != null && isEmpty(values.get(id))) {
                  values.put(id, value);
                }
              } else if (value == null) {
                values.remove(id);
              } else {
                values.put(id, value);
              }
            });
    List<String> tags =
        Tags.union(existing.tags(), fields.tags()).stream()
            .filter(t -> !removeTags.contains(t))
            .toList();
    Contact merged =
        new Contact(
            existing.id(),
            existing.workspaceId(),
            existing.accountId(),
            merge(existing.firstName(), fields.firstName(), preserve),
            merge(existing.lastName(), fields.lastName(), preserve),
            merge(existing.email(), fields.email(), preserve),
            merge(existing.phone(), fields.phone(), preserve),
            merge(existing.timezone(), fields.timezone(), preserve),
            tags,
            values,
            existing.createdAt(),
            nextUpdatedAt(existing.updatedAt(), now),
            null,
            existing.version() + 1);
    return merged.sameContentAs(existing) ? Optional.empty() : Optional.of(merged);
  }

  /** At least 1 ms past {@code previous}, whatever this machine's clock says. */
  static Instant nextUpdatedAt(Instant previous, Instant now) {
    Instant floor = previous.plusMillis(1);
    return now.isBefore(floor) ? floor : now;
  }

  // A present value overwrites, unless preserving and the current value is not empty.
  // "" means cleared, so it is kept as null.
  private static String merge(String current, String requested, boolean preserve) {
    if (requested == null || (preserve && !isEmpty(current))) {
      return current;
    }
    return emptyToNull(requested);
  }

  static String fieldId(Workspace workspace, String displayName) {
    return workspace
        .fieldNamed(displayName)
        .orElseThrow(() -> new IllegalArgumentException("custom field not validated"))
        .id();
  }

  static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  static String emptyToNull(String value) {
    return isEmpty(value) ? null : value;
  }
}
