package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A create that never updates (SPEC 7), decided from one consistent read, free of any I/O. */
public final class CreateDecision {

  private CreateDecision() {}

  /**
   * The create of {@code request} on {@code snapshot}: 409 naming every identifier another active
   * contact holds, else the new contact. The claims' conditions decide a race at write time: the
   * loser reads again and gets the 409 naming the winner.
   *
   * @param newId the id of the new contact
   */
  public static Decision decide(
      CreateRequest request, WriteSnapshot snapshot, String newId, Instant now) {
    Workspace workspace = snapshot.workspace();
    List<FieldError> unknown = Access.unknownCustomFields(request.customFieldNames(), workspace);
    if (!unknown.isEmpty()) {
      return new Decision.Invalid(unknown);
    }
    List<IdentifierConflict> conflicts = conflictsOf(snapshot);
    for (IdentifierConflict conflict : conflicts) {
      // An earlier attempt of this request was applied but its response lost.
      Optional<Contact> own = snapshot.attempts().created(conflict.contactId());
      if (own.isPresent()) {
        return new Decision.Answer(own.get(), Decision.Effect.CREATED);
      }
    }
    if (!conflicts.isEmpty()) {
      return new Decision.Conflicting(conflicts);
    }
    Contact created = NewContact.of(request.fields(), workspace, newId, now);
    return new Decision.Write(
        Writes.create(created, snapshot.newTags(request.fields().tags()), now),
        Decision.Effect.CREATED);
  }

  /**
   * The identifiers that other active contacts hold, phone first. Each identifier is named even
   * when one contact holds both.
   */
  static List<IdentifierConflict> conflictsOf(WriteSnapshot snapshot) {
    List<IdentifierConflict> conflicts = new ArrayList<>(2);
    if (snapshot.phoneOwnerId() != null) {
      conflicts.add(new IdentifierConflict("phone", snapshot.phoneOwnerId()));
    }
    if (snapshot.emailOwnerId() != null) {
      conflicts.add(new IdentifierConflict("email", snapshot.emailOwnerId()));
    }
    return conflicts;
  }
}
