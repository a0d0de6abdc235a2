package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ContactStore.UpsertSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The use cases of the API: upsert, create, read and soft-delete one contact. Decisions are re-made
 * from a fresh consistent read whenever a write loses a race, so concurrent callers converge on one
 * contact and nobody's change is lost.
 */
public final class ContactService {

  static final String WORKSPACE_REQUIRED = "workspaceId is required for account-scoped API keys";
  static final String WORKSPACE_NOT_FOUND = "Workspace not found";
  static final String CONTACT_NOT_FOUND = "Contact not found";
  static final int RETRY_AFTER_SECONDS = 1;
  static final String CONTACT_TOO_LARGE =
      "The contact has reached the largest size that can be stored and cannot take more tags or"
          + " custom field values";

  private final ContactStore store;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final Supplier<String> idGenerator;
  private final Metrics metrics;
  private final UpsertRequestValidator validator = new UpsertRequestValidator();

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
    this.retryPolicy = retryPolicy;
    this.idGenerator = idGenerator;
    this.metrics = metrics;
  }

  /** A contact with the workspace that names its custom fields. */
  public record ContactView(Contact contact, Workspace workspace) {}

  /** The contact after an upsert; {@code created} tells 201 from 200. */
  public record UpsertOutcome(Contact contact, Workspace workspace, boolean created) {}

  /**
   * Creates or updates one contact (SPEC section 3).
   *
   * @param body the request's JSON object (values String, Boolean, NumberText, List, Map, null)
   * @param remainingMillis the time left to answer, which bounds the retries
   */
  public UpsertOutcome upsert(
      ApiKeyScope scope, Map<String, Object> body, LongSupplier remainingMillis) {
    return write(
        scope,
        body,
        validator.validate(body),
        remainingMillis,
        (store, workspaceId, request, attemptedCreates) ->
            attemptUpsert(store, scope, workspaceId, request, attemptedCreates));
  }

  /**
   * Creates one contact, never updates (SPEC section 7): the checks of an upsert, then 409 naming
   * every active contact of the workspace that holds the phone or the email.
   *
   * @param body the request's JSON object (values String, Boolean, NumberText, List, Map, null)
   * @param remainingMillis the time left to answer, which bounds the retries
   */
  public ContactView create(
      ApiKeyScope scope, Map<String, Object> body, LongSupplier remainingMillis) {
    return write(
        scope,
        body,
        validator.validateCreate(body),
        remainingMillis,
        (store, workspaceId, request, attemptedCreates) ->
            attemptCreate(store, scope, workspaceId, request, attemptedCreates));
  }

  /** One attempt of a write, decided again from a fresh read on every retry. */
  private interface WriteAttempt<T> {
    T run(
        ContactStore store,
        String workspaceId,
        UpsertRequest request,
        Set<String> attemptedCreates);
  }

  /** What upsert and create share: the workspace check, the retries, the size limit. */
  private <T> T write(
      ApiKeyScope scope,
      Map<String, Object> body,
      UpsertRequestValidator.Result validated,
      LongSupplier remainingMillis,
      WriteAttempt<T> attempt) {
    ContactStore store = this.store.within(remainingMillis);
    String workspaceId = validWorkspace(store, scope, body, validated, remainingMillis);
    // Ids of contacts this request tried to create: a create whose response was lost may have been
    // applied, and the retry that then finds the contact must still answer 201 (never a 409
    // naming itself).
    Set<String> attemptedCreates = new HashSet<>();
    try {
      return retrying(
          remainingMillis,
          () -> attempt.run(store, workspaceId, validated.request(), attemptedCreates));
    } catch (ContactStore.TooLarge e) {
      // Tags and custom field values add up over many upserts, each of them valid.
      throw new DomainException.Conflict(CONTACT_TOO_LARGE);
    }
  }

  /**
   * The identifiers of a create that other active contacts hold, phone first; empty when the create
   * may go ahead. Each identifier is named even when one contact holds both.
   */
  static List<IdentifierConflict> conflictsOf(UpsertSnapshot snapshot) {
    List<IdentifierConflict> conflicts = new ArrayList<>(2);
    if (snapshot.phoneOwnerId() != null) {
      conflicts.add(new IdentifierConflict("phone", snapshot.phoneOwnerId()));
    }
    if (snapshot.emailOwnerId() != null) {
      conflicts.add(new IdentifierConflict("email", snapshot.emailOwnerId()));
    }
    return conflicts;
  }

  static String conflictDetail(List<IdentifierConflict> conflicts) {
    String fields =
        conflicts.stream()
            .map(IdentifierConflict::field)
            .distinct()
            .collect(Collectors.joining(" and "));
    return "Another contact of the workspace already has this " + fields + "; see conflicts.";
  }

  /** The active contact, when the key may see it. */
  /** SnapStart priming of the store's write path with {@code contact}; writes nothing. */
  public void primeWritePath(Contact contact) {
    store.primeWritePath(contact);
  }

  public ContactView get(ApiKeyScope scope, String contactId, LongSupplier remainingMillis) {
    ContactStore store = this.store.within(remainingMillis);
    return retrying(
        remainingMillis,
        () -> {
          Contact contact = reachableContact(store, scope, contactId);
          return new ContactView(contact, reachableWorkspace(store, scope, contact.workspaceId()));
        });
  }

  /** Soft-deletes the active contact and releases its phone and email (SPEC section 4). */
  public void delete(ApiKeyScope scope, String contactId, LongSupplier remainingMillis) {
    delete(scope, contactId, null, remainingMillis);
  }

  /**
   * Soft-deletes the contact if it is at a version {@code precondition} allows (none: any); else
   * 412 and nothing is written. Checked on every attempt, so a change between the read and the
   * version-conditioned write is caught too.
   */
  public void delete(
      ApiKeyScope scope,
      String contactId,
      VersionPrecondition precondition,
      LongSupplier remainingMillis) {
    ContactStore store = this.store.within(remainingMillis);
    // The state an earlier attempt tried to write, to recognise it if its response was lost.
    AtomicReference<Contact> attempted = new AtomicReference<>();
    retrying(
        remainingMillis,
        () -> {
          if (attempted.get() != null && wasWritten(store, attempted.get())) {
            // An earlier attempt was applied but its response lost: the delete succeeded.
            return null;
          }
          Contact contact = reachableContact(store, scope, contactId);
          if (precondition != null && !precondition.allows(contact.version())) {
            throw new DomainException.PreconditionFailed(
                "The contact is not at the version If-Match names; read it again");
          }
          Instant now = now();
          Contact deleted = contact.softDeleted(now);
          attempted.set(deleted);
          store.write(
              new ContactWrite(
                  deleted, contact.version(), List.of(), identifiersOf(contact), Set.of(), now));
          return null;
        });
  }

  /**
   * Runs {@code attempt} until it succeeds, deciding again after every lost race or unavailable
   * store, within the retry policy and the caller's time.
   */
  private <T> T retrying(LongSupplier remainingMillis, Supplier<T> attempt) {
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return attempt.get();
      } catch (ContactStore.Conflict | ContactStore.Unavailable e) {
        boolean lostRace = e instanceof ContactStore.Conflict;
        try {
          pauseBeforeRetry(attempts, remainingMillis);
        } catch (DomainException.Unavailable exhausted) {
          metrics.retriesExhausted(lostRace);
          throw exhausted;
        }
        metrics.retried(lostRace);
      }
    }
  }

  private UpsertOutcome attemptUpsert(
      ContactStore store,
      ApiKeyScope scope,
      String workspaceId,
      UpsertRequest request,
      Set<String> attemptedCreates) {
    UpsertSnapshot snapshot = readWorkspaceAndIdentifiers(store, scope, workspaceId, request);
    Workspace workspace = snapshot.workspace().orElseThrow();
    Set<String> newTags =
        request.tags().stream()
            .filter(t -> !snapshot.registeredTags().contains(t))
            .collect(Collectors.toSet());
    Instant now = now();
    String matchedId =
        snapshot.phoneOwnerId() != null ? snapshot.phoneOwnerId() : snapshot.emailOwnerId();
    if (matchedId == null) {
      Contact created = ContactMerger.create(request, workspace, idGenerator.get(), now);
      attemptedCreates.add(created.id());
      store.write(new ContactWrite(created, null, identifiersOf(created), List.of(), newTags, now));
      metrics.written(Metrics.WriteOutcome.CREATED);
      return new UpsertOutcome(created, workspace, true);
    }
    Contact existing =
        store
            .findContact(matchedId)
            .filter(c -> !c.isDeleted() && c.workspaceId().equals(workspaceId))
            // An identifier always points at an active contact of its workspace; if this one
            // does not, a concurrent write is under way: decide again.
            .orElseThrow(() -> new ContactStore.Conflict("identifier owner changed"));
    Optional<Contact> merged =
        ContactMerger.update(
            existing,
            request,
            workspace,
            now,
            heldByAnother(snapshot.phoneOwnerId(), existing),
            heldByAnother(snapshot.emailOwnerId(), existing));
    boolean ownCreate = attemptedCreates.contains(existing.id());
    if (merged.isEmpty()) {
      // A retry that finds its own lost-response create answers 201: it created the contact.
      metrics.written(ownCreate ? Metrics.WriteOutcome.CREATED : Metrics.WriteOutcome.UNCHANGED);
      return new UpsertOutcome(existing, workspace, ownCreate);
    }
    Contact updated = merged.get();
    List<Identifier> before = identifiersOf(existing);
    List<Identifier> after = identifiersOf(updated);
    List<Identifier> claims = after.stream().filter(i -> !before.contains(i)).toList();
    List<Identifier> releases = before.stream().filter(i -> !after.contains(i)).toList();
    store.write(new ContactWrite(updated, existing.version(), claims, releases, newTags, now));
    metrics.written(ownCreate ? Metrics.WriteOutcome.CREATED : Metrics.WriteOutcome.UPDATED);
    return new UpsertOutcome(updated, workspace, ownCreate);
  }

  /**
   * The consistent read both writes decide from: the workspace (404 unless the key reaches it), the
   * owners of the request's phone and email and its tags' registrations; custom field names unknown
   * to the workspace are a 400.
   */
  private static UpsertSnapshot readWorkspaceAndIdentifiers(
      ContactStore store, ApiKeyScope scope, String workspaceId, UpsertRequest request) {
    Identifier phone = request.phone() == null ? null : Identifier.phone(request.phone());
    Identifier email = request.email() == null ? null : Identifier.email(request.email());
    UpsertSnapshot snapshot = store.readForUpsert(workspaceId, phone, email, request.tags());
    Workspace workspace =
        snapshot
            .workspace()
            .filter(w -> scope.reaches(w.accountId(), w.id()))
            .orElseThrow(() -> new DomainException.NotFound(WORKSPACE_NOT_FOUND));
    List<FieldError> unknownFields = UpsertRequestValidator.unknownCustomFields(request, workspace);
    if (!unknownFields.isEmpty()) {
      throw DomainException.InvalidRequest.of(unknownFields);
    }
    return snapshot;
  }

  private ContactView attemptCreate(
      ContactStore store,
      ApiKeyScope scope,
      String workspaceId,
      UpsertRequest request,
      Set<String> attemptedCreates) {
    UpsertSnapshot snapshot = readWorkspaceAndIdentifiers(store, scope, workspaceId, request);
    Workspace workspace = snapshot.workspace().orElseThrow();
    List<IdentifierConflict> conflicts = conflictsOf(snapshot);
    if (!conflicts.isEmpty()) {
      Optional<String> ownCreate =
          conflicts.stream()
              .map(IdentifierConflict::contactId)
              .filter(attemptedCreates::contains)
              .findFirst();
      if (ownCreate.isPresent()) {
        // An earlier attempt of this request was applied but its response lost.
        Contact created =
            store
                .findContact(ownCreate.get())
                .orElseThrow(() -> new ContactStore.Conflict("created contact not readable"));
        metrics.written(Metrics.WriteOutcome.CREATED);
        return new ContactView(created, workspace);
      }
      throw new DomainException.Conflict(conflictDetail(conflicts), conflicts);
    }
    Set<String> newTags =
        request.tags().stream()
            .filter(t -> !snapshot.registeredTags().contains(t))
            .collect(Collectors.toSet());
    Instant now = now();
    Contact created = ContactMerger.create(request, workspace, idGenerator.get(), now);
    attemptedCreates.add(created.id());
    // The claims' attribute_not_exists conditions decide a race: the loser re-reads and answers
    // 409 naming the winner.
    store.write(new ContactWrite(created, null, identifiersOf(created), List.of(), newTags, now));
    metrics.written(Metrics.WriteOutcome.CREATED);
    return new ContactView(created, workspace);
  }

  /**
   * The workspace the request may write to, once every request-level problem is known: 403 for a
   * workspace key naming another workspace, else 400 listing every field error (custom field names
   * included when the workspace is reachable), 404 when it is not.
   */
  private String validWorkspace(
      ContactStore store,
      ApiKeyScope scope,
      Map<String, Object> body,
      UpsertRequestValidator.Result validated,
      LongSupplier remainingMillis) {
    UpsertRequest request = validated.request();
    List<FieldError> errors = new ArrayList<>(validated.errors());
    String workspaceId = targetWorkspace(scope, body.get("workspaceId"), request, errors);
    if (!errors.isEmpty()) {
      // Custom field names can only be judged against a workspace the key may reach.
      if (workspaceId != null) {
        Workspace workspace =
            retrying(remainingMillis, () -> reachableWorkspace(store, scope, workspaceId));
        errors.addAll(UpsertRequestValidator.unknownCustomFields(request, workspace));
      }
      throw DomainException.InvalidRequest.of(errors);
    }
    return workspaceId;
  }

  /** Whether the store holds exactly {@code written}: same version, same deletion time. */
  private static boolean wasWritten(ContactStore store, Contact written) {
    return store
        .findContact(written.id())
        .filter(
            c ->
                c.version() == written.version()
                    && Objects.equals(c.deletedAt(), written.deletedAt()))
        .isPresent();
  }

  private String targetWorkspace(
      ApiKeyScope scope, Object rawWorkspaceId, UpsertRequest request, List<FieldError> errors) {
    String requested = request.workspaceId();
    if (scope.isWorkspaceKey()) {
      if (requested != null && !requested.equals(scope.workspaceId())) {
        throw new DomainException.Forbidden("This API key may not access workspace " + requested);
      }
      return scope.workspaceId();
    }
    if (rawWorkspaceId == null) {
      errors.add(0, new FieldError("workspaceId", WORKSPACE_REQUIRED));
    }
    return requested;
  }

  private static Workspace reachableWorkspace(
      ContactStore store, ApiKeyScope scope, String workspaceId) {
    return store
        .findWorkspace(workspaceId)
        .filter(w -> scope.reaches(w.accountId(), w.id()))
        .orElseThrow(() -> new DomainException.NotFound(WORKSPACE_NOT_FOUND));
  }

  private static Contact reachableContact(ContactStore store, ApiKeyScope scope, String contactId) {
    if (!UpsertRequestValidator.isUuid(contactId)) {
      throw new DomainException.NotFound(CONTACT_NOT_FOUND);
    }
    return store
        .findContact(contactId.toLowerCase(java.util.Locale.ROOT))
        .filter(c -> !c.isDeleted() && scope.reaches(c.accountId(), c.workspaceId()))
        .orElseThrow(() -> new DomainException.NotFound(CONTACT_NOT_FOUND));
  }

  private static boolean heldByAnother(String ownerId, Contact contact) {
    return ownerId != null && !Objects.equals(ownerId, contact.id());
  }

  private static List<Identifier> identifiersOf(Contact contact) {
    List<Identifier> identifiers = new ArrayList<>(2);
    if (contact.phone() != null) {
      identifiers.add(Identifier.phone(contact.phone()));
    }
    if (contact.email() != null) {
      identifiers.add(Identifier.email(contact.email()));
    }
    return identifiers;
  }

  private void pauseBeforeRetry(int attempt, LongSupplier remainingMillis) {
    long delay = retryPolicy.delayAfter(attempt, remainingMillis);
    if (delay < 0) {
      throw new DomainException.Unavailable(
          "The service is busy; retry the request shortly.", RETRY_AFTER_SECONDS);
    }
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DomainException.Unavailable("The request was interrupted.", RETRY_AFTER_SECONDS);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
