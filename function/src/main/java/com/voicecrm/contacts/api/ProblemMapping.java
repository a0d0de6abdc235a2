package com.voicecrm.contacts.api;

import com.voicecrm.contacts.domain.DomainException;
import java.util.List;

/** Maps each domain outcome to the problem the client sees. */
final class ProblemMapping {

  private ProblemMapping() {}

  static Problem.Details of(DomainException e) {
    if (e instanceof DomainException.InvalidRequest invalid) {
      return new Problem.Details(Problem.VALIDATION_ERROR, invalid.getMessage(), invalid.errors());
    }
    if (e instanceof DomainException.Forbidden) {
      return new Problem.Details(Problem.FORBIDDEN, e.getMessage());
    }
    if (e instanceof DomainException.NotFound) {
      return new Problem.Details(Problem.NOT_FOUND, e.getMessage());
    }
    if (e instanceof DomainException.PreconditionFailed) {
      return new Problem.Details(Problem.PRECONDITION_FAILED, e.getMessage());
    }
    if (e instanceof DomainException.Conflict conflict) {
      return new Problem.Details(Problem.CONFLICT, e.getMessage(), List.of(), conflict.conflicts());
    }
    if (e instanceof DomainException.IdempotencyKeyReused) {
      return new Problem.Details(Problem.IDEMPOTENCY_KEY_REUSED, e.getMessage());
    }
    if (e instanceof DomainException.Unavailable) {
      return new Problem.Details(Problem.SERVICE_UNAVAILABLE, e.getMessage());
    }
    if (e instanceof ProxyRequests.Unauthorized) {
      return new Problem.Details(Problem.UNAUTHORIZED, e.getMessage());
    }
    throw new IllegalStateException("Unmapped domain outcome " + e.getClass().getName());
  }
}
