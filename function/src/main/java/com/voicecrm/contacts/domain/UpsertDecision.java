package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An upsert (SPEC 3.2–3.4), decided from one consistent read, free of any I/O. */
public final class UpsertDecision {

  private UpsertDecision() {}

  /**
   * SPEC 3.2: the active contact an upsert acts on, the phone's holder before the email's; null
   * when nobody holds either (a create).
   */
  public static String matchedId(String phoneOwnerId, String emailOwnerId) {
    return phoneOwnerId != null ? phoneOwnerId : emailOwnerId;
  }

  /**
   * The upsert of {@code request} on {@code snapshot}, whose target is the contact {@link
   * #matchedId} names (null when it names none).
   *
   * @param newId the id a create would give the new contact
   */
  public static Decision decide(
      UpsertRequest request, WriteSnapshot snapshot, String newId, Instant now) {
    Workspace workspace = snapshot.workspace();
    List<FieldError> unknown = Access.unknownCustomFields(request.customFieldNames(), workspace);
    if (!unknown.isEmpty()) {
      return new Decision.Invalid(unknown);
    }
    ContactFields fields = request.fields();
    var newTags = snapshot.newTags(fields.tags());
    String matchedId = matchedId(snapshot.phoneOwnerId(), snapshot.emailOwnerId());
    if (matchedId == null) {
      Contact created = NewContact.of(fields, workspace, newId, now);
      return new Decision.Write(Writes.create(created, newTags, now), Decision.Effect.CREATED);
    }
    Contact existing = snapshot.target();
    if (existing == null
        || !existing.id().equals(matchedId)
        || existing.isDeleted()
        || !existing.workspaceId().equals(workspace.id())) {
      // An identifier always points at an active contact of its workspace; if this one does not,
      // a concurrent write is under way.
      return new Decision.ReadAgain("identifier owner changed");
    }
    // SPEC 3.2: an identifier another active contact holds is not taken; the contact keeps its own.
    ContactFields taking =
        new ContactFields(
            fields.firstName(),
            fields.lastName(),
            heldByAnother(snapshot.emailOwnerId(), existing) ? null : fields.email(),
            heldByAnother(snapshot.phoneOwnerId(), existing) ? null : fields.phone(),
            fields.timezone(),
            fields.tags(),
            fields.customFields());
    // A retry that finds the contact its own lost-response create made answers 201: it created it.
    boolean ownCreate = snapshot.attempts().created(existing.id()).isPresent();
    Optional<Contact> changed =
        ContactChange.apply(
            existing, taking, request.preserveExisting(), List.of(), workspace, now);
    if (changed.isEmpty()) {
      return new Decision.Answer(
          existing, ownCreate ? Decision.Effect.CREATED : Decision.Effect.UNCHANGED);
    }
    return new Decision.Write(
        Writes.change(existing, changed.get(), newTags, now),
        ownCreate ? Decision.Effect.CREATED : Decision.Effect.UPDATED);
  }

  private static boolean heldByAnother(String ownerId, Contact contact) {
    return ownerId != null && !Objects.equals(ownerId, contact.id());
  }
}
