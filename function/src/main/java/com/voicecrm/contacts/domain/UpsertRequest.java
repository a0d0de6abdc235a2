package com.voicecrm.contacts.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated upsert. A {@code null} field was omitted (or sent as JSON null); {@code ""} in a name
 * asks to clear it. {@code phone} is E.164 and {@code email} trimmed. {@code customFields} is keyed
 * by display name and a {@code null} value asks to clear that field.
 */
public record UpsertRequest(
    String workspaceId,
    String firstName,
    String lastName,
    String email,
    String phone,
    String timezone,
    boolean preserveExisting,
    List<String> tags,
    Map<String, String> customFields) {

  public UpsertRequest {
    tags = List.copyOf(tags);
    customFields = Collections.unmodifiableMap(new LinkedHashMap<>(customFields));
  }

  public String emailKey() {
    return Emails.key(email);
  }
}
