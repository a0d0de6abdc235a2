package com.voicecrm.contacts.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The list route's use case (SPEC 9): validates the query against the key's scope, then reads one
 * page. Pages come from an index that may lag, so every page is checked against the contacts
 * themselves, read consistently: only a contact that is active, in the workspace, holds the tag
 * (for a tag listing) and sits exactly at the entry's position is shown. A contact that moved is
 * shown at its new position only, a deleted one never, and a page reads O(limit) items.
 *
 * <p>The settle horizon (issue 12): a write stamps {@code updatedAt} before it commits, and its
 * index entry appears later still, so an entry can appear behind a cursor that has passed its time.
 * Every write commits within its commit window of its stamp ({@link RetryPolicy#commitWindow}) and
 * the index follows within its lag, so an entry stamped {@code settle} (the two together) before
 * now is in the index for good. The index-ordered listings (unfiltered, {@code tag}, {@code
 * updatedAfter}) therefore neither show nor move their cursor past a younger entry: such entries
 * end the page, with a next cursor, and show on a later page. That is how a full walk misses no
 * contact active throughout (SPEC 9); the listings lag writes by {@code settle}.
 */
public final class ContactListing {

  /** Index reads per page when entries are skipped: bounds a page to O(limit) items. */
  static final int MAX_ROUNDS = 3;

  /**
   * What a page's contacts may add up to by {@link #estimatedBytes}: well inside Lambda's 6 MB
   * response (the body is JSON inside the proxy response's JSON). Contacts of a few KB never reach
   * it; 100 contacts near DynamoDB's 400 KB item limit would.
   */
  static final long MAX_PAGE_BYTES = 4_000_000;

  static final String CURSOR_INVALID =
      "Not a cursor of this listing: pass nextCursor unchanged, with the same workspaceId and"
          + " filter";

  private final AttemptLoop loop;
  private final ContactListingStore listing;
  private final Clock clock;
  private final Duration settle;

  /**
   * @param loop retries the page's reads (through its store) within the request's deadline
   * @param clock the clock the writes stamp {@code updatedAt} with
   * @param settle how long before now an entry must be stamped to be shown: the writes' commit
   *     window plus the index's lag
   */
  public ContactListing(
      AttemptLoop loop, ContactListingStore listing, Clock clock, Duration settle) {
    this.loop = loop;
    this.listing = listing;
    this.clock = clock;
    this.settle = settle;
  }

  /** One page: its contacts in order, their workspace, and the cursor of the next (or null). */
  public record Page(List<Contact> contacts, Workspace workspace, String nextCursor) {}

  /**
   * The page the query asks for. Its reads have nothing to decide again: a lost one is read again
   * by {@link AttemptLoop#read}, and 503 once the deadline runs out.
   *
   * @param parsed the typed query, with the problems found reading it
   */
  public Page list(ApiKeyScope scope, ListQuery.Parsed parsed, Deadline deadline) {
    ListQuery query = parsed.query();
    List<FieldError> errors = new ArrayList<>(parsed.errors());
    String workspaceId = Access.targetWorkspace(scope, parsed, errors);
    ListPosition start = start(scope, query, workspaceId, errors);
    ContactListingStore store = listing.within(deadline);
    return loop.read(
        deadline,
        contacts -> {
          if (!errors.isEmpty()) {
            // As for writes: a workspace the key may not reach is 404 before any other problem.
            if (workspaceId != null) {
              Access.reachableWorkspace(contacts.findWorkspace(workspaceId), scope);
            }
            throw DomainException.InvalidRequest.of(errors);
          }
          Workspace workspace =
              Access.reachableWorkspace(contacts.findWorkspace(workspaceId), scope);
          return page(store, scope, query, workspace, start, settledUpTo());
        });
  }

  /**
   * After every entry stamped at or before now less {@code settle}: those, and only those, are in
   * the index for good (stored times have millisecond precision).
   */
  private ListPosition settledUpTo() {
    return ListPosition.after(clock.instant().minus(settle).truncatedTo(ChronoUnit.MILLIS));
  }

  /** Where the cursor says the page starts (null: from the beginning); a bad one is an error. */
  private static ListPosition start(
      ApiKeyScope scope, ListQuery query, String workspaceId, List<FieldError> errors) {
    if (query.cursor() != null) {
      if (!ListCursor.isWellFormed(query.cursor())) {
        errors.add(new FieldError(ListQuery.CURSOR, CURSOR_INVALID));
      } else if (errors.isEmpty()) {
        Optional<ListPosition> position =
            ListCursor.decode(
                query.cursor(), ListCursor.Binding.of(workspaceId, scope, query.filter()));
        if (position.isEmpty()) {
          errors.add(new FieldError(ListQuery.CURSOR, CURSOR_INVALID));
        } else {
          return position.get();
        }
      }
    }
    return null;
  }

  /**
   * The page of a valid query in a workspace the key reaches, from {@code start} on, up to {@code
   * settled} for the listings read from the index.
   */
  private static Page page(
      ContactListingStore store,
      ApiKeyScope scope,
      ListQuery query,
      Workspace workspace,
      ListPosition start,
      ListPosition settled) {
    ListQuery.Filter filter = query.filter();
    if (filter instanceof ListQuery.Phone phone) {
      return single(store.holderOf(workspace.id(), Identifier.phone(phone.e164())), workspace);
    }
    if (filter instanceof ListQuery.Email email) {
      return single(store.holderOf(workspace.id(), Identifier.email(email.address())), workspace);
    }
    if (filter instanceof ListQuery.Tag tag) {
      return walk(store, scope, query, workspace, tag.tag(), start, settled);
    }
    if (filter instanceof ListQuery.UpdatedAfter updatedAfter && start == null) {
      ListPosition after = ListPosition.after(updatedAfter.instant());
      return walk(store, scope, query, workspace, null, after, settled);
    }
    return walk(store, scope, query, workspace, null, start, settled);
  }

  /** A phone or email listing: the claim's holder when it is an active contact of the workspace. */
  private static Page single(Optional<Contact> holder, Workspace workspace) {
    List<Contact> found =
        holder
            .filter(c -> !c.isDeleted() && c.workspaceId().equals(workspace.id()))
            .map(List::of)
            .orElse(List.of());
    return new Page(found, workspace, null);
  }

  /**
   * Up to {@code limit} verified contacts after {@code start} and not after {@code settled},
   * reading the index again when entries were skipped, at most {@link #MAX_ROUNDS} times; the next
   * cursor starts after the last entry examined, so a page cut short by skipped entries still moves
   * the walk forward. An entry past {@code settled} ends the page: it is neither examined nor
   * passed, and the next cursor (there is one) starts at the horizon, every entry up to it read.
   */
  private static Page walk(
      ContactListingStore store,
      ApiKeyScope scope,
      ListQuery query,
      Workspace workspace,
      String tag,
      ListPosition start,
      ListPosition settled) {
    List<Contact> page = new ArrayList<>();
    long pageBytes = 0;
    ListPosition after = start;
    boolean more = true;
    boolean full = false; // the page reached MAX_PAGE_BYTES
    boolean settling = false; // the page reached entries younger than the horizon
    for (int round = 0;
        round < MAX_ROUNDS && more && !full && !settling && page.size() < query.limit();
        round++) {
      int wanted = query.limit() - page.size();
      // One entry more than wanted tells whether a next page exists; the same Query, unbounded
      // above, tells whether entries wait beyond the horizon.
      ContactListingStore.IndexEntries entries =
          store.entriesAfter(workspace.id(), tag, after, wanted + 1);
      List<ListPosition> upToHorizon = settledPrefix(entries.positions(), settled);
      settling = upToHorizon.size() < entries.positions().size();
      List<ListPosition> examined = upToHorizon.subList(0, Math.min(wanted, upToHorizon.size()));
      more = entries.positions().size() > examined.size() || entries.more();
      if (examined.isEmpty()) {
        break;
      }
      Map<String, Contact> current =
          store.contacts(examined.stream().map(ListPosition::id).distinct().toList());
      after = examined.get(examined.size() - 1);
      for (Contact contact : visible(examined, current, workspace.id(), tag)) {
        if (!page.isEmpty() && pageBytes + estimatedBytes(contact) > MAX_PAGE_BYTES) {
          // The answer must fit Lambda's 6 MB: the next page starts after the last one shown.
          after = ListPosition.of(page.get(page.size() - 1));
          more = true;
          full = true;
          break;
        }
        pageBytes += estimatedBytes(contact);
        page.add(contact);
      }
    }
    if (settling && !full) {
      // Every entry up to the horizon has been examined (at most `wanted` of them were read before
      // the first younger one): the next page may start there. Never back: another instance's
      // clock may be a little behind the one that made the cursor.
      after = after == null || after.compareTo(settled) < 0 ? settled : after;
    }
    String next =
        more && after != null
            ? ListCursor.encode(after, ListCursor.Binding.of(workspace.id(), scope, query.filter()))
            : null;
    return new Page(page, workspace, next);
  }

  /** The leading entries of {@code positions} at or before the horizon {@code settled}. */
  static List<ListPosition> settledPrefix(List<ListPosition> positions, ListPosition settled) {
    int settledCount = 0;
    while (settledCount < positions.size() && positions.get(settledCount).compareTo(settled) < 0) {
      settledCount++;
    }
    return positions.subList(0, settledCount);
  }

  /**
   * The entries whose contact, as read now, belongs there: active, of the workspace, holding the
   * tag (when listing one), and at exactly the entry's position.
   */
  static List<Contact> visible(
      List<ListPosition> entries, Map<String, Contact> contacts, String workspaceId, String tag) {
    List<Contact> visible = new ArrayList<>();
    for (ListPosition entry : entries) {
      Contact contact = contacts.get(entry.id());
      if (contact != null
          && !contact.isDeleted()
          && contact.workspaceId().equals(workspaceId)
          && (tag == null || contact.tags().contains(tag))
          && ListPosition.of(contact).equals(entry)) {
        visible.add(contact);
      }
    }
    return visible;
  }

  /**
   * An upper bound of what {@code contact} adds to the answer: every character of its text as the
   * longest escape JSON inside JSON can make of it (7 bytes), plus the keys and punctuation.
   */
  static long estimatedBytes(Contact contact) {
    long chars = 0;
    for (String text :
        new String[] {
          contact.firstName(),
          contact.lastName(),
          contact.email(),
          contact.phone(),
          contact.timezone()
        }) {
      chars += text == null ? 0 : text.length();
    }
    for (String tag : contact.tags()) {
      chars += tag.length() + 3;
    }
    for (Map.Entry<String, String> field : contact.customFieldValues().entrySet()) {
      // Shown under its display name, which the contact does not hold: 255 characters for it.
      chars += 255 + (field.getValue() == null ? 4 : field.getValue().length()) + 6;
    }
    return 400 + 7 * chars;
  }
}
