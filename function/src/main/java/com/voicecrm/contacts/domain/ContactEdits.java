package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactService.ContactView;
import com.voicecrm.contacts.domain.ContactService.Kept;
import com.voicecrm.contacts.domain.ContactService.UpsertOutcome;
import java.util.Optional;

/**
 * The use cases on one contact named by its id (SPEC 2: its workspace comes from the contact): read
 * it, patch it (SPEC 8), soft-delete it (SPEC 4). A contact the key may not see is 404; with an
 * {@code Idempotency-Key} every attempt looks for the key's record before the contact.
 */
final class ContactEdits {

  private final AttemptLoop loop;
  private final WriteSteps steps;

  ContactEdits(AttemptLoop loop, WriteSteps steps) {
    this.loop = loop;
    this.steps = steps;
  }

  ContactView get(ApiKeyScope scope, String contactId, Deadline deadline) {
    String id = Access.contactId(contactId).orElseThrow(ContactEdits::contactNotFound);
    return loop.read(
        deadline,
        store -> {
          Contact contact =
              store
                  .findContact(id)
                  .filter(c -> Access.canSee(scope, c))
                  .orElseThrow(ContactEdits::contactNotFound);
          Workspace workspace =
              Access.reachableWorkspace(store.findWorkspace(contact.workspaceId()), scope);
          return new ContactView(contact, workspace);
        });
  }

  /** The owners read are those of the phone and email the patch sets. */
  UpsertOutcome patch(
      ApiKeyScope scope,
      String contactId,
      PatchRequest request,
      Deadline deadline,
      IdempotentWrite idempotent) {
    String id = Access.contactId(contactId).orElse(null);
    // The workspace the attempt that decided read, to name the answer's custom fields.
    Workspace[] seen = new Workspace[1];
    AttemptLoop.Outcome outcome =
        loop.write(
            deadline,
            (store, attempts) -> {
              Optional<Decision> replay = steps.replayOf(idempotent, store);
              if (replay.isPresent()) {
                return replay.get();
              }
              Contact target =
                  id == null
                      ? null
                      : store.findContact(id).filter(c -> Access.canSee(scope, c)).orElse(null);
              if (target == null) {
                return new Decision.NotFound();
              }
              ContactStore.UpsertSnapshot read =
                  WriteSteps.read(store, target.workspaceId(), request.fields(), null);
              if (read.workspace().isEmpty()) {
                return new Decision.NotFound();
              }
              WriteSnapshot snapshot = WriteSteps.snapshot(read, target, attempts);
              seen[0] = snapshot.workspace();
              return steps.decide(
                  idempotent, snapshot, (on, now) -> PatchDecision.decide(request, on, now));
            });
    return new UpsertOutcome(outcome.contact(), seen[0], false, Kept.of(outcome));
  }

  /** 412 when {@code precondition} (null: any version) refuses the contact's version. */
  Kept delete(
      ApiKeyScope scope,
      String contactId,
      VersionPrecondition precondition,
      Deadline deadline,
      IdempotentWrite idempotent) {
    String id = Access.contactId(contactId).orElse(null);
    AttemptLoop.Outcome outcome =
        loop.write(
            deadline,
            (store, attempts) -> {
              var now = steps.now();
              Optional<Decision> replay = steps.replayOf(idempotent, store);
              if (replay.isPresent()) {
                return replay.get();
              }
              if (id == null) {
                return new Decision.NotFound();
              }
              return WriteSteps.recorded(
                  idempotent,
                  DeleteDecision.decide(store.findContact(id), scope, precondition, attempts, now),
                  null,
                  now);
            });
    return Kept.of(outcome);
  }

  static DomainException contactNotFound() {
    return new Decision.NotFound().exception();
  }
}
