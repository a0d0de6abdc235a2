package com.voicecrm.contacts.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The use cases of the API: upsert, create, read and soft-delete one contact. Each attempt reads
 * what its decision needs, a pure {@code *Decision} decides, and {@link AttemptLoop} carries the
 * decision out, reading and deciding again whenever a write loses a race, so concurrent callers
 * converge on one contact and nobody's change is lost.
 */
public final class ContactService {

  private final ContactStore store;
  private final Clock clock;
  private final Supplier<String> idGenerator;
  private final AttemptLoop loop;

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
    this.clock = clock;
    this.idGenerator = idGenerator;
    this.loop = new AttemptLoop(store, retryPolicy, metrics);
  }

  /** A contact with the workspace that names its custom fields. */
  public record ContactView(Contact contact, Workspace workspace) {}

  /** The contact after an upsert; {@code created} tells 201 from 200. */
  public record UpsertOutcome(Contact contact, Workspace workspace, boolean created) {}

  /** Creates or updates one contact (SPEC section 3). */
  public UpsertOutcome upsert(ApiKeyScope scope, UpsertRequest request, Deadline deadline) {
    String workspaceId = validWorkspace(scope, request, deadline);
    return upsertIn(scope, workspaceId, request, deadline, null);
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
    return upsertIn(scope, workspaceId, request, deadline, firstRead);
  }

  private UpsertOutcome upsertIn(
      ApiKeyScope scope,
      String workspaceId,
      UpsertRequest request,
      Deadline deadline,
      FirstRead firstRead) {
    // The workspace the attempt that decided read, to name the answer's custom fields.
    Workspace[] seen = new Workspace[1];
    FirstRead[] unused = {firstRead};
    AttemptLoop.Outcome outcome =
        loop.write(
            deadline,
            (store, attempts) -> {
              ContactFields fields = request.fields();
              ContactStore.UpsertSnapshot read;
              Contact target;
              if (unused[0] != null) {
                read = unused[0].read();
                target = unused[0].target();
                unused[0] = null;
              } else {
                read = readForWrite(store, scope, workspaceId, fields);
                String matchedId =
                    UpsertDecision.matchedId(read.phoneOwnerId(), read.emailOwnerId());
                target = matchedId == null ? null : store.findContact(matchedId).orElse(null);
              }
              WriteSnapshot snapshot = snapshot(read, target, attempts);
              seen[0] = snapshot.workspace();
              return UpsertDecision.decide(request, snapshot, idGenerator.get(), now());
            });
    return new UpsertOutcome(outcome.contact(), seen[0], outcome.created());
  }

  /**
   * Creates one contact, never updates (SPEC section 7): the checks of an upsert, then 409 naming
   * every active contact of the workspace that holds the phone or the email.
   */
  public ContactView create(ApiKeyScope scope, CreateRequest request, Deadline deadline) {
    String workspaceId = validWorkspace(scope, request, deadline);
    // The workspace the attempt that decided read, to name the answer's custom fields.
    Workspace[] seen = new Workspace[1];
    AttemptLoop.Outcome outcome =
        loop.write(
            deadline,
            (store, attempts) -> {
              ContactStore.UpsertSnapshot read =
                  readForWrite(store, scope, workspaceId, request.fields());
              WriteSnapshot snapshot = snapshot(read, null, attempts);
              seen[0] = snapshot.workspace();
              return CreateDecision.decide(request, snapshot, idGenerator.get(), now());
            });
    return new ContactView(outcome.contact(), seen[0]);
  }

  /** The active contact, when the key may see it. */
  public ContactView get(ApiKeyScope scope, String contactId, Deadline deadline) {
    String id = Access.contactId(contactId).orElseThrow(ContactService::contactNotFound);
    return loop.read(
        deadline,
        store -> {
          Contact contact =
              store
                  .findContact(id)
                  .filter(c -> Access.canSee(scope, c))
                  .orElseThrow(ContactService::contactNotFound);
          Workspace workspace =
              Access.reachableWorkspace(store.findWorkspace(contact.workspaceId()), scope);
          return new ContactView(contact, workspace);
        });
  }

  /**
   * Patches the active contact (SPEC section 8): its workspace comes from the contact, and the
   * owners read are those of the phone and email the patch sets.
   */
  public ContactView patch(
      ApiKeyScope scope, String contactId, PatchRequest request, Deadline deadline) {
    String id = Access.contactId(contactId).orElseThrow(ContactService::contactNotFound);
    // The workspace the attempt that decided read, to name the answer's custom fields.
    Workspace[] seen = new Workspace[1];
    AttemptLoop.Outcome outcome =
        loop.write(
            deadline,
            (store, attempts) -> {
              Contact target =
                  store.findContact(id).filter(c -> Access.canSee(scope, c)).orElse(null);
              if (target == null) {
                return new Decision.NotFound();
              }
              ContactFields fields = request.fields();
              ContactStore.UpsertSnapshot read =
                  store.readForUpsert(
                      target.workspaceId(),
                      fields.phoneIdentifier(),
                      fields.emailIdentifier(),
                      fields.tags());
              if (read.workspace().isEmpty()) {
                return new Decision.NotFound();
              }
              WriteSnapshot snapshot = snapshot(read, target, attempts);
              seen[0] = snapshot.workspace();
              return PatchDecision.decide(request, snapshot, now());
            });
    return new ContactView(outcome.contact(), seen[0]);
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
    String id = Access.contactId(contactId).orElseThrow(ContactService::contactNotFound);
    loop.write(
        deadline,
        (store, attempts) ->
            DeleteDecision.decide(store.findContact(id), scope, precondition, attempts, now()));
  }

  /** SnapStart priming of the store's write path with {@code contact}; writes nothing. */
  public void primeWritePath(Contact contact) {
    store.primeWritePath(contact);
  }

  /**
   * The consistent read a write decides from: the workspace (404 unless the key reaches it), the
   * owners of the phone and email and the tags' registrations.
   */
  private static ContactStore.UpsertSnapshot readForWrite(
      ContactStore store, ApiKeyScope scope, String workspaceId, ContactFields fields) {
    ContactStore.UpsertSnapshot read =
        store.readForUpsert(
            workspaceId, fields.phoneIdentifier(), fields.emailIdentifier(), fields.tags());
    Access.reachableWorkspace(read.workspace(), scope);
    return read;
  }

  private static WriteSnapshot snapshot(
      ContactStore.UpsertSnapshot read, Contact target, Attempts attempts) {
    return new WriteSnapshot(
        read.workspace().orElseThrow(),
        read.phoneOwnerId(),
        read.emailOwnerId(),
        read.registeredTags(),
        target,
        attempts);
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

  private static DomainException contactNotFound() {
    return new Decision.NotFound().exception();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
