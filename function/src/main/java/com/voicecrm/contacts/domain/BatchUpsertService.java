package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactService.UpsertOutcome;
import com.voicecrm.contacts.domain.ContactStore.UpsertSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code POST /v1/contacts/batch/upsert} (SPEC 10): the envelope is checked first and any problem
 * there fails the whole batch with nothing written; then every item is one upsert of SPEC 3, its
 * failure its own. Items that share a phone, an email or a contact they would touch form a chain
 * applied in index order ({@link BatchChains}), so they behave as the same upserts sent one after
 * another; chains run concurrently ({@link BatchExecution}). One batched read serves the first
 * attempt of every chain's first item; later items and retries read for themselves.
 */
public final class BatchUpsertService {

  /** The most items one batch may carry. */
  public static final int MAX_ITEMS = 100;

  /**
   * An item starts only with this much of the invocation left: enough for its reads, its write and
   * a retry, with the retry policy's reserve kept to answer. Items not started answer 503.
   */
  static final long MIN_MILLIS_TO_START_ITEM = 1_500;

  static final String ITEM_WORKSPACE_ID =
      "Not allowed in a batch item: the batch's workspaceId applies to every item";
  static final String ITEM_NOT_OBJECT = "Each item must be a JSON object (an upsert body)";
  static final String CUT_OFF =
      "The batch ran out of time before this item was applied; send it again.";

  private final ContactStore store;
  private final BatchReads reads;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final Metrics metrics;
  private final int parallelism;
  private final UpsertRequestValidator validator = new UpsertRequestValidator();

  public BatchUpsertService(
      ContactStore store,
      BatchReads reads,
      Clock clock,
      RetryPolicy retryPolicy,
      Metrics metrics,
      int parallelism) {
    this.store = store;
    this.reads = reads;
    this.clock = clock;
    this.retryPolicy = retryPolicy;
    this.metrics = metrics;
    this.parallelism = parallelism;
  }

  /**
   * The envelope as the api layer read it: the raw {@code workspaceId} (null when omitted), the
   * items (each a JSON value: Map for an object) and the problems of its shape already found
   * (unknown fields, {@code items} missing, not an array, empty or too long).
   */
  public record Envelope(Object workspaceId, List<Object> items, List<FieldError> errors) {
    public Envelope {
      items = items == null ? List.of() : Collections.unmodifiableList(items);
      errors = List.copyOf(errors);
    }
  }

  /** How one item ended. */
  public sealed interface ItemOutcome permits Applied, Failed, Broken {
    int index();
  }

  /** The item was applied (or changed nothing): 201 or 200 with the contact. */
  public record Applied(int index, UpsertOutcome outcome) implements ItemOutcome {}

  /** The item failed as a single upsert would have: its problem. */
  public record Failed(int index, DomainException error) implements ItemOutcome {}

  /** The item met an unexpected error (a bug): 500 in its result, the cause for the log. */
  public record Broken(int index, RuntimeException cause) implements ItemOutcome {}

  /** Every item's outcome, in input order. */
  public record BatchOutcome(List<ItemOutcome> items) {
    public BatchOutcome {
      items = List.copyOf(items);
    }

    public long created() {
      return items.stream()
          .filter(i -> i instanceof Applied applied && applied.outcome().created())
          .count();
    }

    public long updated() {
      return items.stream()
          .filter(i -> i instanceof Applied applied && !applied.outcome().created())
          .count();
    }

    public long failed() {
      return items.size() - created() - updated();
    }
  }

  /**
   * Checks the envelope, then applies every item.
   *
   * @param remainingMillis the invocation's time left: items are started only while enough is left
   * @param taskContext wraps each chain run on a thread of its own (the caller's log fields)
   * @throws DomainException for a problem of the envelope (400, 403, 404) or a store that stayed
   *     unavailable for the batch's read (503); nothing is written then
   */
  public BatchOutcome upsert(
      ApiKeyScope scope,
      Envelope envelope,
      LongSupplier remainingMillis,
      UnaryOperator<Runnable> taskContext) {
    BatchReads reads = this.reads.within(remainingMillis);
    String workspaceId = validWorkspace(reads, scope, envelope, remainingMillis);

    List<Object> rawItems = envelope.items();
    int size = rawItems.size();
    ItemOutcome[] outcomes = new ItemOutcome[size];
    List<Item> items = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      items.add(validate(i, rawItems.get(i), workspaceId));
    }

    Set<Identifier> identifiers = new LinkedHashSet<>();
    Set<String> tags = new LinkedHashSet<>();
    for (Item item : items) {
      if (item.request() != null) {
        identifiers.addAll(item.identifiers());
        tags.addAll(item.request().tags());
      }
    }
    BatchReads.Claims claims =
        retryingRead(remainingMillis, () -> reads.readClaims(workspaceId, identifiers, tags));
    Workspace workspace =
        claims
            .workspace()
            .filter(w -> scope.reaches(w.accountId(), w.id()))
            .orElseThrow(() -> new DomainException.NotFound(ContactService.WORKSPACE_NOT_FOUND));

    // Item problems, custom field names included now that the workspace is known.
    List<List<String>> chainKeys = new ArrayList<>(size);
    Set<String> matchedIds = new LinkedHashSet<>();
    for (Item item : items) {
      List<FieldError> errors = new ArrayList<>(item.errors());
      if (item.request() != null) {
        errors.addAll(UpsertRequestValidator.unknownCustomFields(item.request(), workspace));
      }
      if (item.request() == null || !errors.isEmpty()) {
        outcomes[item.index()] =
            new Failed(
                item.index(),
                errors.isEmpty()
                    ? DomainException.InvalidRequest.of(
                        List.of(new FieldError("body", ITEM_NOT_OBJECT)))
                    : DomainException.InvalidRequest.of(errors));
        chainKeys.add(null);
        continue;
      }
      chainKeys.add(chainKeys(item, claims));
      String matched = matchedId(item, claims);
      if (matched != null) {
        matchedIds.add(matched);
      }
    }

    Map<String, Contact> matchedContacts =
        matchedIds.isEmpty()
            ? Map.of()
            : retryingRead(remainingMillis, () -> reads.readContacts(matchedIds));
    Set<String> registered = registerNewTags(reads, workspaceId, items, outcomes, claims);

    List<List<Integer>> chains = BatchChains.of(chainKeys);
    ConcurrentLinkedQueue<Consumer<Metrics>> itemMetrics = new ConcurrentLinkedQueue<>();
    List<ItemOutcome> applied =
        BatchExecution.run(
            chains,
            size,
            parallelism,
            new BatchExecution.Items<>() {
              @Override
              public ItemOutcome apply(int index, boolean firstOfChain) {
                Item item = items.get(index);
                ContactStore itemStore =
                    firstOfChain
                        ? prefetched(item, workspace, claims, registered, matchedContacts)
                        : store;
                return applyItem(
                    item, scope, itemStore, new QueuedMetrics(itemMetrics), remainingMillis);
              }

              @Override
              public ItemOutcome cutOff(int index) {
                return new Failed(
                    index,
                    new DomainException.Unavailable(CUT_OFF, ContactService.RETRY_AFTER_SECONDS));
              }
            },
            () -> remainingMillis.getAsLong() >= MIN_MILLIS_TO_START_ITEM,
            taskContext);
    // The items' retries count in this request's metrics record, which belongs to this thread.
    itemMetrics.forEach(call -> call.accept(metrics));
    for (int i = 0; i < size; i++) {
      if (outcomes[i] == null) {
        outcomes[i] = applied.get(i);
      }
    }
    return new BatchOutcome(List.of(outcomes));
  }

  /** One item after the checks that need nothing but itself; {@code request} null if no object. */
  private record Item(
      int index, UpsertRequest request, List<FieldError> errors, Map<String, Object> body) {

    List<Identifier> identifiers() {
      List<Identifier> identifiers = new ArrayList<>(2);
      if (request.phone() != null) {
        identifiers.add(Identifier.phone(request.phone()));
      }
      if (request.email() != null) {
        identifiers.add(Identifier.email(request.email()));
      }
      return identifiers;
    }
  }

  private Item validate(int index, Object raw, String workspaceId) {
    if (!(raw instanceof Map<?, ?> map)) {
      return new Item(index, null, List.of(), null);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    map.forEach((key, value) -> body.put((String) key, value));
    List<FieldError> errors = new ArrayList<>();
    // null is as if omitted (SPEC 3.1), so only a value is the item naming a workspace.
    if (body.remove("workspaceId") != null) {
      errors.add(new FieldError("workspaceId", ITEM_WORKSPACE_ID));
    }
    UpsertRequestValidator.Result result = validator.validate(body);
    errors.addAll(result.errors());
    body.put("workspaceId", workspaceId);
    return new Item(index, result.request(), errors, body);
  }

  /**
   * The keys that chain an item to others: its phone and email, and the contacts holding them now
   * (an item that moves a contact's email must run before or after one that matches that contact by
   * it, as in sequence).
   */
  private static List<String> chainKeys(Item item, BatchReads.Claims claims) {
    List<String> keys = new ArrayList<>(4);
    for (Identifier identifier : item.identifiers()) {
      keys.add(identifier.kind() + ":" + identifier.value());
      String owner = claims.ownerOf(identifier);
      if (owner != null) {
        keys.add("CONTACT:" + owner);
      }
    }
    return keys;
  }

  /** The contact an upsert of this item would match from the batch's read (SPEC 3.2). */
  private static String matchedId(Item item, BatchReads.Claims claims) {
    UpsertRequest request = item.request();
    String phoneOwner =
        request.phone() == null ? null : claims.ownerOf(Identifier.phone(request.phone()));
    if (phoneOwner != null) {
      return phoneOwner;
    }
    return request.email() == null ? null : claims.ownerOf(Identifier.email(request.email()));
  }

  /** The store for a chain's first item: its first attempt decides from the batch's read. */
  private ContactStore prefetched(
      Item item,
      Workspace workspace,
      BatchReads.Claims claims,
      Set<String> registered,
      Map<String, Contact> matchedContacts) {
    UpsertRequest request = item.request();
    UpsertSnapshot snapshot =
        new UpsertSnapshot(
            Optional.of(workspace),
            request.phone() == null ? null : claims.ownerOf(Identifier.phone(request.phone())),
            request.email() == null ? null : claims.ownerOf(Identifier.email(request.email())),
            registered);
    String matched = matchedId(item, claims);
    return new PrefetchedStore(
        store, snapshot, matched == null ? null : matchedContacts.get(matched));
  }

  /** One item as one upsert of SPEC 3, with its own retries within the invocation's time. */
  private ItemOutcome applyItem(
      Item item,
      ApiKeyScope scope,
      ContactStore itemStore,
      Metrics itemMetrics,
      LongSupplier remainingMillis) {
    try {
      ContactService service = new ContactService(itemStore, clock, retryPolicy, itemMetrics);
      return new Applied(item.index(), service.upsert(scope, item.body(), remainingMillis));
    } catch (DomainException e) {
      return new Failed(item.index(), e);
    } catch (RuntimeException e) {
      return new Broken(item.index(), e);
    }
  }

  /**
   * Registers, in one write before any item, the tags new to the workspace that the items carry:
   * otherwise every item with a shared new tag would race to register it and all but one would
   * retry. If the write cannot be made, each item registers its own tags in its transaction.
   */
  private Set<String> registerNewTags(
      BatchReads reads,
      String workspaceId,
      List<Item> items,
      ItemOutcome[] outcomes,
      BatchReads.Claims claims) {
    Set<String> fresh = new LinkedHashSet<>();
    for (Item item : items) {
      if (outcomes[item.index()] == null) {
        for (String tag : item.request().tags()) {
          if (!claims.registeredTags().contains(tag)) {
            fresh.add(tag);
          }
        }
      }
    }
    Set<String> registered = new HashSet<>(claims.registeredTags());
    if (fresh.isEmpty()) {
      return Set.copyOf(registered);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    try {
      reads.registerTags(workspaceId, fresh, now);
      registered.addAll(fresh);
    } catch (ContactStore.Unavailable e) {
      // Each item's own transaction registers the tags it needs.
    }
    return Set.copyOf(registered);
  }

  /**
   * The workspace of the batch once every envelope problem is known: 403 for a workspace key naming
   * another workspace, else 400 listing every problem (404 first when the named workspace is out of
   * reach), as a single upsert orders them.
   */
  private String validWorkspace(
      BatchReads reads, ApiKeyScope scope, Envelope envelope, LongSupplier remainingMillis) {
    List<FieldError> errors = new ArrayList<>(envelope.errors());
    Object raw = envelope.workspaceId();
    String requested = null;
    if (raw != null) {
      if (raw instanceof String text && UpsertRequestValidator.isUuid(text)) {
        requested = text.toLowerCase(Locale.ROOT);
      } else {
        errors.add(0, new FieldError("workspaceId", "workspaceId must be a UUID"));
      }
    }
    String workspaceId;
    if (scope.isWorkspaceKey()) {
      if (requested != null && !requested.equals(scope.workspaceId())) {
        throw new DomainException.Forbidden("This API key may not access workspace " + requested);
      }
      workspaceId = scope.workspaceId();
    } else {
      if (raw == null) {
        errors.add(0, new FieldError("workspaceId", ContactService.WORKSPACE_REQUIRED));
      }
      workspaceId = requested;
    }
    if (!errors.isEmpty()) {
      if (workspaceId != null) {
        String id = workspaceId;
        retryingRead(remainingMillis, () -> reads.readClaims(id, List.of(), List.of()))
            .workspace()
            .filter(w -> scope.reaches(w.accountId(), w.id()))
            .orElseThrow(() -> new DomainException.NotFound(ContactService.WORKSPACE_NOT_FOUND));
      }
      throw DomainException.InvalidRequest.of(errors);
    }
    return workspaceId;
  }

  /** A read retried while the store is unavailable, within the policy and the time left. */
  private <T> T retryingRead(LongSupplier remainingMillis, Supplier<T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (ContactStore.Unavailable e) {
        long delay = retryPolicy.delayAfter(attempt, remainingMillis);
        if (delay < 0) {
          metrics.retriesExhausted(false);
          throw new DomainException.Unavailable(
              "The service is busy; retry the request shortly.",
              ContactService.RETRY_AFTER_SECONDS);
        }
        metrics.retried(false);
        sleep(delay);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DomainException.Unavailable(
          "The request was interrupted.", ContactService.RETRY_AFTER_SECONDS);
    }
  }

  /** The metrics an item reports on its worker thread, kept to replay on the request's thread. */
  private record QueuedMetrics(ConcurrentLinkedQueue<Consumer<Metrics>> queue) implements Metrics {
    @Override
    public void retried(boolean lostRace) {
      queue.add(m -> m.retried(lostRace));
    }

    @Override
    public void retriesExhausted(boolean lostRace) {
      queue.add(m -> m.retriesExhausted(lostRace));
    }
  }
}
