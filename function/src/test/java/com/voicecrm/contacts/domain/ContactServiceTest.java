package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.testing.ManualClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shell around the decisions: request-level errors before reads, the reads each decision needs,
 * retries through the loop, lost responses end to end. The rules themselves are tested on values in
 * the {@code *DecisionTest}s.
 */
class ContactServiceTest {

  private static final String WS = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
  private static final String OTHER_WS = "0b8e4d52-7a31-4f6e-8c2d-9e5f1a3b7c40";
  private static final ApiKeyScope ACCOUNT_KEY = new ApiKeyScope("acc", null, "k1");
  private static final ApiKeyScope WORKSPACE_KEY = new ApiKeyScope("acc", WS, "k2");
  private static final RetryPolicy FAST = new RetryPolicy(3, 1, 2, 0);

  private InMemoryStore store;
  private ContactService service;
  private AtomicInteger ids;

  @BeforeEach
  void setUp() {
    store = new InMemoryStore();
    store.workspaces.put(
        WS,
        new Workspace(WS, "acc", "Main", null, List.of(new CustomFieldDefinition("f1", "MRR"))));
    store.workspaces.put(OTHER_WS, new Workspace(OTHER_WS, "other", "Theirs", null, List.of()));
    ids = new AtomicInteger();
    service =
        new ContactService(
            store,
            Clock.fixed(Instant.parse("2024-01-15T10:30:00.123456Z"), ZoneOffset.UTC),
            FAST,
            () -> "00000000-0000-4000-8000-00000000000" + ids.incrementAndGet());
  }

  private static final FieldError BAD_EMAIL = new FieldError("email", "Not an email");

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  /** The parsed values a request names; {@code errors} are its parse errors. */
  @SuppressWarnings("unchecked")
  private static ContactFields fields(Map<String, Object> m) {
    return new ContactFields(
        (String) m.get("firstName"),
        (String) m.get("lastName"),
        (String) m.get("email"),
        (String) m.get("phone"),
        (String) m.get("timezone"),
        (List<String>) m.getOrDefault("tags", List.of()),
        (Map<String, String>) m.getOrDefault("customFields", Map.of()));
  }

  @SuppressWarnings("unchecked")
  private static UpsertRequest upsert(Object... keyValues) {
    Map<String, Object> m = map(keyValues);
    return new UpsertRequest(
        (String) m.get("workspaceId"),
        fields(m),
        Boolean.TRUE.equals(m.get("preserveExisting")),
        (List<FieldError>) m.getOrDefault("errors", List.of()));
  }

  @SuppressWarnings("unchecked")
  private static CreateRequest create(Object... keyValues) {
    Map<String, Object> m = map(keyValues);
    return new CreateRequest(
        (String) m.get("workspaceId"),
        fields(m),
        (List<FieldError>) m.getOrDefault("errors", List.of()));
  }

  private static final Deadline PLENTY = Deadline.afterMillis(10_000);

  @Test
  void accountKey_withoutWorkspaceId_isInvalid_withTheSpecSentence() {
    DomainException.InvalidRequest e =
        assertThrows(
            DomainException.InvalidRequest.class,
            () -> service.upsert(ACCOUNT_KEY, upsert("phone", "+14155551234"), PLENTY));
    assertEquals("workspaceId is required for account-scoped API keys", e.getMessage());
  }

  @Test
  void workspaceKey_namingAnotherWorkspace_isForbidden_evenWithOtherErrors() {
    assertThrows(
        DomainException.Forbidden.class,
        () ->
            service.upsert(
                WORKSPACE_KEY,
                upsert("workspaceId", OTHER_WS, "errors", List.of(BAD_EMAIL)),
                PLENTY));
  }

  @Test
  void unreachableWorkspace_isNotFound_beforeFieldErrors() {
    assertThrows(
        DomainException.NotFound.class,
        () ->
            service.upsert(
                ACCOUNT_KEY,
                upsert("workspaceId", OTHER_WS, "errors", List.of(BAD_EMAIL)),
                PLENTY));
  }

  @Test
  void fieldErrors_andUnknownCustomFields_areReportedTogether() {
    DomainException.InvalidRequest e =
        assertThrows(
            DomainException.InvalidRequest.class,
            () ->
                service.upsert(
                    ACCOUNT_KEY,
                    upsert(
                        "workspaceId",
                        WS,
                        "errors",
                        List.of(BAD_EMAIL),
                        "customFields",
                        Map.of("Nope", "x")),
                    PLENTY));
    assertEquals(
        List.of("email", "customFields.Nope"), e.errors().stream().map(FieldError::field).toList());
    assertTrue(store.writes.isEmpty());
  }

  @Test
  void create_claimsPhoneAndEmail_registersNewTags_andTruncatesTimestampsToMillis() {
    store.registeredTags.add(WS + "/known");
    ContactService.UpsertOutcome outcome =
        service.upsert(
            ACCOUNT_KEY,
            upsert(
                "workspaceId",
                WS,
                "phone",
                "+14155551234",
                "email",
                "A@b.co",
                "tags",
                List.of("known", "new")),
            PLENTY);

    assertTrue(outcome.created());
    ContactWrite write = store.writes.get(0);
    assertEquals(null, write.expectedVersion());
    assertEquals(
        List.of(Identifier.phone("+14155551234"), Identifier.email("a@b.co")), write.claims());
    assertEquals(Set.of("new"), write.tagsToRegister());
    assertEquals(Instant.parse("2024-01-15T10:30:00.123Z"), outcome.contact().createdAt());
  }

  @Test
  void noOpUpdate_writesNothing() {
    service.upsert(
        ACCOUNT_KEY, upsert("workspaceId", WS, "email", "ann@b.co", "firstName", "Ann"), PLENTY);
    ContactService.UpsertOutcome again =
        service.upsert(
            ACCOUNT_KEY,
            upsert("workspaceId", WS, "email", "ann@b.co", "firstName", "Ann"),
            PLENTY);

    assertEquals(1, store.writes.size());
    assertTrue(!again.created());
  }

  @Test
  void lostRace_isDecidedAgain_andSucceeds() {
    store.conflictsToInject = 2;
    ContactService.UpsertOutcome outcome =
        service.upsert(ACCOUNT_KEY, upsert("workspaceId", WS, "phone", "+14155551234"), PLENTY);
    assertTrue(outcome.created());
    assertEquals(3, store.writeAttempts);
  }

  @Test
  void exhaustedRetries_areUnavailable_withRetryAfter_andNothingWritten() {
    store.conflictsToInject = 100;
    DomainException.Unavailable e =
        assertThrows(
            DomainException.Unavailable.class,
            () ->
                service.upsert(
                    ACCOUNT_KEY, upsert("workspaceId", WS, "phone", "+14155551234"), PLENTY));
    assertEquals(1, e.retryAfterSeconds());
    assertTrue(store.contacts.isEmpty());
  }

  /** The service's reports to its metrics port, in order. */
  private static final class RecordedMetrics implements Metrics {
    final List<String> events = new java.util.ArrayList<>();

    @Override
    public void written(WriteOutcome outcome) {
      events.add(outcome.name());
    }

    @Override
    public void retried(boolean lostRace) {
      events.add(lostRace ? "retried:lostRace" : "retried:unavailable");
    }

    @Override
    public void retriesExhausted(boolean lostRace) {
      events.add(lostRace ? "exhausted:lostRace" : "exhausted:unavailable");
    }
  }

  private ContactService serviceReportingTo(Metrics metrics) {
    return new ContactService(
        store,
        Clock.fixed(Instant.parse("2024-01-15T10:30:00.123456Z"), ZoneOffset.UTC),
        FAST,
        () -> "00000000-0000-4000-8000-00000000000" + ids.incrementAndGet(),
        metrics);
  }

  @Test
  void metrics_hearEachWritesOutcome_andEachRetry() {
    RecordedMetrics metrics = new RecordedMetrics();
    ContactService reporting = serviceReportingTo(metrics);
    store.conflictsToInject = 1;
    reporting.upsert(ACCOUNT_KEY, upsert("workspaceId", WS, "email", "ann@b.co"), PLENTY);
    reporting.upsert(
        ACCOUNT_KEY, upsert("workspaceId", WS, "email", "ann@b.co", "firstName", "Ann"), PLENTY);
    reporting.upsert(
        ACCOUNT_KEY, upsert("workspaceId", WS, "email", "ann@b.co", "firstName", "Ann"), PLENTY);
    reporting.create(ACCOUNT_KEY, create("workspaceId", WS, "email", "bo@b.co"), PLENTY);

    assertEquals(
        List.of("retried:lostRace", "CREATED", "UPDATED", "UNCHANGED", "CREATED"), metrics.events);
  }

  @Test
  void delete_releasesIdentifiers_andASecondDeleteIsNotFound() {
    String id =
        service
            .upsert(
                ACCOUNT_KEY,
                upsert("workspaceId", WS, "phone", "+14155551234", "email", "a@b.co"),
                PLENTY)
            .contact()
            .id();

    service.delete(WORKSPACE_KEY, id, PLENTY);

    ContactWrite delete = store.writes.get(1);
    assertEquals(
        List.of(Identifier.phone("+14155551234"), Identifier.email("a@b.co")), delete.releases());
    assertTrue(delete.contact().isDeleted());
    assertThrows(DomainException.NotFound.class, () -> service.delete(WORKSPACE_KEY, id, PLENTY));
    assertThrows(DomainException.NotFound.class, () -> service.get(ACCOUNT_KEY, id, PLENTY));
  }

  @Test
  void get_ofAContactOutsideTheKeysReach_isNotFound() {
    String id =
        service
            .upsert(ACCOUNT_KEY, upsert("workspaceId", WS, "phone", "+14155551234"), PLENTY)
            .contact()
            .id();

    assertThrows(
        DomainException.NotFound.class,
        () -> service.get(new ApiKeyScope("other", null, "k3"), id, PLENTY));
    assertThrows(
        DomainException.NotFound.class,
        () -> service.get(new ApiKeyScope("acc", OTHER_WS, "k4"), id, PLENTY));
    assertThrows(
        DomainException.NotFound.class, () -> service.get(ACCOUNT_KEY, "not-a-uuid", PLENTY));
  }

  @Test
  void unavailableStore_onReads_is503NotA500_forGetAndForTheValidationPath() {
    String id =
        service
            .upsert(ACCOUNT_KEY, upsert("workspaceId", WS, "phone", "+14155551234"), PLENTY)
            .contact()
            .id();
    store.readsFail = true;

    assertThrows(DomainException.Unavailable.class, () -> service.get(ACCOUNT_KEY, id, PLENTY));
    assertThrows(
        DomainException.Unavailable.class,
        () ->
            service.upsert(
                ACCOUNT_KEY, upsert("workspaceId", WS, "errors", List.of(BAD_EMAIL)), PLENTY));
  }

  @Test
  void everyUseCase_boundsItsStoreCallsByTheCallersTime() {
    Deadline budget = Deadline.afterMillis(4_321);
    String id =
        service
            .upsert(ACCOUNT_KEY, upsert("workspaceId", WS, "phone", "+14155551234"), budget)
            .contact()
            .id();
    service.get(ACCOUNT_KEY, id, budget);
    service.delete(ACCOUNT_KEY, id, budget);

    assertEquals(List.of(budget, budget, budget), store.deadlinesSeen);
  }

  @Test
  void create_writesOneNewContact_withClaimsAndTags_likeAnUpsertCreate() {
    ContactService.ContactView view =
        service.create(
            ACCOUNT_KEY,
            create(
                "workspaceId",
                WS,
                "phone",
                "+14155551234",
                "email",
                "A@b.co",
                "tags",
                List.of("n")),
            PLENTY);

    ContactWrite write = store.writes.get(0);
    assertEquals(null, write.expectedVersion());
    assertEquals(
        List.of(Identifier.phone("+14155551234"), Identifier.email("a@b.co")), write.claims());
    assertEquals(Set.of("n"), write.tagsToRegister());
    assertEquals("America/Los_Angeles", view.contact().timezone());
    assertEquals(0L, view.contact().version());
  }

  @Test
  void create_whenPhoneAndEmailHeldByDifferentContacts_namesBoth_andWritesNothing() {
    String phoneHolder =
        service
            .upsert(ACCOUNT_KEY, upsert("workspaceId", WS, "phone", "+14155551234"), PLENTY)
            .contact()
            .id();
    String emailHolder =
        service
            .upsert(ACCOUNT_KEY, upsert("workspaceId", WS, "email", "ann@b.co"), PLENTY)
            .contact()
            .id();

    DomainException.Conflict conflict =
        assertThrows(
            DomainException.Conflict.class,
            () ->
                service.create(
                    WORKSPACE_KEY, create("phone", "+14155551234", "email", "ANN@b.co"), PLENTY));

    assertEquals(
        List.of(
            new IdentifierConflict("phone", phoneHolder),
            new IdentifierConflict("email", emailHolder)),
        conflict.conflicts());
    assertEquals(
        "Another contact of the workspace already has this phone and email; see conflicts.",
        conflict.getMessage());
    assertEquals(2, store.writes.size());
  }

  @Test
  void create_withPreserveExisting_isInvalid_andWritesNothing() {
    DomainException.InvalidRequest invalid =
        assertThrows(
            DomainException.InvalidRequest.class,
            () ->
                service.create(
                    WORKSPACE_KEY,
                    create(
                        "phone",
                        "+14155551234",
                        "errors",
                        List.of(new FieldError("preserveExisting", "Unknown field"))),
                    PLENTY));

    assertEquals("preserveExisting", invalid.errors().get(0).field());
    assertEquals(0, store.writeAttempts);
  }

  @Test
  void create_lostToAConcurrentCreate_isAConflictNamingTheWinner() {
    String winner = "11111111-1111-4111-8111-111111111111";
    store.beforeWrite =
        () -> {
          store.identifiers.put(WS + "/" + Identifier.phone("+14155551234"), winner);
          store.beforeWrite = null;
        };

    DomainException.Conflict conflict =
        assertThrows(
            DomainException.Conflict.class,
            () -> service.create(WORKSPACE_KEY, create("phone", "+14155551234"), PLENTY));

    assertEquals(List.of(new IdentifierConflict("phone", winner)), conflict.conflicts());
    assertEquals(1, store.writeAttempts);
    assertEquals(0, store.writes.size());
  }

  @Test
  void create_appliedButItsResponseLost_answersTheCreatedContact_notAConflictWithItself() {
    store.failAfterApplying = true;

    ContactService.ContactView view =
        service.create(WORKSPACE_KEY, create("phone", "+14155551234"), PLENTY);

    assertEquals("+14155551234", view.contact().phone());
    assertEquals(1, store.contacts.size());
    // The retry sends the same write again (this store cannot tell it was already applied, so its
    // conditions fail), then the next decision finds the phone claimed by its own contact and
    // writes nothing more.
    assertEquals(2, store.writeAttempts);
  }

  /**
   * A write whose answer was lost after its commit window (issue 12) is not sent again: it could
   * commit behind a list walk's cursor. The next decision finds the contact the lost write created
   * and answers it as created, so 201 stays the truth.
   */
  @Test
  void aWriteAppliedButAnsweredAfterItsCommitWindow_isDecidedAgain_andStillAnswersCreated() {
    ManualClock clock = new ManualClock(Instant.parse("2024-01-15T10:30:00.123Z"));
    ContactService windowed = withCommitWindowOf500Ms(clock);
    // The call outlives the window: DynamoDB applies it, the answer is lost.
    store.beforeWrite = () -> clock.advance(java.time.Duration.ofMillis(600));
    store.failAfterApplying = true;

    ContactService.UpsertOutcome upserted =
        windowed.upsert(WORKSPACE_KEY, upsert("phone", "+14155551234"), PLENTY);
    store.failAfterApplying = true;
    ContactService.ContactView created =
        windowed.create(WORKSPACE_KEY, create("phone", "+14155559876"), PLENTY);

    assertTrue(upserted.created());
    assertEquals("+14155559876", created.contact().phone());
    assertEquals(2, store.contacts.size());
    // One call each: neither lost write was sent again.
    assertEquals(2, store.writeAttempts);
  }

  /** The service on {@code clock}, its writes bound to commit within 500 ms of their stamp. */
  private ContactService withCommitWindowOf500Ms(ManualClock clock) {
    return new ContactService(
        store,
        clock,
        FAST.withCommitWindow(java.time.Duration.ofMillis(500)),
        () -> "00000000-0000-4000-8000-00000000000" + ids.incrementAndGet());
  }

  @Test
  void aWriteAppliedButAnsweredWithinItsCommitWindow_isSentAgainAsItWas() {
    ManualClock clock = new ManualClock(Instant.parse("2024-01-15T10:30:00.123Z"));
    ContactService windowed = withCommitWindowOf500Ms(clock);
    store.beforeWrite = () -> clock.advance(java.time.Duration.ofMillis(100));
    store.failAfterApplying = true;

    ContactService.UpsertOutcome upserted =
        windowed.upsert(WORKSPACE_KEY, upsert("phone", "+14155551234"), PLENTY);

    assertTrue(upserted.created());
    assertEquals(2, store.writeAttempts); // the same write, found already written
  }

  @Test
  void upsertItem_decidesItsFirstAttemptFromTheBatchsRead_withoutReadingTheStore() {
    Workspace workspace = store.workspaces.get(WS);
    store.readsFail = true; // any read of its own would fail the item
    ContactService.UpsertOutcome outcome =
        service.upsertItem(
            WORKSPACE_KEY,
            WS,
            upsert("workspaceId", WS, "phone", "+14155551234"),
            PLENTY,
            new ContactService.FirstRead(
                new ContactStore.UpsertSnapshot(Optional.of(workspace), null, null, Set.of()),
                null));
    assertTrue(outcome.created());
    assertEquals(1, store.writeAttempts);
  }

  @Test
  void upsertItem_whoseBatchReadWentStale_decidesAgainFromItsOwnRead() {
    ContactService.UpsertOutcome existing =
        service.upsert(WORKSPACE_KEY, upsert("phone", "+14155551234", "firstName", "Ann"), PLENTY);
    int before = store.writeAttempts;
    // The batch read the phone as free; a writer has claimed it since.
    ContactService.UpsertOutcome outcome =
        service.upsertItem(
            WORKSPACE_KEY,
            WS,
            upsert("workspaceId", WS, "phone", "+14155551234", "lastName", "Lee"),
            PLENTY,
            new ContactService.FirstRead(
                new ContactStore.UpsertSnapshot(
                    Optional.of(store.workspaces.get(WS)), null, null, Set.of()),
                null));
    assertEquals(2, store.writeAttempts - before, "the stale create, then the update");
    assertFalse(outcome.created());
    assertEquals(existing.contact().id(), outcome.contact().id());
    assertEquals("Ann", outcome.contact().firstName());
    assertEquals("Lee", outcome.contact().lastName());
  }

  /** A store that applies writes in memory and enforces the same conditions as DynamoDB's. */
  static final class InMemoryStore implements ContactStore {
    final Map<String, Workspace> workspaces = new HashMap<>();
    final Map<String, Contact> contacts = new HashMap<>();
    final Map<String, String> identifiers = new HashMap<>();
    final Set<String> registeredTags = new HashSet<>();
    final List<ContactWrite> writes = new ArrayList<>();
    final List<Deadline> deadlinesSeen = new ArrayList<>();
    int conflictsToInject;
    int writeAttempts;
    boolean readsFail;
    // A concurrent writer's effect, applied just before this write is evaluated.
    Runnable beforeWrite;
    boolean failAfterApplying;

    @Override
    public ContactStore within(Deadline deadline) {
      deadlinesSeen.add(deadline);
      return this;
    }

    private void failIfAsked() {
      if (readsFail) {
        throw new Unavailable("injected", null);
      }
    }

    private static String key(String workspaceId, Identifier identifier) {
      return workspaceId + "/" + identifier;
    }

    @Override
    public Optional<Workspace> findWorkspace(String workspaceId) {
      failIfAsked();
      return Optional.ofNullable(workspaces.get(workspaceId));
    }

    @Override
    public UpsertSnapshot readForUpsert(
        String workspaceId, Identifier phone, Identifier email, Collection<String> tags) {
      Set<String> registered = new HashSet<>();
      tags.stream()
          .filter(t -> registeredTags.contains(workspaceId + "/" + t))
          .forEach(registered::add);
      return new UpsertSnapshot(
          findWorkspace(workspaceId),
          phone == null ? null : identifiers.get(key(workspaceId, phone)),
          email == null ? null : identifiers.get(key(workspaceId, email)),
          registered);
    }

    @Override
    public Optional<Contact> findContact(String contactId) {
      failIfAsked();
      return Optional.ofNullable(contacts.get(contactId));
    }

    @Override
    public WriteResult write(ContactWrite write) {
      writeAttempts++;
      if (beforeWrite != null) {
        beforeWrite.run();
      }
      if (conflictsToInject > 0) {
        conflictsToInject--;
        throw new Conflict("injected");
      }
      Contact contact = write.contact();
      Contact current = contacts.get(contact.id());
      boolean versionOk =
          write.expectedVersion() == null
              ? current == null
              : current != null && current.version() == write.expectedVersion();
      boolean claimsFree =
          write.claims().stream()
              .noneMatch(i -> identifiers.containsKey(key(contact.workspaceId(), i)));
      boolean releasesOwned =
          write.releases().stream()
              .allMatch(i -> contact.id().equals(identifiers.get(key(contact.workspaceId(), i))));
      if (!versionOk && contact.equals(current)) {
        return WriteResult.ALREADY_WRITTEN;
      }
      if (!versionOk || !claimsFree || !releasesOwned) {
        throw new Conflict("condition failed");
      }
      contacts.put(contact.id(), contact);
      write.releases().forEach(i -> identifiers.remove(key(contact.workspaceId(), i)));
      write.claims().forEach(i -> identifiers.put(key(contact.workspaceId(), i), contact.id()));
      write.tagsToRegister().forEach(t -> registeredTags.add(contact.workspaceId() + "/" + t));
      writes.add(write);
      if (failAfterApplying) {
        failAfterApplying = false;
        throw new Unavailable("applied, response lost", null);
      }
      return WriteResult.WRITTEN;
    }
  }
}
