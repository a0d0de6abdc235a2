package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.ContactService.UpsertOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code POST /v1/contacts/batch/upsert} (SPEC 10): the envelope is checked first and any problem
 * there fails the whole batch with nothing written; then every item is one upsert of SPEC 3 (the
 * same {@link UpsertDecision} and {@link AttemptLoop}), its failure its own. Items that share a
 * phone, an email or a contact they would touch form a chain applied in index order ({@link
 * BatchChains}), so they behave as the same upserts sent one after another; chains run concurrently
 * ({@link BatchExecution}). One batched read serves the first attempt of every chain's first item;
 * later items of a chain and every retry read for themselves.
 */
public final class BatchUpsertService {

  /** The most items one batch may carry. */
  public static final int MAX_ITEMS = 100;

  /**
   * An item starts only with this much of the invocation left: enough for its reads, its write and
   * a retry, with the retry policy's reserve kept to answer. Items not started answer 503.
   */
  public static final long MIN_MILLIS_TO_START_ITEM = 1_500;

  static final String CUT_OFF =
      "The batch ran out of time before this item was applied; send it again.";

  private final ContactStore store;
  private final BatchReads reads;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final Metrics metrics;
  private final int parallelism;
  private final Supplier<String> idGenerator;

  public BatchUpsertService(
      ContactStore store,
      BatchReads reads,
      Clock clock,
      RetryPolicy retryPolicy,
      Metrics metrics,
      int parallelism) {
    this(
        store, reads, clock, retryPolicy, metrics, parallelism, () -> UUID.randomUUID().toString());
  }

  BatchUpsertService(
      ContactStore store,
      BatchReads reads,
      Clock clock,
      RetryPolicy retryPolicy,
      Metrics metrics,
      int parallelism,
      Supplier<String> idGenerator) {
    this.store = store;
    this.reads = reads;
    this.clock = clock;
    this.retryPolicy = retryPolicy;
    this.metrics = metrics;
    this.parallelism = parallelism;
    this.idGenerator = idGenerator;
  }

  /**
   * A parsed batch: the {@code workspaceId} it named (normalised, or null), the problems of its
   * shape, and its items, each an upsert without workspace with the errors of that item alone.
   */
  public record Envelope(String workspaceId, List<FieldError> errors, List<UpsertRequest> items)
      implements WorkspaceRequest {
    public Envelope {
      errors = List.copyOf(errors);
      items = List.copyOf(items);
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
   * @param taskContext wraps each chain run on a thread of its own (the caller's log fields)
   * @throws DomainException for a problem of the envelope (400, 403, 404) or a store that stayed
   *     unavailable for the batch's read (503); nothing is written then
   */
  public BatchOutcome upsert(
      ApiKeyScope scope,
      Envelope envelope,
      Deadline deadline,
      UnaryOperator<Runnable> taskContext) {
    BatchReads reads = this.reads.within(deadline);
    String workspaceId = validWorkspace(reads, scope, envelope, deadline);

    List<UpsertRequest> items = envelope.items();
    int size = items.size();
    ItemOutcome[] outcomes = new ItemOutcome[size];
    Set<Identifier> identifiers = new LinkedHashSet<>();
    Set<String> tags = new LinkedHashSet<>();
    for (UpsertRequest item : items) {
      if (item.errors().isEmpty()) {
        identifiers.addAll(identifiersOf(item));
        tags.addAll(item.fields().tags());
      }
    }
    BatchReads.Claims claims =
        retryingRead(deadline, () -> reads.readClaims(workspaceId, identifiers, tags));
    Workspace workspace = Access.reachableWorkspace(claims.workspace(), scope);

    // Item problems, custom field names included now that the workspace is known.
    List<List<String>> chainKeys = new ArrayList<>(size);
    Set<String> matchedIds = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      UpsertRequest item = items.get(i);
      List<FieldError> errors = new ArrayList<>(item.errors());
      errors.addAll(Access.unknownCustomFields(item.customFieldNames(), workspace));
      if (!errors.isEmpty()) {
        outcomes[i] = new Failed(i, DomainException.InvalidRequest.of(errors));
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
            : retryingRead(deadline, () -> reads.readContacts(matchedIds));
    Set<String> registered = registerNewTags(reads, workspaceId, items, outcomes, claims);

    ConcurrentLinkedQueue<Consumer<Metrics>> itemMetrics = new ConcurrentLinkedQueue<>();
    List<ItemOutcome> applied =
        BatchExecution.run(
            BatchChains.of(chainKeys),
            size,
            parallelism,
            new BatchExecution.Items<>() {
              @Override
              public ItemOutcome apply(int index, boolean firstOfChain) {
                UpsertRequest item = items.get(index);
                ContactService.FirstRead firstRead =
                    firstOfChain
                        ? firstRead(item, workspace, claims, registered, matchedContacts)
                        : null;
                return applyItem(
                    index,
                    new UpsertRequest(
                        workspaceId, item.fields(), item.preserveExisting(), List.of()),
                    scope,
                    firstRead,
                    new QueuedMetrics(itemMetrics),
                    deadline);
              }

              @Override
              public ItemOutcome cutOff(int index) {
                return new Failed(
                    index,
                    new DomainException.Unavailable(CUT_OFF, AttemptLoop.RETRY_AFTER_SECONDS));
              }
            },
            () -> deadline.remainingMillis() >= MIN_MILLIS_TO_START_ITEM,
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

  /** What the batch's read knows for a chain's first item: its first attempt's read. */
  private static ContactService.FirstRead firstRead(
      UpsertRequest item,
      Workspace workspace,
      BatchReads.Claims claims,
      Set<String> registered,
      Map<String, Contact> matchedContacts) {
    String matched = matchedId(item, claims);
    return new ContactService.FirstRead(
        new ContactStore.UpsertSnapshot(
            java.util.Optional.of(workspace),
            claims.ownerOf(item.fields().phoneIdentifier()),
            claims.ownerOf(item.fields().emailIdentifier()),
            registered),
        matched == null ? null : matchedContacts.get(matched));
  }

  /**
   * One item as one upsert of SPEC 3 ({@link ContactService#upsertItem}: the same attempt, decision
   * and loop), its retries reported to {@code itemMetrics}.
   */
  private ItemOutcome applyItem(
      int index,
      UpsertRequest request,
      ApiKeyScope scope,
      ContactService.FirstRead firstRead,
      Metrics itemMetrics,
      Deadline deadline) {
    try {
      ContactService service =
          new ContactService(store, clock, retryPolicy, idGenerator, itemMetrics);
      return new Applied(
          index, service.upsertItem(scope, request.workspaceId(), request, deadline, firstRead));
    } catch (DomainException e) {
      return new Failed(index, e);
    } catch (RuntimeException e) {
      return new Broken(index, e);
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
      List<UpsertRequest> items,
      ItemOutcome[] outcomes,
      BatchReads.Claims claims) {
    Set<String> fresh = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      if (outcomes[i] == null) {
        for (String tag : items.get(i).fields().tags()) {
          if (!claims.registeredTags().contains(tag)) {
            fresh.add(tag);
          }
        }
      }
    }
    Set<String> registered = new HashSet<>(claims.registeredTags());
    if (!fresh.isEmpty()) {
      try {
        reads.registerTags(workspaceId, fresh, now());
        registered.addAll(fresh);
      } catch (ContactStore.Unavailable e) {
        // Each item's own transaction registers the tags it needs.
      }
    }
    return Set.copyOf(registered);
  }

  /**
   * The workspace of the batch once every envelope problem is known: 403 for a workspace key naming
   * another workspace, else 400 listing every problem (404 first when the named workspace is out of
   * reach), as a single upsert orders them.
   */
  private String validWorkspace(
      BatchReads reads, ApiKeyScope scope, Envelope envelope, Deadline deadline) {
    List<FieldError> errors = new ArrayList<>(envelope.errors());
    String workspaceId = Access.targetWorkspace(scope, envelope, errors);
    if (!errors.isEmpty()) {
      if (workspaceId != null) {
        Collection<Identifier> none = List.of();
        Access.reachableWorkspace(
            retryingRead(deadline, () -> reads.readClaims(workspaceId, none, List.of()))
                .workspace(),
            scope);
      }
      throw DomainException.InvalidRequest.of(errors);
    }
    return workspaceId;
  }

  /** A read retried while the store is unavailable, within the policy and the deadline. */
  private <T> T retryingRead(Deadline deadline, Supplier<T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (ContactStore.Unavailable e) {
        long delay = retryPolicy.delayAfter(attempt, deadline);
        if (delay < 0) {
          metrics.retriesExhausted(false);
          throw new DomainException.Unavailable(
              "The service is busy; retry the request shortly.", AttemptLoop.RETRY_AFTER_SECONDS);
        }
        metrics.retried(false);
        try {
          Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new DomainException.Unavailable(
              "The request was interrupted.", AttemptLoop.RETRY_AFTER_SECONDS);
        }
      }
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
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
