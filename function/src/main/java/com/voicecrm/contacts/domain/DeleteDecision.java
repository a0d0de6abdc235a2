package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.Optional;

/** A soft delete (SPEC 4, with {@code If-Match} of SPEC 8), decided from one read, free of I/O. */
public final class DeleteDecision {

  private DeleteDecision() {}

  /**
   * The delete of {@code stored}: 404 unless the key sees it, 412 unless {@code precondition}
   * (null: none) allows its version, else the soft delete releasing its phone and email. Checked on
   * every attempt, so a change between the read and the version-conditioned write is caught.
   */
  public static Decision decide(
      Optional<Contact> stored,
      ApiKeyScope scope,
      VersionPrecondition precondition,
      Attempts attempts,
      Instant now) {
    if (stored.isPresent() && attempts.wrote(stored.get())) {
      // An earlier attempt was applied but its response lost: the delete succeeded.
      return new Decision.Answer(stored.get(), Decision.Effect.DELETED);
    }
    if (stored.isEmpty() || !Access.canSee(scope, stored.get())) {
      return new Decision.NotFound();
    }
    Contact contact = stored.get();
    if (precondition != null && !precondition.allows(contact.version())) {
      return new Decision.PreconditionFailed();
    }
    return new Decision.Write(Writes.delete(contact, now), Decision.Effect.DELETED);
  }
}
