package com.voicecrm.contacts.api;

import static com.voicecrm.contacts.domain.ListQuery.CURSOR;
import static com.voicecrm.contacts.domain.ListQuery.EMAIL;
import static com.voicecrm.contacts.domain.ListQuery.LIMIT;
import static com.voicecrm.contacts.domain.ListQuery.PHONE;
import static com.voicecrm.contacts.domain.ListQuery.TAG;
import static com.voicecrm.contacts.domain.ListQuery.UPDATED_AFTER;
import static com.voicecrm.contacts.domain.ListQuery.WORKSPACE_ID;

import com.voicecrm.contacts.domain.Access;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.ListQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the query string of {@code GET /v1/contacts} (SPEC 9) into the typed {@link ListQuery},
 * listing every problem: unknown names, repeated parameters, bad values, more than one filter. A
 * phone, an email and a tag are read by SPEC 3.1's rules ({@link FieldRules}), as a body is.
 */
final class ListQueryParser {

  /** The filters, in the order their problems are listed. */
  static final List<String> FILTERS = List.of(PHONE, EMAIL, TAG, UPDATED_AFTER);

  private static final Set<String> KNOWN =
      Set.of(WORKSPACE_ID, LIMIT, CURSOR, PHONE, EMAIL, TAG, UPDATED_AFTER);

  // A '+' sent unencoded in a query string arrives as a space.
  private static final String PLUS_HINT = " (send + as %2B in a query string)";

  private ListQueryParser() {}

  /**
   * The query, or every problem with the parameters (the query is then partial).
   *
   * @param parameters each name with every value it was given
   */
  static ListQuery.Parsed parse(Map<String, List<String>> parameters) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, List<String>> given = parameters == null ? Map.of() : parameters;
    for (String name : new TreeSet<>(given.keySet())) {
      if (!KNOWN.contains(name)) {
        errors.add(new FieldError(name, "Unknown query parameter"));
      }
    }
    String workspaceId = single(given, WORKSPACE_ID, errors);
    if (workspaceId != null) {
      if (Access.isUuid(workspaceId)) {
        workspaceId = workspaceId.toLowerCase(Locale.ROOT);
      } else {
        errors.add(new FieldError(WORKSPACE_ID, "workspaceId must be a UUID"));
        workspaceId = null;
      }
    }
    int limit = limit(single(given, LIMIT, errors), errors);
    String cursor = single(given, CURSOR, errors);

    List<String> filtersGiven = FILTERS.stream().filter(given::containsKey).toList();
    if (filtersGiven.size() > 1) {
      String message = "At most one filter may be given; got " + String.join(", ", filtersGiven);
      filtersGiven.forEach(name -> errors.add(new FieldError(name, message)));
    }
    ListQuery.Filter filter = new ListQuery.All();
    for (String name : filtersGiven) {
      String value = single(given, name, errors);
      ListQuery.Filter parsed = value == null ? null : filter(name, value, errors);
      if (parsed != null && filtersGiven.size() == 1) {
        filter = parsed;
      }
    }
    return new ListQuery.Parsed(new ListQuery(workspaceId, limit, filter, cursor), errors);
  }

  private static String single(
      Map<String, List<String>> given, String name, List<FieldError> errors) {
    List<String> values = given.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      errors.add(new FieldError(name, "Must be given once"));
      return null;
    }
    return values.get(0) == null ? "" : values.get(0);
  }

  private static int limit(String text, List<FieldError> errors) {
    if (text == null) {
      return ListQuery.DEFAULT_LIMIT;
    }
    String message = "Must be a whole number from 1 to " + ListQuery.MAX_LIMIT;
    if (!text.matches("[0-9]{1,3}")) {
      errors.add(new FieldError(LIMIT, message));
      return ListQuery.DEFAULT_LIMIT;
    }
    int limit = Integer.parseInt(text);
    if (limit < 1 || limit > ListQuery.MAX_LIMIT) {
      errors.add(new FieldError(LIMIT, message));
      return ListQuery.DEFAULT_LIMIT;
    }
    return limit;
  }

  private static ListQuery.Filter filter(String name, String value, List<FieldError> errors) {
    return switch (name) {
      case PHONE -> {
        String e164 = FieldRules.phone(PHONE, value, PLUS_HINT, errors);
        yield e164 == null ? null : new ListQuery.Phone(e164);
      }
      case EMAIL -> {
        String address = FieldRules.email(EMAIL, value, errors);
        yield address == null ? null : new ListQuery.Email(address);
      }
      case TAG -> {
        // Matched exactly, once trimmed.
        String tag = FieldRules.tag(TAG, value, errors);
        yield tag == null ? null : new ListQuery.Tag(tag);
      }
      default -> updatedAfter(value, errors);
    };
  }

  private static ListQuery.Filter updatedAfter(String value, List<FieldError> errors) {
    Instant instant;
    try {
      // RFC 3339 allows a lower-case "t" and "z" too.
      instant =
          OffsetDateTime.parse(
                  value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              .toInstant();
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              UPDATED_AFTER,
              "Must be an ISO-8601 instant with Z or an offset, such as 2024-01-15T10:30:00Z"));
      return null;
    }
    if (instant.isAfter(ListQuery.LATEST)) {
      errors.add(new FieldError(UPDATED_AFTER, "Must be before the year 10000"));
      return null;
    }
    return new ListQuery.UpdatedAfter(instant);
  }
}
