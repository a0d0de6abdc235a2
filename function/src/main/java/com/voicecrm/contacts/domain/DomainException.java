package com.voicecrm.contacts.domain;

import java.util.List;

/**
 * An outcome the caller caused or must be told about. Each subclass maps to exactly one problem
 * type in the API layer; the message is safe to show to the caller.
 */
public abstract class DomainException extends RuntimeException {

  protected DomainException(String message) {
    super(message, null, false, false);
  }

  /** 400: the request breaks one or more rules; every problem found is listed. */
  public static final class InvalidRequest extends DomainException {
    private final List<FieldError> errors;

    public InvalidRequest(String message, List<FieldError> errors) {
      super(message);
      this.errors = List.copyOf(errors);
    }

    public static InvalidRequest of(List<FieldError> errors) {
      String message =
          errors.size() == 1
              ? errors.get(0).message()
              : "The request has " + errors.size() + " problems; see errors.";
      return new InvalidRequest(message, errors);
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  /** 403: the key may not act on the workspace it named. */
  public static final class Forbidden extends DomainException {
    public Forbidden(String message) {
      super(message);
    }
  }

  /** 404: the resource does not exist, or exists where this key may not look. */
  public static final class NotFound extends DomainException {
    public NotFound(String message) {
      super(message);
    }
  }

  /** 412: the contact is not at the version the client's {@code If-Match} names. */
  public static final class PreconditionFailed extends DomainException {
    public PreconditionFailed(String message) {
      super(message);
    }
  }

  /** 422: the {@code Idempotency-Key} already answered another request (SPEC 11). */
  public static final class IdempotencyKeyReused extends DomainException {
    public IdempotencyKeyReused(String message) {
      super(message);
    }
  }

  /** 409: the request is valid but the resource cannot take it in its current state. */
  public static final class Conflict extends DomainException {
    private final List<IdentifierConflict> conflicts;

    public Conflict(String message) {
      this(message, List.of());
    }

    /** A conflict with the contacts holding the request's identifiers, each named. */
    public Conflict(String message, List<IdentifierConflict> conflicts) {
      super(message);
      this.conflicts = List.copyOf(conflicts);
    }

    public List<IdentifierConflict> conflicts() {
      return conflicts;
    }
  }

  /** 503: the store stayed unavailable or contended for the whole time budget. */
  public static final class Unavailable extends DomainException {
    private final int retryAfterSeconds;

    public Unavailable(String message, int retryAfterSeconds) {
      super(message);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
