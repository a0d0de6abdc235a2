package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a use case decided from one consistent read, as a plain value: write this, answer that
 * without writing, read again, or reject the request. {@link AttemptLoop} carries it out.
 */
public sealed interface Decision {

  /** What a successful request did to its contact. */
  enum Effect {
    CREATED,
    UPDATED,
    UNCHANGED,
    DELETED
  }

  /** Write this, all or nothing; then answer its contact. */
  record Write(ContactWrite write, Effect effect) implements Decision {
    public Contact contact() {
      return write.contact();
    }
  }

  /** Nothing to write: answer this contact (a no-op, or an earlier attempt's write found). */
  record Answer(Contact contact, Effect effect) implements Decision {}

  /**
   * The request's {@code Idempotency-Key} already has a live record of this very request (SPEC 11):
   * answer it, write nothing.
   */
  record Replay(Idempotency.Record record) implements Decision {}

  /** What was read changed under the decision (a concurrent write is under way): decide again. */
  record ReadAgain(String why) implements Decision {}

  /** The request cannot be carried out; nothing is written. */
  sealed interface Rejection extends Decision {
    DomainException exception();
  }

  /** 400, with every problem. */
  record Invalid(List<FieldError> errors) implements Rejection {
    public DomainException exception() {
      return DomainException.InvalidRequest.of(errors);
    }
  }

  /** 409 naming the contacts that hold the request's identifiers. */
  record Conflicting(List<IdentifierConflict> conflicts) implements Rejection {
    public DomainException exception() {
      String fields =
          conflicts.stream()
              .map(IdentifierConflict::field)
              .distinct()
              .collect(Collectors.joining(" and "));
      return new DomainException.Conflict(
          "Another contact of the workspace already has this " + fields + "; see conflicts.",
          conflicts);
    }
  }

  /** 404: no contact the key may see. */
  record NotFound() implements Rejection {
    public DomainException exception() {
      return new DomainException.NotFound(Access.CONTACT_NOT_FOUND);
    }
  }

  /** 412: the contact is not at a version {@code If-Match} allows. */
  record PreconditionFailed() implements Rejection {
    public DomainException exception() {
      return new DomainException.PreconditionFailed(
          "The contact is not at the version If-Match names; read it again");
    }
  }
}
