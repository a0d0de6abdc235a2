package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** How a contact is created (SPEC 3.3), by an upsert that matched nobody or by a create. */
public final class NewContact {

  private NewContact() {}

  /**
   * A new contact from {@code fields}, with {@code createdAt == updatedAt}. The timezone is the
   * caller's, else the phone's single zone, else the workspace default, else none. Custom field
   * names must be the workspace's (checked before).
   */
  public static Contact of(ContactFields fields, Workspace workspace, String id, Instant now) {
    String timezone = fields.timezone();
    if (timezone == null && fields.phone() != null) {
      timezone = PhoneNumbers.timezoneOf(fields.phone()).orElse(null);
    }
    if (timezone == null) {
      timezone = workspace.defaultTimezone();
    }
    Map<String, String> values = new HashMap<>();
    fields
        .customFields()
        .forEach(
            (name, value) -> {
              if (value != null) {
                values.put(ContactChange.fieldId(workspace, name), value);
              }
            });
    return new Contact(
        id,
        workspace.id(),
        workspace.accountId(),
        ContactChange.emptyToNull(fields.firstName()),
        ContactChange.emptyToNull(fields.lastName()),
        ContactChange.emptyToNull(fields.email()),
        ContactChange.emptyToNull(fields.phone()),
        timezone,
        fields.tags(),
        values,
        now,
        now,
        null,
        0);
  }
}
