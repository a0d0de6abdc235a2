package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The query of {@code GET /v1/contacts} (SPEC 9), typed (the api layer reads it from the query
 * string): the workspace as given (null when absent), the page size, at most one filter, and the
 * raw cursor (checked against the rest by {@link ContactListing}, which knows the key's scope).
 */
public record ListQuery(String workspaceId, int limit, Filter filter, String cursor) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** The query's parameter names; a filter's also binds a cursor to it. */
  public static final String WORKSPACE_ID = "workspaceId";

  public static final String LIMIT = "limit";
  public static final String CURSOR = "cursor";
  public static final String PHONE = "phone";
  public static final String EMAIL = "email";
  public static final String TAG = "tag";
  public static final String UPDATED_AFTER = "updatedAfter";

  /** Below year 0 every instant means "from the beginning"; the store's keys start there. */
  public static final Instant EARLIEST =
      LocalDate.of(0, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);

  /** The latest instant {@code updatedAfter} may name (SPEC 9: before the year 10000). */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

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

  /** The query, with every problem its parameters had (the query is then partial). */
  public record Parsed(ListQuery query, List<FieldError> errors) implements WorkspaceRequest {
    public Parsed {
      errors = List.copyOf(errors);
    }

    @Override
    public String workspaceId() {
      return query.workspaceId();
    }
  }
}
