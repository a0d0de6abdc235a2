package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list use case over an in-memory index that can be made stale on purpose: what a page shows,
 * how far it reads, and the scope rules, without I/O.
 */
class ContactListingTest {

  private static final String WS = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
  private static final String OTHER_WS = "0b8e4d52-7a31-4f6e-8c2d-9e5f1a3b7c40";
  private static final ApiKeyScope ACCOUNT_KEY = new ApiKeyScope("acc", null, "k1");
  private static final ApiKeyScope WORKSPACE_KEY = new ApiKeyScope("acc", WS, "k2");
  private static final Deadline PLENTY = Deadline.after(Duration.ofMinutes(10));
  private static final RetryPolicy FAST = new RetryPolicy(3, 1, 2, 0);
  private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");
  private static final Duration SETTLE = Duration.ofMillis(1_500);

  private Memory memory;
  private ContactListing listing;

  /** The listing's clock: an hour after T0 unless a test moves it, so every entry has settled. */
  private final ManualClock clock = new ManualClock(T0.plusSeconds(3600));

  @BeforeEach
  void setUp() {
    memory = new Memory();
    memory.workspaces.put(WS, new Workspace(WS, "acc", "Main", null, List.of()));
    memory.workspaces.put(OTHER_WS, new Workspace(OTHER_WS, "other", "Theirs", null, List.of()));
    listing = listingSettlingAfter(SETTLE);
  }

  private ContactListing listingSettlingAfter(Duration settle) {
    return new ContactListing(
        new AttemptLoop(new Directory(memory), FAST, Metrics.NONE), memory, clock, settle);
  }

  private static Contact contactAt(int n, Instant updatedAt, String... tags) {
    Contact c = contact(n, WS, 0, tags);
    return new Contact(
        c.id(),
        c.workspaceId(),
        c.accountId(),
        c.firstName(),
        null,
        null,
        c.phone(),
        null,
        c.tags(),
        Map.of(),
        c.createdAt(),
        updatedAt,
        null,
        1);
  }

  private static String id(int n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }

  private static Contact contact(int n, String workspaceId, long secondsAfterT0, String... tags) {
    return new Contact(
        id(n),
        workspaceId,
        "acc",
        "C" + n,
        null,
        null,
        "+1415555" + String.format("%04d", n),
        null,
        List.of(tags),
        Map.of(),
        T0,
        T0.plusSeconds(secondsAfterT0),
        null,
        1);
  }

  /**
   * The typed query the api layer reads from these parameters (its own rules are tested in {@code
   * ListQueryParserTest}); a limit out of range is carried as its field error.
   */
  private static ListQuery.Parsed query(String... nameValues) {
    String workspaceId = null;
    int limit = ListQuery.DEFAULT_LIMIT;
    String cursor = null;
    ListQuery.Filter filter = new ListQuery.All();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      String value = nameValues[i + 1];
      switch (nameValues[i]) {
        case ListQuery.WORKSPACE_ID -> workspaceId = value;
        case ListQuery.CURSOR -> cursor = value;
        case ListQuery.TAG -> filter = new ListQuery.Tag(value);
        case ListQuery.PHONE -> filter = new ListQuery.Phone(value);
        case ListQuery.UPDATED_AFTER -> filter = new ListQuery.UpdatedAfter(Instant.parse(value));
        case ListQuery.LIMIT -> {
          int n = Integer.parseInt(value);
          if (n >= 1 && n <= ListQuery.MAX_LIMIT) {
            limit = n;
          } else {
            errors.add(new FieldError(ListQuery.LIMIT, "Must be a whole number from 1 to 100"));
          }
        }
        default -> throw new IllegalArgumentException(nameValues[i]);
      }
    }
    return new ListQuery.Parsed(new ListQuery(workspaceId, limit, filter, cursor), errors);
  }

  private static List<String> ids(ContactListing.Page page) {
    return page.contacts().stream().map(Contact::id).toList();
  }

  @Test
  void pages_followUpdatedAtThenId_andTheLastHasNoCursor() {
    memory.put(contact(3, WS, 1));
    memory.put(contact(2, WS, 1));
    memory.put(contact(1, WS, 2));

    ContactListing.Page first = listing.list(WORKSPACE_KEY, query("limit", "2"), PLENTY);
    ContactListing.Page second =
        listing.list(WORKSPACE_KEY, query("limit", "2", "cursor", first.nextCursor()), PLENTY);

    assertEquals(List.of(id(2), id(3)), ids(first));
    assertNotNull(first.nextCursor());
    assertEquals(List.of(id(1)), ids(second));
    assertNull(second.nextCursor());
  }

  @Test
  void anExactlyFullLastPage_hasNoCursor() {
    memory.put(contact(1, WS, 1));
    memory.put(contact(2, WS, 2));

    ContactListing.Page page = listing.list(WORKSPACE_KEY, query("limit", "2"), PLENTY);

    assertEquals(List.of(id(1), id(2)), ids(page));
    assertNull(page.nextCursor());
  }

  @Test
  void staleEntries_showTheContactAtItsCurrentPositionOnly_andNeverADeletedOne() {
    memory.put(contact(1, WS, 1));
    memory.put(contact(2, WS, 2));
    memory.put(contact(3, WS, 3));
    // The index still has 1 at its old place although it moved past 3, and still lists 2,
    // which was deleted: as a lagging index would.
    memory.contacts.put(id(1), contact(1, WS, 4));
    memory.index.add(new ListPosition(T0.plusSeconds(4), id(1)));
    memory.contacts.put(id(2), contact(2, WS, 2).softDeleted(T0.plusSeconds(5)));

    ContactListing.Page page = listing.list(WORKSPACE_KEY, query(), PLENTY);

    assertEquals(List.of(id(3), id(1)), ids(page));
  }

  @Test
  void entriesOfAnotherWorkspaceOrWithoutTheTag_areNotShown() {
    memory.put(contact(1, WS, 1, "vip"));
    memory.put(contact(2, WS, 2, "vip"));
    // 2 lost the tag, and an entry names a contact of another workspace: both stale.
    memory.contacts.put(id(2), contact(2, WS, 2));
    memory.contacts.put(id(1), contact(1, OTHER_WS, 1, "vip"));

    assertEquals(List.of(), ids(listing.list(WORKSPACE_KEY, query("tag", "vip"), PLENTY)));
  }

  @Test
  void skippedEntries_areMadeUpByMoreRounds_boundedToThree() {
    for (int n = 1; n <= 10; n++) {
      memory.put(contact(n, WS, n));
    }
    for (int n = 1; n <= 7; n++) {
      memory.contacts.put(id(n), contact(n, WS, n).softDeleted(T0.plusSeconds(20)));
    }

    // Round 1 examines 1-2 (deleted), round 2 3-4, round 3 5-6: the page is empty but moves on.
    ContactListing.Page cut = listing.list(WORKSPACE_KEY, query("limit", "2"), PLENTY);
    assertEquals(List.of(), ids(cut));
    assertEquals(3, memory.queries);
    ContactListing.Page rest =
        listing.list(WORKSPACE_KEY, query("limit", "2", "cursor", cut.nextCursor()), PLENTY);
    assertEquals(List.of(id(8), id(9)), ids(rest));
    // Never more contacts read than three times the limit.
    assertEquals(2 + 2 + 2 + 2 + 1, memory.contactsRead);
  }

  @Test
  void aPageOfLargeContacts_stopsBeforeLambdasResponseLimit_andTheNextStartsAfterTheLastShown() {
    // Contacts near DynamoDB's 400 KB item limit: custom field values of 10,000 characters.
    Map<String, String> values = new HashMap<>();
    for (int f = 0; f < 35; f++) {
      values.put("f" + f, "x".repeat(10_000));
    }
    for (int n = 1; n <= 5; n++) {
      Contact big = contact(n, WS, n);
      memory.put(
          new Contact(
              big.id(),
              WS,
              "acc",
              null,
              null,
              null,
              big.phone(),
              null,
              List.of(),
              values,
              big.createdAt(),
              big.updatedAt(),
              null,
              1));
    }

    ContactListing.Page first = listing.list(WORKSPACE_KEY, query(), PLENTY);
    List<String> all = new ArrayList<>(ids(first));
    String cursor = first.nextCursor();
    while (cursor != null) {
      ContactListing.Page next = listing.list(WORKSPACE_KEY, query("cursor", cursor), PLENTY);
      all.addAll(ids(next));
      cursor = next.nextCursor();
    }

    assertTrue(first.contacts().size() < 5 && !first.contacts().isEmpty(), ids(first).toString());
    assertTrue(
        first.contacts().stream().mapToLong(ContactListing::estimatedBytes).sum()
            <= ContactListing.MAX_PAGE_BYTES);
    assertEquals(List.of(id(1), id(2), id(3), id(4), id(5)), all);
  }

  @Test
  void updatedAfter_isExclusive_andTheCursorTakesOverFromIt() {
    memory.put(contact(1, WS, 1));
    memory.put(contact(2, WS, 2));
    memory.put(contact(3, WS, 3));
    String after = T0.plusSeconds(1).toString();

    ContactListing.Page first =
        listing.list(WORKSPACE_KEY, query("updatedAfter", after, "limit", "1"), PLENTY);
    ContactListing.Page second =
        listing.list(
            WORKSPACE_KEY,
            query("updatedAfter", after, "limit", "1", "cursor", first.nextCursor()),
            PLENTY);

    assertEquals(List.of(id(2)), ids(first));
    assertEquals(List.of(id(3)), ids(second));
    assertNull(second.nextCursor());
  }

  @Test
  void phoneFilter_isTheActiveHolder_orNothing_neverACursor() {
    memory.put(contact(1, WS, 1));
    memory.claims.put("+14155550001", id(1));

    ContactListing.Page found = listing.list(WORKSPACE_KEY, query("phone", "+14155550001"), PLENTY);
    memory.contacts.put(id(1), contact(1, WS, 1).softDeleted(T0.plusSeconds(9)));
    ContactListing.Page deleted =
        listing.list(WORKSPACE_KEY, query("phone", "+14155550001"), PLENTY);

    assertEquals(List.of(id(1)), ids(found));
    assertNull(found.nextCursor());
    assertEquals(List.of(), ids(deleted));
  }

  @Test
  void aCursor_fromAnotherFilterOrScope_isACursorError() {
    memory.put(contact(1, WS, 1, "a"));
    memory.put(contact(2, WS, 2, "a"));
    String cursor = listing.list(WORKSPACE_KEY, query("limit", "1"), PLENTY).nextCursor();

    DomainException.InvalidRequest otherFilter =
        assertThrows(
            DomainException.InvalidRequest.class,
            () -> listing.list(WORKSPACE_KEY, query("tag", "a", "cursor", cursor), PLENTY));
    DomainException.InvalidRequest otherScope =
        assertThrows(
            DomainException.InvalidRequest.class,
            () -> listing.list(ACCOUNT_KEY, query("workspaceId", WS, "cursor", cursor), PLENTY));

    assertEquals("cursor", otherFilter.errors().get(0).field());
    assertEquals("cursor", otherScope.errors().get(0).field());
  }

  @Test
  void accountKey_withoutWorkspaceId_isInvalid_withTheSpecSentence_firstOfAll() {
    DomainException.InvalidRequest e =
        assertThrows(
            DomainException.InvalidRequest.class,
            () -> listing.list(ACCOUNT_KEY, query("limit", "0"), PLENTY));

    assertEquals("workspaceId", e.errors().get(0).field());
    assertEquals(
        "workspaceId is required for account-scoped API keys", e.errors().get(0).message());
    assertEquals("limit", e.errors().get(1).field());
  }

  @Test
  void workspaceKey_namingAnotherWorkspace_isForbidden_evenWithOtherErrors() {
    assertThrows(
        DomainException.Forbidden.class,
        () -> listing.list(WORKSPACE_KEY, query("workspaceId", OTHER_WS, "limit", "0"), PLENTY));
  }

  @Test
  void anotherAccountsWorkspace_isNotFound_beforeOtherErrors() {
    assertThrows(
        DomainException.NotFound.class,
        () -> listing.list(ACCOUNT_KEY, query("workspaceId", OTHER_WS, "limit", "0"), PLENTY));
    assertThrows(
        DomainException.NotFound.class,
        () -> listing.list(ACCOUNT_KEY, query("workspaceId", OTHER_WS), PLENTY));
  }

  @Test
  void entriesYoungerThanTheSettleHorizon_areNotShown_andShowOnALaterPage() {
    Instant now = T0.plusSeconds(10);
    clock.set(now);
    memory.put(contactAt(1, now.minusSeconds(3)));
    memory.put(contactAt(2, now.minus(SETTLE))); // exactly at the horizon: settled
    memory.put(contactAt(3, now.minus(SETTLE).plusMillis(1)));
    memory.put(contactAt(4, now));

    ContactListing.Page first = listing.list(WORKSPACE_KEY, query(), PLENTY);
    clock.set(now.plus(SETTLE));
    ContactListing.Page rest =
        listing.list(WORKSPACE_KEY, query("cursor", first.nextCursor()), PLENTY);

    assertEquals(List.of(id(1), id(2)), ids(first));
    assertNotNull(first.nextCursor(), "the settling entries are on a later page");
    assertEquals(List.of(id(3), id(4)), ids(rest));
    assertNull(rest.nextCursor());
    // The young entries were read from the index (to know a next page exists), never examined.
    assertEquals(2 + 2, memory.contactsRead);
  }

  /**
   * Issue 12: writer A stamps T_a, writer B stamps T_b > T_a and commits first; A's entry appears
   * only after a page has read B's. The horizon keeps the cursor before B until A has settled.
   */
  @Test
  void aWriteCommittingAfterALaterOne_isNotMissedByTheWalk() {
    Instant now = T0.plusSeconds(60);
    clock.set(now);
    memory.put(contactAt(1, now.minusSeconds(30)));
    Contact writerA = contactAt(2, now.minusMillis(200));
    memory.put(contactAt(3, now.minusMillis(100))); // writer B, committed first

    ContactListing.Page first = listing.list(WORKSPACE_KEY, query(), PLENTY);
    memory.put(writerA); // A commits, behind B
    clock.set(now.plus(SETTLE));
    ContactListing.Page second =
        listing.list(WORKSPACE_KEY, query("cursor", first.nextCursor()), PLENTY);

    assertEquals(List.of(id(1)), ids(first));
    assertEquals(List.of(id(2), id(3)), ids(second));
  }

  @Test
  void withoutASettleHorizon_theWalkMissesTheLateCommit() {
    // The same race on a listing without the horizon: what the horizon is for.
    ContactListing unsettled = listingSettlingAfter(Duration.ZERO);
    Instant now = T0.plusSeconds(60);
    clock.set(now);
    memory.put(contactAt(1, now.minusSeconds(30)));
    memory.put(contactAt(3, now.minusMillis(100)));

    ContactListing.Page first = unsettled.list(WORKSPACE_KEY, query("limit", "2"), PLENTY);
    memory.put(contactAt(2, now.minusMillis(200)));

    assertEquals(List.of(id(1), id(3)), ids(first));
    assertNull(first.nextCursor(), "the walk ended without A");
  }

  @Test
  void aFirstPageOfOnlySettlingEntries_isEmpty_withACursorFromTheStart() {
    Instant now = T0.plusSeconds(10);
    clock.set(now);
    memory.put(contactAt(1, now.minusMillis(10), "vip"));
    memory.put(contactAt(2, now.minusMillis(5), "vip"));

    ContactListing.Page all = listing.list(WORKSPACE_KEY, query(), PLENTY);
    ContactListing.Page tag = listing.list(WORKSPACE_KEY, query("tag", "vip"), PLENTY);
    ContactListing.Page after =
        listing.list(WORKSPACE_KEY, query("updatedAfter", now.minusMillis(10).toString()), PLENTY);
    clock.set(now.plus(SETTLE));

    assertEquals(List.of(), ids(all));
    assertEquals(List.of(), ids(tag));
    assertEquals(List.of(), ids(after));
    assertEquals(
        List.of(id(1), id(2)),
        ids(listing.list(WORKSPACE_KEY, query("cursor", all.nextCursor()), PLENTY)));
    assertEquals(
        List.of(id(1), id(2)),
        ids(listing.list(WORKSPACE_KEY, query("tag", "vip", "cursor", tag.nextCursor()), PLENTY)));
    // updatedAfter stays exclusive through the cursor made before anything had settled.
    String afterCursor = after.nextCursor();
    assertEquals(
        List.of(id(2)),
        ids(
            listing.list(
                WORKSPACE_KEY,
                query("updatedAfter", now.minusMillis(10).toString(), "cursor", afterCursor),
                PLENTY)));
  }

  @Test
  void aCursorAtTheHorizon_neverMovesBack_onAClockBehindTheOneThatMadeIt() {
    Instant now = T0.plusSeconds(10);
    clock.set(now);
    memory.put(contactAt(1, now.minusSeconds(5)));
    memory.put(contactAt(2, now.minusMillis(100)));
    ContactListing.Page first = listing.list(WORKSPACE_KEY, query(), PLENTY);
    clock.set(now.minusSeconds(1)); // another instance, its clock a second behind

    ContactListing.Page again =
        listing.list(WORKSPACE_KEY, query("cursor", first.nextCursor()), PLENTY);

    assertEquals(List.of(id(1)), ids(first));
    assertEquals(List.of(), ids(again), "contact 1 is not shown twice");
    assertNotNull(again.nextCursor());
  }

  @Test
  void aPhoneFilter_showsAWriteAtOnce() {
    Instant now = T0.plusSeconds(10);
    clock.set(now);
    memory.put(contactAt(1, now));
    memory.claims.put("+14155550001", id(1));

    assertEquals(
        List.of(id(1)), ids(listing.list(WORKSPACE_KEY, query("phone", "+14155550001"), PLENTY)));
  }

  @Test
  void anUnavailableRead_isReadAgain_withinTheRetryPolicy() {
    memory.put(contact(1, WS, 1));
    memory.failuresLeft = 2;

    ContactListing.Page page = listing.list(WORKSPACE_KEY, query(), PLENTY);

    assertEquals(List.of(id(1)), ids(page));
    assertEquals(0, memory.failuresLeft);
  }

  @Test
  void anUnavailableStore_isA503ToRetry() {
    memory.failuresLeft = Integer.MAX_VALUE;

    assertThrows(
        DomainException.Unavailable.class, () -> listing.list(WORKSPACE_KEY, query(), PLENTY));
  }

  /** Both ports in memory; {@link #put} indexes a contact as a write would. */
  private static final class Memory implements ContactListingStore {
    final Map<String, Workspace> workspaces = new HashMap<>();
    final Map<String, Contact> contacts = new HashMap<>();
    final Map<String, String> claims = new HashMap<>();
    final TreeSet<ListPosition> index = new TreeSet<>();
    int queries;
    int contactsRead;
    int failuresLeft; // index reads that fail as unavailable before one succeeds

    void put(Contact contact) {
      contacts.put(contact.id(), contact);
      index.add(ListPosition.of(contact));
    }

    @Override
    public IndexEntries entriesAfter(String workspaceId, String tag, ListPosition after, int max) {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new ContactStore.Unavailable("down", null);
      }
      queries++;
      List<ListPosition> entries = new ArrayList<>();
      for (ListPosition position : after == null ? index : index.tailSet(after, false)) {
        if (entries.size() == max) {
          break;
        }
        entries.add(position);
      }
      return new IndexEntries(entries, false);
    }

    @Override
    public Map<String, Contact> contacts(Collection<String> ids) {
      contactsRead += ids.size();
      Map<String, Contact> found = new HashMap<>();
      ids.forEach(id -> Optional.ofNullable(contacts.get(id)).ifPresent(c -> found.put(id, c)));
      return found;
    }

    @Override
    public Optional<Contact> holderOf(String workspaceId, Identifier identifier) {
      return Optional.ofNullable(claims.get(identifier.value())).map(contacts::get);
    }
  }

  /** The workspaces of {@link Memory}, as the contact store's port gives them. */
  private record Directory(Memory memory) implements ContactStore {
    @Override
    public Optional<Workspace> findWorkspace(String workspaceId) {
      return Optional.ofNullable(memory.workspaces.get(workspaceId));
    }

    @Override
    public UpsertSnapshot readForUpsert(
        String workspaceId, Identifier phone, Identifier email, Collection<String> tags) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Contact> findContact(String contactId) {
      return Optional.ofNullable(memory.contacts.get(contactId));
    }

    @Override
    public WriteResult write(ContactWrite write) {
      throw new UnsupportedOperationException();
    }
  }
}
