package com.voicecrm.contacts.domain;

import java.util.List;
import java.util.Optional;

/** A workspace of an account, with its custom field definitions and default timezone. */
public record Workspace(
    String id,
    String accountId,
    String name,
    String defaultTimezone,
    List<CustomFieldDefinition> customFields) {

  public Workspace {
    customFields = List.copyOf(customFields);
  }

  public Optional<CustomFieldDefinition> fieldNamed(String displayName) {
    return customFields.stream().filter(f -> f.name().equals(displayName)).findFirst();
  }

  public Optional<CustomFieldDefinition> fieldWithId(String fieldId) {
    return customFields.stream().filter(f -> f.id().equals(fieldId)).findFirst();
  }
}
