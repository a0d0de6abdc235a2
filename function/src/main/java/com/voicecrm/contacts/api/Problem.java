package com.voicecrm.contacts.api;

import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.IdentifierConflict;
import java.util.List;

/**
 * The problem types of SPEC section 2; each knows its status, slug and title. The infra module's
 * gateway responses read them too, so API Gateway's own errors carry the same titles.
 */
public enum Problem {
  VALIDATION_ERROR(400, "validation-error", "Invalid request"),
  UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
  FORBIDDEN(403, "forbidden", "Forbidden"),
  NOT_FOUND(404, "not-found", "Not found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
  CONFLICT(409, "conflict", "Conflict"),
  PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
  PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
  IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency key reused"),
  RATE_LIMITED(429, "rate-limited", "Too many requests"),
  INTERNAL_ERROR(500, "internal-error", "Internal error"),
  SERVICE_UNAVAILABLE(503, "service-unavailable", "Service unavailable");

  final int status;
  final String slug;
  final String title;

  Problem(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  /** One occurrence of a problem: what the client is told. */
  record Details(
      Problem problem, String detail, List<FieldError> errors, List<IdentifierConflict> conflicts) {
    Details(Problem problem, String detail) {
      this(problem, detail, List.of());
    }

    Details(Problem problem, String detail, List<FieldError> errors) {
      this(problem, detail, errors, List.of());
    }
  }
}
