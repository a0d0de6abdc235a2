package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a batch upsert (SPEC 10) knows before any item runs, from reads made for all items at once:
 * each item's own problems (custom field names included, now that the workspace is known), the
 * chains of items that must run in order ({@link BatchChains}), and for the first item of each
 * chain the read its first attempt decides from. Tags new to the workspace are registered by {@link
 * #registeringNewTags}, once for the batch: its first write, so kept apart from the reads (a keyed
 * batch claims its key between the two).
 */
final class BatchPlan {

  private final Workspace workspace;
  private final BatchReads.Claims claims;
  private final List<UpsertRequest> items;
  private final List<DomainException> problems;
  private final List<List<Integer>> chains;
  private final Map<String, Contact> matchedContacts;
  private final Set<String> registeredTags;

  private BatchPlan(
      Workspace workspace,
      BatchReads.Claims claims,
      List<UpsertRequest> items,
      List<DomainException> problems,
      List<List<Integer>> chains,
      Map<String, Contact> matchedContacts,
      Set<String> registeredTags) {
    this.workspace = workspace;
    this.claims = claims;
    this.items = items;
    this.problems = problems;
    this.chains = chains;
    this.matchedContacts = matchedContacts;
    this.registeredTags = registeredTags;
  }

  /**
   * Reads the claims of every valid item's phone, email and tags and the contacts they match, each
   * read retried by {@code loop}; 404 unless the key reaches the workspace. Writes nothing.
   */
  static BatchPlan read(
      BatchReads reads,
      AttemptLoop loop,
      Deadline deadline,
      ApiKeyScope scope,
      String workspaceId,
      List<UpsertRequest> items) {
    Set<Identifier> identifiers = new LinkedHashSet<>();
    Set<String> tags = new LinkedHashSet<>();
    for (UpsertRequest item : items) {
      if (item.errors().isEmpty()) {
        identifiers.addAll(identifiersOf(item));
        tags.addAll(item.fields().tags());
      }
    }
    BatchReads.Claims claims =
        loop.retrying(deadline, () -> reads.readClaims(workspaceId, identifiers, tags));
    Workspace workspace = Access.reachableWorkspace(claims.workspace(), scope);

    List<DomainException> problems = new ArrayList<>(items.size());
    List<List<String>> chainKeys = new ArrayList<>(items.size());
    Set<String> matchedIds = new LinkedHashSet<>();
    for (UpsertRequest item : items) {
      List<FieldError> errors = new ArrayList<>(item.errors());
      errors.addAll(Access.unknownCustomFields(item.customFieldNames(), workspace));
      if (!errors.isEmpty()) {
        problems.add(DomainException.InvalidRequest.of(errors));
        chainKeys.add(null);
        continue;
      }
      problems.add(null);
      chainKeys.add(chainKeys(item, claims));
      String matched = matchedId(item, claims);
      if (matched != null) {
        matchedIds.add(matched);
      }
    }
    Map<String, Contact> matchedContacts =
        matchedIds.isEmpty()
            ? Map.of()
            : loop.retrying(deadline, () -> reads.readContacts(matchedIds));
    return new BatchPlan(
        workspace,
        claims,
        items,
        problems,
        BatchChains.of(chainKeys),
        matchedContacts,
        claims.registeredTags());
  }

  /**
   * This plan once the tags new to the workspace that the valid items carry are registered, in one
   * write before any item: otherwise every item with a shared new tag would race to register it and
   * all but one would retry. If the write cannot be made, each item registers its own tags in its
   * transaction.
   */
  BatchPlan registeringNewTags(BatchReads reads, Instant now) {
    Set<String> fresh = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      if (problems.get(i) == null) {
        for (String tag : items.get(i).fields().tags()) {
          if (!registeredTags.contains(tag)) {
            fresh.add(tag);
          }
        }
      }
    }
    if (fresh.isEmpty()) {
      return this;
    }
    Set<String> registered = new HashSet<>(registeredTags);
    try {
      reads.registerTags(workspace.id(), fresh, now);
      registered.addAll(fresh);
    } catch (ContactStore.Unavailable | ContactStore.Conflict e) {
      // Throttled, failed or cancelled (a transaction conflict): each item's own transaction
      // registers the tags it needs.
      return this;
    }
    return new BatchPlan(
        workspace, claims, items, problems, chains, matchedContacts, Set.copyOf(registered));
  }

  /** The problem of item {@code index} on its own (400), or null when it may run. */
  DomainException problemOf(int index) {
    return problems.get(index);
  }

  /** The chains of the items that may run, each in index order. */
  List<List<Integer>> chains() {
    return chains;
  }

  /** What the batch's reads know for item {@code index}: its first attempt's read. */
  ContactService.FirstRead firstRead(int index) {
    UpsertRequest item = items.get(index);
    String matched = matchedId(item, claims);
    return new ContactService.FirstRead(
        new ContactStore.UpsertSnapshot(
            Optional.of(workspace),
            claims.ownerOf(item.fields().phoneIdentifier()),
            claims.ownerOf(item.fields().emailIdentifier()),
            registeredTags),
        matched == null ? null : matchedContacts.get(matched));
  }

  private static List<Identifier> identifiersOf(UpsertRequest item) {
    List<Identifier> identifiers = new ArrayList<>(2);
    if (item.fields().phoneIdentifier() != null) {
      identifiers.add(item.fields().phoneIdentifier());
    }
    if (item.fields().emailIdentifier() != null) {
      identifiers.add(item.fields().emailIdentifier());
    }
    return identifiers;
  }

  /**
   * The keys that chain an item to others: its phone and email, and the contacts holding them now
   * (an item that moves a contact's email must run before or after one that matches that contact by
   * it, as in sequence).
   */
  private static List<String> chainKeys(UpsertRequest item, BatchReads.Claims claims) {
    List<String> keys = new ArrayList<>(4);
    for (Identifier identifier : identifiersOf(item)) {
      keys.add(identifier.kind() + ":" + identifier.value());
      String owner = claims.ownerOf(identifier);
      if (owner != null) {
        keys.add("CONTACT:" + owner);
      }
    }
    return keys;
  }

  /** The contact an upsert of this item would match from the batch's read (SPEC 3.2). */
  private static String matchedId(UpsertRequest item, BatchReads.Claims claims) {
    return UpsertDecision.matchedId(
        claims.ownerOf(item.fields().phoneIdentifier()),
        claims.ownerOf(item.fields().emailIdentifier()));
  }
}
