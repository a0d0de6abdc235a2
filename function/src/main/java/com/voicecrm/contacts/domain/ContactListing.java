package com.voicecrm.contacts.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The list route's use case (SPEC 9): validates the query against the key's scope, then reads one
 * page. Pages come from an index that may lag, so every page is checked against the contacts
 * themselves, read consistently: only a contact that is active, in the workspace, holds the tag
 * (for a tag listing) and sits exactly at the entry's position is shown. A contact that moved is
 * shown at its new position only, a deleted one never, and a page reads O(limit) items.
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

  private final ContactStore contacts;
  private final ContactListingStore listing;

  public ContactListing(ContactStore contacts, ContactListingStore listing) {
    this.contacts = contacts;
    this.listing = listing;
  }

  /** One page: its contacts in order, their workspace, and the cursor of the next (or null). */
  public record Page(List<Contact> contacts, Workspace workspace, String nextCursor) {}

  /**
   * The page the query asks for.
   *
   * @param parameters the query string, each name with every value it was given
   */
  public Page list(
      ApiKeyScope scope, Map<String, List<String>> parameters, LongSupplier remainingMillis) {
    try {
      return read(scope, parameters, remainingMillis);
    } catch (ContactStore.Unavailable | ContactStore.Conflict e) {
      // A read has nothing to decide again: the client retries the page.
      throw new DomainException.Unavailable(
          "The service is busy; retry the request shortly.", ContactService.RETRY_AFTER_SECONDS);
    }
  }

  private Page read(
      ApiKeyScope scope, Map<String, List<String>> parameters, LongSupplier remainingMillis) {
    ListQuery.Parsed parsed = ListQuery.parse(parameters);
    ListQuery query = parsed.query();
    List<FieldError> errors = new ArrayList<>(parsed.errors());
    String workspaceId = targetWorkspace(scope, parameters, query, errors);
    ContactStore contactStore = contacts.within(remainingMillis);
    ContactListingStore store = listing.within(remainingMillis);

    ListPosition start = null;
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
          start = position.get();
        }
      }
    }
    if (!errors.isEmpty()) {
      // As for writes: a workspace the key may not reach is 404 before any other problem.
      if (workspaceId != null) {
        reachableWorkspace(contactStore, scope, workspaceId);
      }
      throw DomainException.InvalidRequest.of(errors);
    }
    Workspace workspace = reachableWorkspace(contactStore, scope, workspaceId);
    ListQuery.Filter filter = query.filter();
    if (filter instanceof ListQuery.Phone phone) {
      return single(store.holderOf(workspaceId, Identifier.phone(phone.e164())), workspace);
    }
    if (filter instanceof ListQuery.Email email) {
      return single(store.holderOf(workspaceId, Identifier.email(email.address())), workspace);
    }
    if (filter instanceof ListQuery.Tag tag) {
      return walk(store, scope, query, workspace, tag.tag(), start);
    }
    if (filter instanceof ListQuery.UpdatedAfter after && start == null) {
      start = ListPosition.after(after.instant());
    }
    return walk(store, scope, query, workspace, null, start);
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
   * Up to {@code limit} verified contacts after {@code start}, reading the index again when entries
   * were skipped, at most {@link #MAX_ROUNDS} times; the next cursor starts after the last entry
   * examined, so a page cut short by skipped entries still moves the walk forward.
   */
  private static Page walk(
      ContactListingStore store,
      ApiKeyScope scope,
      ListQuery query,
      Workspace workspace,
      String tag,
      ListPosition start) {
    List<Contact> page = new ArrayList<>();
    long pageBytes = 0;
    ListPosition after = start;
    boolean more = true;
    boolean full = false; // the page reached MAX_PAGE_BYTES
    for (int round = 0;
        round < MAX_ROUNDS && more && !full && page.size() < query.limit();
        round++) {
      int wanted = query.limit() - page.size();
      // One entry more than wanted tells whether a next page exists.
      ContactListingStore.IndexEntries entries =
          store.entriesAfter(workspace.id(), tag, after, wanted + 1);
      List<ListPosition> examined =
          entries.positions().subList(0, Math.min(wanted, entries.positions().size()));
      more = entries.positions().size() > wanted || entries.more();
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
    String next =
        more && after != null
            ? ListCursor.encode(after, ListCursor.Binding.of(workspace.id(), scope, query.filter()))
            : null;
    return new Page(page, workspace, next);
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

  /**
   * SPEC 2 for a query string: an account key must name the workspace, a workspace key may, and
   * then only its own (403).
   */
  private static String targetWorkspace(
      ApiKeyScope scope,
      Map<String, List<String>> parameters,
      ListQuery query,
      List<FieldError> errors) {
    if (scope.isWorkspaceKey()) {
      if (query.workspaceId() != null && !query.workspaceId().equals(scope.workspaceId())) {
        throw new DomainException.Forbidden(
            "This API key may not access workspace " + query.workspaceId());
      }
      return scope.workspaceId();
    }
    if (parameters == null || !parameters.containsKey(ListQuery.WORKSPACE_ID)) {
      errors.add(0, new FieldError(ListQuery.WORKSPACE_ID, ContactService.WORKSPACE_REQUIRED));
    }
    return query.workspaceId();
  }

  private static Workspace reachableWorkspace(
      ContactStore store, ApiKeyScope scope, String workspaceId) {
    return store
        .findWorkspace(workspaceId)
        .filter(w -> scope.reaches(w.accountId(), w.id()))
        .orElseThrow(() -> new DomainException.NotFound(ContactService.WORKSPACE_NOT_FOUND));
  }
}
