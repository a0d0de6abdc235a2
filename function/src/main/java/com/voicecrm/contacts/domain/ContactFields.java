package com.voicecrm.contacts.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contact fields of a write (SPEC 3.1), parsed and normalised: {@code phone} is E.164, {@code
 * email} and names trimmed, {@code tags} trimmed and distinct. A {@code null} field is absent;
 * {@code ""} asks to clear it. {@code customFields} is keyed by display name and a {@code null}
 * value asks to clear that field.
 */
public record ContactFields(
    String firstName,
    String lastName,
    String email,
    String phone,
    String timezone,
    List<String> tags,
    Map<String, String> customFields) {

  public static final ContactFields NONE =
      new ContactFields(null, null, null, null, null, List.of(), Map.of());

  public ContactFields {
    tags = List.copyOf(tags);
    customFields = Collections.unmodifiableMap(new LinkedHashMap<>(customFields));
  }

  /** The phone as an identifier, or null when the write names no phone (or clears it). */
  public Identifier phoneIdentifier() {
    return isEmpty(phone) ? null : Identifier.phone(phone);
  }

  /** The email as an identifier, or null when the write names no email (or clears it). */
  public Identifier emailIdentifier() {
    return isEmpty(email) ? null : Identifier.email(email);
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
