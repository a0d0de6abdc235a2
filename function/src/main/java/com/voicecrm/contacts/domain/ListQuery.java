package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query of {@code GET /v1/contacts} (SPEC 9), typed: the workspace as given (null when absent),
 * the page size, at most one filter, and the raw cursor (checked against the rest by {@link
 * ContactListing}, which knows the key's scope).
 */
public record ListQuery(String workspaceId, int limit, Filter filter, String cursor) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  static final String WORKSPACE_ID = "workspaceId";

  /** SPEC 3.1's limits, as the write routes' parser applies them to a body. */
  static final int MAX_EMAIL_LENGTH = 254;

  static final int MAX_TAG_LENGTH = 255;
  static final String LIMIT = "limit";
  static final String CURSOR = "cursor";
  static final String PHONE = "phone";
  static final String EMAIL = "email";
  static final String TAG = "tag";
  static final String UPDATED_AFTER = "updatedAfter";

  /** The filters, in the order their problems are listed. */
  static final List<String> FILTERS = List.of(PHONE, EMAIL, TAG, UPDATED_AFTER);

  private static final Set<String> KNOWN =
      Set.of(WORKSPACE_ID, LIMIT, CURSOR, PHONE, EMAIL, TAG, UPDATED_AFTER);

  /** Below year 0 every instant means "from the beginning"; the store's keys start there. */
  static final Instant EARLIEST = LocalDate.of(0, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /** What a listing is narrowed to; {@link #name} and {@link #value} bind a cursor to it. */
  public sealed interface Filter {
    String name();

    String value();
  }

  /** Every active contact of the workspace. */
  public record All() implements Filter {
    @Override
    public String name() {
      return "";
    }

    @Override
    public String value() {
      return "";
    }
  }

  /** The active contact holding this E.164 phone, if any. */
  public record Phone(String e164) implements Filter {
    @Override
    public String name() {
      return PHONE;
    }

    @Override
    public String value() {
      return e164;
    }
  }

  /** The active contact holding this email (compared by {@link Emails#key}), if any. */
  public record Email(String address) implements Filter {
    @Override
    public String name() {
      return EMAIL;
    }

    @Override
    public String value() {
      return Emails.key(address);
    }
  }

  /** Active contacts holding exactly this tag. */
  public record Tag(String tag) implements Filter {
    @Override
    public String name() {
      return TAG;
    }

    @Override
    public String value() {
      return tag;
    }
  }

  /**
   * Active contacts updated strictly after {@code instant}. Stored times have millisecond
   * precision, so the instant is cut to its millisecond: "after 10:00:00.1234" and "after
   * 10:00:00.123" select the same contacts.
   */
  public record UpdatedAfter(Instant instant) implements Filter {
    public UpdatedAfter {
      instant = instant.truncatedTo(ChronoUnit.MILLIS);
      if (instant.isBefore(EARLIEST)) {
        instant = EARLIEST;
      }
    }

    @Override
    public String name() {
      return UPDATED_AFTER;
    }

    @Override
    public String value() {
      return instant.toString();
    }
  }

  /** The query, or every problem with the parameters (the query is then partial). */
  public record Parsed(ListQuery query, List<FieldError> errors) implements WorkspaceRequest {
    @Override
    public String workspaceId() {
      return query.workspaceId();
    }
  }

  /**
   * Reads the query string; each parameter maps to every value it was given with. Every problem is
   * listed: unknown names, repeated parameters, bad values, more than one filter.
   */
  public static Parsed parse(Map<String, List<String>> parameters) {
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
    Filter filter = new All();
    for (String name : filtersGiven) {
      String value = single(given, name, errors);
      Filter parsed = value == null ? null : filter(name, value, errors);
      if (parsed != null && filtersGiven.size() == 1) {
        filter = parsed;
      }
    }
    return new Parsed(new ListQuery(workspaceId, limit, filter, cursor), errors);
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
      return DEFAULT_LIMIT;
    }
    String message = "Must be a whole number from 1 to " + MAX_LIMIT;
    if (!text.matches("[0-9]{1,3}")) {
      errors.add(new FieldError(LIMIT, message));
      return DEFAULT_LIMIT;
    }
    int limit = Integer.parseInt(text);
    if (limit < 1 || limit > MAX_LIMIT) {
      errors.add(new FieldError(LIMIT, message));
      return DEFAULT_LIMIT;
    }
    return limit;
  }

  private static Filter filter(String name, String value, List<FieldError> errors) {
    return switch (name) {
      case PHONE -> phone(value, errors);
      case EMAIL -> email(value, errors);
      case TAG -> tag(value, errors);
      default -> updatedAfter(value, errors);
    };
  }

  /** As SPEC 3.1 reads a phone; a '+' sent unencoded arrives as a space, hence the hint. */
  private static Filter phone(String value, List<FieldError> errors) {
    String trimmed = value.strip();
    if (!trimmed.startsWith("+")) {
      errors.add(
          new FieldError(
              PHONE, "Must start with + and the country code (send + as %2B in a query string)"));
      return null;
    }
    return PhoneNumbers.toE164(trimmed)
        .<Filter>map(Phone::new)
        .orElseGet(
            () -> {
              errors.add(new FieldError(PHONE, "Not a possible phone number"));
              return null;
            });
  }

  private static Filter email(String value, List<FieldError> errors) {
    String trimmed = value.strip();
    if (trimmed.codePointCount(0, trimmed.length()) > MAX_EMAIL_LENGTH) {
      errors.add(new FieldError(EMAIL, "Must be at most " + MAX_EMAIL_LENGTH + " characters"));
      return null;
    }
    if (!Emails.isValid(trimmed)) {
      errors.add(new FieldError(EMAIL, "Must be an email address such as name@example.com"));
      return null;
    }
    return new Email(trimmed);
  }

  /** As SPEC 3.1 reads a tag (trimmed, 1 to 255 characters); then matched exactly. */
  private static Filter tag(String value, List<FieldError> errors) {
    String tag = value.strip();
    int length = tag.codePointCount(0, tag.length());
    if (length < 1 || length > MAX_TAG_LENGTH) {
      errors.add(new FieldError(TAG, "Must be 1 to " + MAX_TAG_LENGTH + " characters"));
      return null;
    }
    return new Tag(tag);
  }

  private static Filter updatedAfter(String value, List<FieldError> errors) {
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
    if (instant.isAfter(LATEST)) {
      errors.add(new FieldError(UPDATED_AFTER, "Must be before the year 10000"));
      return null;
    }
    return new UpdatedAfter(instant);
  }
}
