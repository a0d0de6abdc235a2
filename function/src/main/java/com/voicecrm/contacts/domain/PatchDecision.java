package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A patch of one contact (SPEC 8), decided from one consistent read, free of any I/O. */
public final class PatchDecision {

  static final String NEITHER_IDENTIFIER =
      "A contact keeps a phone or an email; this patch would leave it with neither";

  private PatchDecision() {}

  /**
   * The patch of {@code request} on {@code snapshot.target()} (null: none the key may see), in this
   * order: 404, then 400 (every field error, custom field names the workspace does not define, a
   * contact left with neither phone nor email), then 412 ({@code If-Match}), then 409 (a new phone
   * or email another active contact holds: nothing is written, unlike an upsert), then the change,
   * or nothing at all for a patch that changes nothing. Owners in {@code snapshot} are those of the
   * phone and email the patch sets.
   */
  public static Decision decide(PatchRequest request, WriteSnapshot snapshot, Instant now) {
    Contact existing = snapshot.target();
    if (existing != null && snapshot.attempts().wrote(existing)) {
      // An earlier attempt was applied but its response lost; with If-Match the retry would
      // otherwise see its own new version and answer 412.
      return new Decision.Answer(existing, Decision.Effect.UPDATED);
    }
    if (existing == null || existing.isDeleted()) {
      return new Decision.NotFound();
    }
    Workspace workspace = snapshot.workspace();
    List<FieldError> errors = new ArrayList<>(request.errors());
    errors.addAll(Access.unknownCustomFields(request.fields().customFields().keySet(), workspace));
    if (!errors.isEmpty()) {
      return new Decision.Invalid(errors);
    }
    Optional<Contact> changed =
        ContactChange.apply(
            existing,
            request.fields(),
            request.preserveExisting(),
            request.removeTags(),
            workspace,
            now);
    Contact after = changed.orElse(existing);
    if (after.phone() == null && after.email() == null) {
      return new Decision.Invalid(clearedIdentifiers(request));
    }
    if (request.precondition() != null && !request.precondition().allows(existing.version())) {
      return new Decision.PreconditionFailed();
    }
    List<IdentifierConflict> conflicts = new ArrayList<>(2);
    if (!Objects.equals(after.phone(), existing.phone())
        && heldByAnother(snapshot.phoneOwnerId(), existing)) {
      conflicts.add(new IdentifierConflict("phone", snapshot.phoneOwnerId()));
    }
    if (!Objects.equals(after.emailKey(), existing.emailKey())
        && heldByAnother(snapshot.emailOwnerId(), existing)) {
      conflicts.add(new IdentifierConflict("email", snapshot.emailOwnerId()));
    }
    if (!conflicts.isEmpty()) {
      return new Decision.Conflicting(conflicts);
    }
    if (changed.isEmpty()) {
      return new Decision.Answer(existing, Decision.Effect.UNCHANGED);
    }
    return new Decision.Write(
        Writes.change(existing, changed.get(), snapshot.newTags(request.fields().tags()), now),
        Decision.Effect.UPDATED);
  }

  // The fields to name: those this patch cleared.
  private static List<FieldError> clearedIdentifiers(PatchRequest request) {
    List<FieldError> errors = new ArrayList<>(2);
    for (String field : List.of("phone", "email")) {
      String value = field.equals("phone") ? request.fields().phone() : request.fields().email();
      if ("".equals(value)) {
        errors.add(new FieldError(field, NEITHER_IDENTIFIER));
      }
    }
    return errors;
  }

  private static boolean heldByAnother(String ownerId, Contact contact) {
    return ownerId != null && !ownerId.equals(contact.id());
  }
}
