package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The create and update rules of SPEC sections 3.3 and 3.4, free of any I/O. */
public final class ContactMerger {

  private ContactMerger() {}

  /**
   * A new contact from {@code request}. The timezone is the caller's, else the phone's single zone,
   * else the workspace default, else none.
   */
  public static Contact create(
      UpsertRequest request, Workspace workspace, String contactId, Instant now) {
    String timezone = request.timezone();
    if (timezone == null && request.phone() != null) {
      timezone = PhoneNumbers.timezoneOf(request.phone()).orElse(null);
    }
    if (timezone == null) {
      timezone = workspace.defaultTimezone();
    }
    Map<String, String> values = new HashMap<>();
    request
        .customFields()
        .forEach(
            (name, value) -> {
              if (value != null) {
                values.put(fieldId(workspace, name), value);
              }
            });
    return new Contact(
        contactId,
        workspace.id(),
        workspace.accountId(),
        emptyToNull(request.firstName()),
        emptyToNull(request.lastName()),
        request.email(),
        request.phone(),
        timezone,
        request.tags(),
        values,
        now,
        now,
        null,
        0);
  }

  /**
   * {@code existing} with {@code request} merged in, or empty when nothing would change. A phone or
   * email held by another active contact is not taken: the contact keeps its own.
   */
  public static Optional<Contact> update(
      Contact existing,
      UpsertRequest request,
      Workspace workspace,
      Instant now,
      boolean phoneHeldByAnother,
      boolean emailHeldByAnother) {
    boolean preserve = request.preserveExisting();
    String phone =
        phoneHeldByAnother ? existing.phone() : merge(existing.phone(), request.phone(), preserve);
    String email =
        emailHeldByAnother ? existing.email() : merge(existing.email(), request.email(), preserve);
    Map<String, String> values = new HashMap<>(existing.customFieldValues());
    request
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
    Contact merged =
        new Contact(
            existing.id(),
            existing.workspaceId(),
            existing.accountId(),
            merge(existing.firstName(), request.firstName(), preserve),
            merge(existing.lastName(), request.lastName(), preserve),
            email,
            phone,
            merge(existing.timezone(), request.timezone(), preserve),
            Tags.union(existing.tags(), request.tags()),
            values,
            existing.createdAt(),
            now,
            null,
            existing.version() + 1);
    return merged.sameContentAs(existing) ? Optional.empty() : Optional.of(merged);
  }

  // A present value overwrites, unless preserving and the current value is not empty.
  // "" stored means cleared, so it is kept as null.
  private static String merge(String current, String requested, boolean preserve) {
    if (requested == null || (preserve && !isEmpty(current))) {
      return current;
    }
    return emptyToNull(requested);
  }

  private static String fieldId(Workspace workspace, String displayName) {
    return workspace
        .fieldNamed(displayName)
        .orElseThrow(() -> new IllegalArgumentException("custom field not validated"))
        .id();
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static String emptyToNull(String value) {
    return isEmpty(value) ? null : value;
  }
}
