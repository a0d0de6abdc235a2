package com.voicecrm.contacts.domain;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every rule of SPEC section 3.1 that needs nothing but the request itself. It collects all
 * problems before failing, so a client fixes its request in one round trip. Custom field names are
 * checked against the workspace later, by {@link #unknownCustomFields}.
 */
public final class UpsertRequestValidator {

  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_EMAIL_LENGTH = 254;
  static final int MAX_TAG_LENGTH = 255;
  static final int MAX_TAGS = 100;
  static final int MAX_CUSTOM_VALUE_LENGTH = 10_000;

  static final String PRESERVE_EXISTING_ON_CREATE =
      "Unknown field: a create has nothing to preserve; use POST /v1/contacts/upsert";

  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "workspaceId",
          "firstName",
          "lastName",
          "email",
          "phone",
          "timezone",
          "preserveExisting",
          "tags",
          "customFields");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Set<String> ZONE_IDS = ZoneId.getAvailableZoneIds();

  /** The outcome: a request to act on when {@code errors} is empty. */
  public record Result(UpsertRequest request, List<FieldError> errors) {
    public boolean isValid() {
      return errors.isEmpty();
    }
  }

  /**
   * Validates a JSON object whose values are String, Boolean, {@link NumberText}, List, Map or
   * null. The returned request holds every field that passed, even when others failed.
   */
  public Result validate(Map<String, Object> body) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : body.keySet()) {
      if (!KNOWN_FIELDS.contains(field)) {
        errors.add(new FieldError(field, "Unknown field"));
      }
    }
    return validateKnownFields(body, errors);
  }

  /**
   * The body of a create (SPEC 7): the upsert fields except {@code preserveExisting}, which has
   * nothing to preserve on a create and is rejected whatever its value, like any unknown field.
   */
  public Result validateCreate(Map<String, Object> body) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : body.keySet()) {
      if (field.equals("preserveExisting")) {
        errors.add(new FieldError(field, PRESERVE_EXISTING_ON_CREATE));
      } else if (!KNOWN_FIELDS.contains(field)) {
        errors.add(new FieldError(field, "Unknown field"));
      }
    }
    Map<String, Object> known = new LinkedHashMap<>(body);
    known.remove("preserveExisting");
    return validateKnownFields(known, errors);
  }

  private Result validateKnownFields(Map<String, Object> body, List<FieldError> errors) {
    String workspaceId = workspaceId(body.get("workspaceId"), errors);
    String firstName = name("firstName", body.get("firstName"), errors);
    String lastName = name("lastName", body.get("lastName"), errors);
    String email = email(body.get("email"), errors);
    String phone = phone(body.get("phone"), errors);
    String timezone = timezone(body.get("timezone"), errors);
    boolean preserveExisting = preserveExisting(body.get("preserveExisting"), errors);
    List<String> tags = tags(body.get("tags"), errors);
    Map<String, String> customFields = customFields(body.get("customFields"), errors);
    if (body.get("phone") == null && body.get("email") == null) {
      errors.add(new FieldError("phone", "At least one of phone or email is required"));
    }
    UpsertRequest request =
        new UpsertRequest(
            workspaceId,
            firstName,
            lastName,
            email,
            phone,
            timezone,
            preserveExisting,
            tags,
            customFields);
    return new Result(request, List.copyOf(errors));
  }

  /** Custom field names of the request that the workspace does not define (exact match). */
  public static List<FieldError> unknownCustomFields(UpsertRequest request, Workspace workspace) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : request.customFields().keySet()) {
      if (workspace.fieldNamed(name).isEmpty()) {
        errors.add(
            new FieldError(
                "customFields." + name, "No custom field with this name in the workspace"));
      }
    }
    return errors;
  }

  /** Whether {@code value} is a UUID in its canonical 8-4-4-4-12 form. */
  public static boolean isUuid(String value) {
    return value != null && UUID.matcher(value).matches();
  }

  private static String workspaceId(Object value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || !isUuid(text)) {
      errors.add(new FieldError("workspaceId", "workspaceId must be a UUID"));
      return null;
    }
    return text.toLowerCase(java.util.Locale.ROOT);
  }

  private static String name(String field, Object value, List<FieldError> errors) {
    String text = string(field, value, errors);
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (length(trimmed) > MAX_NAME_LENGTH) {
      errors.add(new FieldError(field, "Must be at most " + MAX_NAME_LENGTH + " characters"));
      return null;
    }
    return trimmed;
  }

  private static String email(Object value, List<FieldError> errors) {
    String text = string("email", value, errors);
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (length(trimmed) > MAX_EMAIL_LENGTH) {
      errors.add(new FieldError("email", "Must be at most " + MAX_EMAIL_LENGTH + " characters"));
      return null;
    }
    if (!isEmail(trimmed)) {
      errors.add(new FieldError("email", "Must be an email address such as name@example.com"));
      return null;
    }
    return trimmed;
  }

  static boolean isEmail(String text) {
    int at = text.indexOf('@');
    if (at <= 0 || at != text.lastIndexOf('@')) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
        return false;
      }
    }
    String domain = text.substring(at + 1);
    int dot = domain.indexOf('.');
    return dot > 0 && !domain.endsWith(".") && !domain.contains("..");
  }

  private static String phone(Object value, List<FieldError> errors) {
    String text = string("phone", value, errors);
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith("+")) {
      errors.add(new FieldError("phone", "Must start with + and the country code"));
      return null;
    }
    return PhoneNumbers.toE164(trimmed)
        .orElseGet(
            () -> {
              errors.add(new FieldError("phone", "Not a possible phone number"));
              return null;
            });
  }

  private static String timezone(Object value, List<FieldError> errors) {
    String text = string("timezone", value, errors);
    if (text == null) {
      return null;
    }
    if (!ZONE_IDS.contains(text)) {
      errors.add(new FieldError("timezone", "Must be an IANA timezone such as America/New_York"));
      return null;
    }
    return text;
  }

  private static boolean preserveExisting(Object value, List<FieldError> errors) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    errors.add(new FieldError("preserveExisting", "Must be true or false"));
    return false;
  }

  private static List<String> tags(Object value, List<FieldError> errors) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      errors.add(new FieldError("tags", "Must be an array of strings"));
      return List.of();
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String field = "tags[" + i + "]";
      if (!(items.get(i) instanceof String text)) {
        errors.add(new FieldError(field, "Must be a string"));
        continue;
      }
      String tag = text.strip();
      int length = length(tag);
      if (length < 1 || length > MAX_TAG_LENGTH) {
        errors.add(new FieldError(field, "Must be 1 to " + MAX_TAG_LENGTH + " characters"));
        continue;
      }
      distinct.add(tag);
    }
    if (distinct.size() > MAX_TAGS) {
      errors.add(new FieldError("tags", "At most " + MAX_TAGS + " distinct tags per request"));
      return List.of();
    }
    return List.copyOf(distinct);
  }

  private static Map<String, String> customFields(Object value, List<FieldError> errors) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (value == null) {
      return fields;
    }
    if (!(value instanceof Map<?, ?> entries)) {
      errors.add(new FieldError("customFields", "Must be an object"));
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
        errors.add(new FieldError(field, "Must be a string, number, boolean or null"));
        continue;
      }
      if (text != null && length(text) > MAX_CUSTOM_VALUE_LENGTH) {
        errors.add(
            new FieldError(field, "Must be at most " + MAX_CUSTOM_VALUE_LENGTH + " characters"));
        continue;
      }
      fields.put(name, text);
    }
    return fields;
  }

  private static String string(String field, Object value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      return text;
    }
    errors.add(new FieldError(field, "Must be a string"));
    return null;
  }

  private static int length(String text) {
    return text.codePointCount(0, text.length());
  }
}
