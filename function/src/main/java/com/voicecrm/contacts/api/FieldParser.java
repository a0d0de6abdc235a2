package com.voicecrm.contacts.api;

import com.voicecrm.contacts.domain.Access;
import com.voicecrm.contacts.domain.ContactFields;
import com.voicecrm.contacts.domain.FieldError;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of one JSON object (SPEC 3.1) into typed values, collecting every problem
 * instead of stopping at the first, so a client fixes its request in one round trip. A field that
 * fails reads as absent. A JSON {@code null} reads as absent too; a route for which null means
 * "clear" asks {@link #isNull} first.
 */
final class FieldParser {

  private static final Set<String> ZONE_IDS = ZoneId.getAvailableZoneIds();

  private final Map<String, Object> body;
  private final boolean nullClears;
  private final List<FieldError> errors = new ArrayList<>();

  /** A body where JSON null means "absent" (SPEC 3.1). */
  FieldParser(Map<String, Object> body) {
    this(body, false);
  }

  /**
   * With {@code nullClears} (JSON Merge Patch, SPEC 8) a JSON null name, email, phone or timezone
   * reads as {@code ""}: clear it.
   */
  FieldParser(Map<String, Object> body, boolean nullClears) {
    this.body = body;
    this.nullClears = nullClears;
  }

  private boolean cleared(String field) {
    return nullClears && isNull(field);
  }

  /** Every problem found so far, in the order found. */
  List<FieldError> errors() {
    return List.copyOf(errors);
  }

  void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** Names each field of the body that is not in {@code known}, or has its own message. */
  void rejectFields(Set<String> known, Map<String, String> refused) {
    for (String field : body.keySet()) {
      if (refused.containsKey(field)) {
        error(field, refused.get(field));
      } else if (!known.contains(field)) {
        error(field, "Unknown field");
      }
    }
  }

  /** Whether the body sends {@code field} with a value other than JSON null. */
  boolean has(String field) {
    return body.get(field) != null;
  }

  /** Whether the body sends {@code field} as JSON null. */
  boolean isNull(String field) {
    return body.containsKey(field) && body.get(field) == null;
  }

  /** The seven contact fields. */
  ContactFields contactFields() {
    return contactFields(() -> {});
  }

  /**
   * The seven contact fields, with {@code afterTimezone} reading a route's own fields in between,
   * so errors are listed in the order the fields are documented.
   */
  ContactFields contactFields(Runnable afterTimezone) {
    String firstName = name("firstName");
    String lastName = name("lastName");
    String email = email();
    String phone = phone();
    String timezone = timezone();
    afterTimezone.run();
    return new ContactFields(
        firstName, lastName, email, phone, timezone, tags("tags"), customFields());
  }

  String workspaceId() {
    Object value = body.get("workspaceId");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || !Access.isUuid(text)) {
      error("workspaceId", "workspaceId must be a UUID");
      return null;
    }
    return text.toLowerCase(Locale.ROOT);
  }

  String name(String field) {
    if (cleared(field)) {
      return "";
    }
    String text = string(field);
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (FieldRules.length(trimmed) > FieldRules.MAX_NAME_LENGTH) {
      error(field, "Must be at most " + FieldRules.MAX_NAME_LENGTH + " characters");
      return null;
    }
    return trimmed;
  }

  String email() {
    if (cleared("email")) {
      return "";
    }
    String text = string("email");
    if (text == null) {
      return null;
    }
    return FieldRules.email("email", text, errors);
  }

  String phone() {
    if (cleared("phone")) {
      return "";
    }
    String text = string("phone");
    if (text == null) {
      return null;
    }
    return FieldRules.phone("phone", text, "", errors);
  }

  String timezone() {
    if (cleared("timezone")) {
      return "";
    }
    String text = string("timezone");
    if (text == null) {
      return null;
    }
    if (!ZONE_IDS.contains(text)) {
      error("timezone", "Must be an IANA timezone such as America/New_York");
      return null;
    }
    return text;
  }

  boolean flag(String field) {
    Object value = body.get(field);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    error(field, "Must be true or false");
    return false;
  }

  /** Tags trimmed, 1–255 characters, duplicates collapsed, at most 100 distinct. */
  List<String> tags(String field) {
    Object value = body.get(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      error(field, "Must be an array of strings");
      return List.of();
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String item = field + "[" + i + "]";
      if (!(items.get(i) instanceof String text)) {
        error(item, "Must be a string");
        continue;
      }
      String tag = FieldRules.tag(item, text, errors);
      if (tag != null) {
        distinct.add(tag);
      }
    }
    if (distinct.size() > FieldRules.MAX_TAGS) {
      error(field, "At most " + FieldRules.MAX_TAGS + " distinct tags per request");
      return List.of();
    }
    return List.copyOf(distinct);
  }

  /** Values as text: strings as sent, numbers as written, booleans as true/false, null kept. */
  Map<String, String> customFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    Object value = body.get("customFields");
    if (value == null) {
      return fields;
    }
    if (!(value instanceof Map<?, ?> entries)) {
      error("customFields", "Must be an object");
      return fields;
    }
    for (Map.Entry<?, ?> entry : entries.entrySet()) {
      String name = (String) entry.getKey();
      String field = "customFields." + name;
      Object raw = entry.getValue();
      String text;
      if (raw == null) {
        text = null;
      } else if (raw instanceof String s) {
        text = s;
      } else if (raw instanceof NumberText n) {
        text = n.text();
      } else if (raw instanceof Boolean b) {
        text = b.toString();
      } else {
        error(field, "Must be a string, number, boolean or null");
        continue;
      }
      if (text != null && FieldRules.length(text) > FieldRules.MAX_CUSTOM_VALUE_LENGTH) {
        error(field, "Must be at most " + FieldRules.MAX_CUSTOM_VALUE_LENGTH + " characters");
        continue;
      }
      fields.put(name, text);
    }
    return fields;
  }

  private String string(String field) {
    Object value = body.get(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      return text;
    }
    error(field, "Must be a string");
    return null;
  }
}
