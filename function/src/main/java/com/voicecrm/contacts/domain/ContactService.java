package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ContactStore.UpsertSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The use cases of the API: upsert, read and soft-delete one contact. Decisions are re-made from a
 * fresh consistent read whenever a write loses a race, so concurrent callers converge on one
 * contact and nobody's change is lost.
 */
public final class ContactService {

  static final String WORKSPACE_REQUIRED = "workspaceId is required for account-scoped API keys";
  static final String WORKSPACE_NOT_FOUND = "Workspace not found";
  static final String CONTACT_NOT_FOUND = "Contact not found";
  static final int RETRY_AFTER_SECONDS = 1;

  private final ContactStore store;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final Supplier<String> idGenerator;
  private final UpsertRequestValidator validator = new UpsertRequestValidator();

  public ContactService(ContactStore store, Clock clock, RetryPolicy retryPolicy) {
    this(store, clock, retryPolicy, () -> UUID.randomUUID().toString());
  }

  ContactService(
      ContactStore store, Clock clock, RetryPolicy retryPolicy, Supplier<String> idGenerator) {
    this.store = store;
    this.clock = clock;
    this.retryPolicy = retryPolicy;
    this.idGenerator = idGenerator;
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
    UpsertRequestValidator.Result validated = validator.validate(body);
    UpsertRequest request = validated.request();
    List<FieldError> errors = new ArrayList<>(validated.errors());
    String workspaceId = targetWorkspace(scope, body.get("workspaceId"), request, errors);
    if (!errors.isEmpty()) {
      // Custom field names can only be judged against a workspace the key may reach.
      if (workspaceId != null) {
        errors.addAll(UpsertRequestValidator.unknownCustomFields(request, reachableWorkspace(scope, workspaceId)));
      }
      throw DomainException.InvalidRequest.of(errors);
    }
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        return attemptUpsert(scope, workspaceId, request);
      } catch (ContactStore.Conflict | ContactStore.Unavailable e) {
        pauseBeforeRetry(attempt, remainingMillis);
      }
    }
  }

  /** The active contact, when the key may see it. */
  public ContactView get(ApiKeyScope scope, String contactId) {
    Contact contact = reachableContact(scope, contactId);
    Workspace workspace = reachableWorkspace(scope, contact.workspaceId());
    return new ContactView(contact, workspace);
  }

  /** Soft-deletes the active contact and releases its phone and email (SPEC section 4). */
  public void delete(ApiKeyScope scope, String contactId, LongSupplier remainingMillis) {
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        Contact contact = reachableContact(scope, contactId);
        Instant now = now();
        Contact deleted = contact.softDeleted(now);
        store.write(
            new ContactWrite(
                deleted, contact.version(), List.of(), identifiersOf(contact), Set.of(), now));
        return;
      } catch (ContactStore.Conflict | ContactStore.Unavailable e) {
        pauseBeforeRetry(attempt, remainingMillis);
      }
    }
  }

  private UpsertOutcome attemptUpsert(ApiKeyScope scope, String workspaceId, UpsertRequest request) {
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
    Set<String> newTags =
        request.tags().stream()
            .filter(t -> !snapshot.registeredTags().contains(t))
            .collect(Collectors.toSet());
    Instant now = now();
    String matchedId =
        snapshot.phoneOwnerId() != null ? snapshot.phoneOwnerId() : snapshot.emailOwnerId();
    if (matchedId == null) {
      Contact created = ContactMerger.create(request, workspace, idGenerator.get(), now);
      store.write(new ContactWrite(created, null, identifiersOf(created), List.of(), newTags, now));
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
    if (merged.isEmpty()) {
      return new UpsertOutcome(existing, workspace, false);
    }
    Contact updated = merged.get();
    List<Identifier> before = identifiersOf(existing);
    List<Identifier> after = identifiersOf(updated);
    List<Identifier> claims = after.stream().filter(i -> !before.contains(i)).toList();
    List<Identifier> releases = before.stream().filter(i -> !after.contains(i)).toList();
    store.write(new ContactWrite(updated, existing.version(), claims, releases, newTags, now));
    return new UpsertOutcome(updated, workspace, false);
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

  private Workspace reachableWorkspace(ApiKeyScope scope, String workspaceId) {
    return store
        .findWorkspace(workspaceId)
        .filter(w -> scope.reaches(w.accountId(), w.id()))
        .orElseThrow(() -> new DomainException.NotFound(WORKSPACE_NOT_FOUND));
  }

  private Contact reachableContact(ApiKeyScope scope, String contactId) {
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
