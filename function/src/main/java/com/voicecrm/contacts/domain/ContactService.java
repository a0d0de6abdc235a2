package com.voicecrm.contacts.domain;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The use cases of the API: upsert (one, or a batch's item) and create, here, and those on one
 * contact by its id ({@link ContactEdits}: read, patch, soft-delete). Each attempt reads what its
 * decision needs, a pure {@code *Decision} decides, and {@link AttemptLoop} carries the decision
 * out, reading and deciding again whenever a write loses a race, so concurrent callers converge on
 * one contact and nobody's change is lost; {@link WriteSteps} are what every attempt shares.
 */
public final class ContactService {

  private final ContactStore store;
  private final Supplier<String> idGenerator;
  private final AttemptLoop loop;
  private final WriteSteps steps;
  private final ContactEdits edits;

  public ContactService(ContactStore store, Clock clock, RetryPolicy retryPolicy) {
    this(store, clock, retryPolicy, Metrics.NONE);
  }

  public ContactService(ContactStore store, Clock clock, RetryPolicy retryPolicy, Metrics metrics) {
    this(store, clock, retryPolicy, () -> UUID.randomUUID().toString(), metrics);
  }

  ContactService(
      ContactStore store, Clock clock, RetryPolicy retryPolicy, Supplier<String> idGenerator) {
    this(store, clock, retryPolicy, idGenerator, Metrics.NONE);
  }

  ContactService(
      ContactStore store,
      Clock clock,
      RetryPolicy retryPolicy,
      Supplier<String> idGenerator,
      Metrics metrics) {
    this.store = store;
    this.idGenerator = idGenerator;
    this.loop = new AttemptLoop(store, retryPolicy, metrics, clock);
    this.steps = new WriteSteps(clock);
    this.edits = new ContactEdits(loop, steps);
  }

  /** A contact with the workspace that names its custom fields. */
  public record ContactView(Contact contact, Workspace workspace) {}

  /**
   * The contact after an upsert or a create; {@code created} tells 201 from 200. With an {@code
   * Idempotency-Key}, {@code kept} says whether the answer was recorded with the write or is the
   * replay of a record (then contact and workspace are null).
   */
  public record UpsertOutcome(Contact contact, Workspace workspace, boolean created, Kept kept) {
    public UpsertOutcome(Contact contact, Workspace workspace, boolean created) {
      this(contact, workspace, created, Kept.NOTHING);
    }
  }

  /**
   * What became of a write's answer under its {@code Idempotency-Key} (SPEC 11): recorded with the
   * write ({@code recorded}), a replay of an earlier record ({@code replayed}), or neither: no key,
   * or no write (a no-op), whose answer the caller keeps on its own.
   */
  public record Kept(boolean recorded, Idempotency.Record replayed) {
    public static final Kept NOTHING = new Kept(false, null);

    static Kept of(AttemptLoop.Outcome outcome) {
      return new Kept(outcome.recorded(), outcome.replayed());
    }
  }

  /** Creates or updates one contact (SPEC section 3). */
  public UpsertOutcome upsert(ApiKeyScope scope, UpsertRequest request, Deadline deadline) {
    return upsert(scope, request, deadline, null);
  }

  /**
   * Creates or updates one contact (SPEC section 3) under an {@code Idempotency-Key} ({@code
   * idempotent}; null: none).
   */
  public UpsertOutcome upsert(
      ApiKeyScope scope, UpsertRequest request, Deadline deadline, IdempotentWrite idempotent) {
    String workspaceId = validWorkspace(scope, request, deadline);
    return upsertIn(scope, workspaceId, request, deadline, null, idempotent);
  }

  /**
   * What a batch (SPEC 10) already read for one item's upsert, to decide its first attempt from:
   * the workspace, identifier owners and tag registrations, and the contact they match (or null).
   */
  public record FirstRead(ContactStore.UpsertSnapshot read, Contact target) {}

  /**
   * One item of a batch (SPEC 10): the upsert of a request whose fields and workspace the batch has
   * checked; its first attempt decides from {@code firstRead} when given, every later one (a lost
   * race, an unavailable store) from a read of its own.
   */
  public UpsertOutcome upsertItem(
      ApiKeyScope scope,
      String workspaceId,
      UpsertRequest request,
      Deadline deadline,
      FirstRead firstRead) {
    return upsertItem(scope, workspaceId, request, deadline, firstRead, null);
  }

  /**
   * As {@link #upsertItem(ApiKeyScope, String, UpsertRequest, Deadline, FirstRead)} under the
   * item's record of the batch's {@code Idempotency-Key} ({@code idempotent}; null: none).
   */
  public UpsertOutcome upsertItem(
      ApiKeyScope scope,
      String workspaceId,
      UpsertRequest request,
      Deadline deadline,
      FirstRead firstRead,
      IdempotentWrite idempotent) {
    return upsertIn(scope, workspaceId, request, deadline, firstRead, idempotent);
  }

  private UpsertOutcome upsertIn(
      ApiKeyScope scope,
      String workspaceId,
      UpsertRequest request,
      Deadline deadline,
      FirstRead firstRead,
      IdempotentWrite idempotent) {
    // The workspace the attempt that decided read, to name the answer's custom fields.
    Workspace[] seen = new Workspace[1];
    FirstRead[] unused = {firstRead};
    AttemptLoop.Outcome outcome =
        loop.write(
            deadline,
            (store, attempts) -> {
              ContactFields fields = request.fields();
              ContactStore.UpsertSnapshot read;
              Contact target = null;
              boolean readByTheBatch = unused[0] != null;
              if (readByTheBatch) {
                read = unused[0].read();
                target = unused[0].target();
                unused[0] = null;
              } else {
                read = WriteSteps.read(store, workspaceId, fields, idempotent);
              }
              Optional<Decision> replay = steps.replayOf(idempotent, read);
              if (replay.isPresent()) {
                return replay.get();
              }
              if (!readByTheBatch) {
                Access.reachableWorkspace(read.workspace(), scope);
                String matchedId =
                    UpsertDecision.matchedId(read.phoneOwnerId(), read.emailOwnerId());
                target = matchedId == null ? null : store.findContact(matchedId).orElse(null);
              }
              WriteSnapshot snapshot = WriteSteps.snapshot(read, target, attempts);
              seen[0] = snapshot.workspace();
              return steps.decide(
                  idempotent,
                  snapshot,
                  (on, now) -> UpsertDecision.decide(request, on, idGenerator.get(), now));
            });
    return new UpsertOutcome(outcome.contact(), seen[0], outcome.created(), Kept.of(outcome));
  }

  /**
   * Creates one contact, never updates (SPEC section 7): the checks of an upsert, then 409 naming
   * every active contact of the workspace that holds the phone or the email.
   */
  public ContactView create(ApiKeyScope scope, CreateRequest request, Deadline deadline) {
    UpsertOutcome outcome = create(scope, request, deadline, null);
    return new ContactView(outcome.contact(), outcome.workspace());
  }

  /** As {@link #create(ApiKeyScope, CreateRequest, Deadline)} under an {@code Idempotency-Key}. */
  public UpsertOutcome create(
      ApiKeyScope scope, CreateRequest request, Deadline deadline, IdempotentWrite idempotent) {
    String workspaceId = validWorkspace(scope, request, deadline);
    // The workspace the attempt that decided read, to name the answer's custom fields.
    Workspace[] seen = new Workspace[1];
    AttemptLoop.Outcome outcome =
        loop.write(
            deadline,
            (store, attempts) -> {
              ContactStore.UpsertSnapshot read =
                  WriteSteps.read(store, workspaceId, request.fields(), idempotent);
              Optional<Decision> replay = steps.replayOf(idempotent, read);
              if (replay.isPresent()) {
                return replay.get();
              }
              Access.reachableWorkspace(read.workspace(), scope);
              WriteSnapshot snapshot = WriteSteps.snapshot(read, null, attempts);
              seen[0] = snapshot.workspace();
              return steps.decide(
                  idempotent,
                  snapshot,
                  (on, now) -> CreateDecision.decide(request, on, idGenerator.get(), now));
            });
    return new UpsertOutcome(outcome.contact(), seen[0], outcome.created(), Kept.of(outcome));
  }

  /** The active contact, when the key may see it. */
  public ContactView get(ApiKeyScope scope, String contactId, Deadline deadline) {
    return edits.get(scope, contactId, deadline);
  }

  /**
   * Patches the active contact (SPEC section 8): its workspace comes from the contact, and the
   * owners read are those of the phone and email the patch sets.
   */
  public ContactView patch(
      ApiKeyScope scope, String contactId, PatchRequest request, Deadline deadline) {
    UpsertOutcome outcome = patch(scope, contactId, request, deadline, null);
    return new ContactView(outcome.contact(), outcome.workspace());
  }

  /**
   * As {@link #patch(ApiKeyScope, String, PatchRequest, Deadline)} under an {@code Idempotency-Key}
   * ({@code idempotent}; null: none): every attempt looks for the key's record before the contact,
   * so a replayed 200 stays the first answer whatever became of the contact.
   */
  public UpsertOutcome patch(
      ApiKeyScope scope,
      String contactId,
      PatchRequest request,
      Deadline deadline,
      IdempotentWrite idempotent) {
    return edits.patch(scope, contactId, request, deadline, idempotent);
  }

  /** Soft-deletes the active contact and releases its phone and email (SPEC section 4). */
  public void delete(ApiKeyScope scope, String contactId, Deadline deadline) {
    delete(scope, contactId, null, deadline);
  }

  /**
   * Soft-deletes the contact if it is at a version {@code precondition} allows (null: any); else
   * 412 and nothing is written.
   */
  public void delete(
      ApiKeyScope scope, String contactId, VersionPrecondition precondition, Deadline deadline) {
    delete(scope, contactId, precondition, deadline, null);
  }

  /**
   * As {@link #delete(ApiKeyScope, String, VersionPrecondition, Deadline)} under an {@code
   * Idempotency-Key} ({@code idempotent}; null: none): every attempt looks for the key's record
   * before the contact, so a replayed 204 is never a 404 for the contact it deleted.
   */
  public Kept delete(
      ApiKeyScope scope,
      String contactId,
      VersionPrecondition precondition,
      Deadline deadline,
      IdempotentWrite idempotent) {
    return edits.delete(scope, contactId, precondition, deadline, idempotent);
  }

  /** SnapStart priming of the store's write path with {@code contact}; writes nothing. */
  public void primeWritePath(Contact contact) {
    store.primeWritePath(contact);
  }

  /**
   * The workspace the request may write to, once every request-level problem is known: 403 for a
   * workspace key naming another workspace, else 400 listing every field error (custom field names
   * included when the workspace is reachable), 404 when it is not.
   */
  private String validWorkspace(ApiKeyScope scope, WorkspaceRequest request, Deadline deadline) {
    List<FieldError> errors = new ArrayList<>(request.errors());
    String workspaceId = Access.targetWorkspace(scope, request, errors);
    if (!errors.isEmpty()) {
      // Custom field names can only be judged against a workspace the key may reach.
      if (workspaceId != null) {
        Workspace workspace =
            loop.read(
                deadline,
                store -> Access.reachableWorkspace(store.findWorkspace(workspaceId), scope));
        errors.addAll(Access.unknownCustomFields(request.customFieldNames(), workspace));
      }
      throw DomainException.InvalidRequest.of(errors);
    }
    return workspaceId;
  }
}
