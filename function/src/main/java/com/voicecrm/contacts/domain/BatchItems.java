package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.BatchOutcome.Applied;
import com.voicecrm.contacts.domain.BatchOutcome.Broken;
import com.voicecrm.contacts.domain.BatchOutcome.Failed;
import com.voicecrm.contacts.domain.BatchOutcome.ItemOutcome;
import com.voicecrm.contacts.domain.BatchOutcome.Replayed;
import com.voicecrm.contacts.domain.Idempotency.Record;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The items of one batch run, for {@link BatchExecution}: each item one upsert of SPEC 3 ({@link
 * ContactService#upsertItem}: the same attempt, decision and loop), an item already answered under
 * the batch's {@code Idempotency-Key} replayed, an item not started in time or cut from its chain a
 * 503. Items run on worker threads; their metrics are queued for the request's thread ({@link
 * #reportTo}).
 */
final class BatchItems implements BatchExecution.Items<ItemOutcome> {

  static final String CUT_OFF =
      "The batch ran out of time before this item was applied; send it again.";

  static final String CHAIN_CUT =
      "An earlier item of this batch with the same phone or email was not applied, so this one"
          + " was not either; send it again.";

  /** What applies an item as a single upsert: the store, clock, retries and new contact ids. */
  record Upserts(
      ContactStore store, Clock clock, RetryPolicy retryPolicy, Supplier<String> idGenerator) {}

  private final Upserts upserts;
  private final ApiKeyScope scope;
  private final String workspaceId;
  private final List<UpsertRequest> items;
  private final BatchPlan plan;
  private final Map<Integer, Record> answered;
  private final Deadline deadline;
  private final BatchUpsertService.Keyed keyed;
  private final ConcurrentLinkedQueue<Consumer<Metrics>> metrics = new ConcurrentLinkedQueue<>();

  /**
   * The items of a batch in {@code workspaceId}, planned by {@code plan}; {@code answered} are the
   * items the batch's key already answered, {@code keyed} null when it has no key.
   */
  BatchItems(
      Upserts upserts,
      ApiKeyScope scope,
      String workspaceId,
      List<UpsertRequest> items,
      BatchPlan plan,
      Map<Integer, Record> answered,
      Deadline deadline,
      BatchUpsertService.Keyed keyed) {
    this.upserts = upserts;
    this.scope = scope;
    this.workspaceId = workspaceId;
    this.items = items;
    this.plan = plan;
    this.answered = answered;
    this.deadline = deadline;
    this.keyed = keyed;
  }

  @Override
  public ItemOutcome apply(int index, boolean firstOfChain) {
    if (answered.containsKey(index)) {
      return new Replayed(index, answered.get(index).answer());
    }
    UpsertRequest item = items.get(index);
    return applyItem(
        index,
        new UpsertRequest(workspaceId, item.fields(), item.preserveExisting(), List.of()),
        firstOfChain ? plan.firstRead(index) : null,
        new QueuedMetrics(metrics));
  }

  @Override
  public ItemOutcome cutOff(int index) {
    return new Failed(
        index, new DomainException.Unavailable(CUT_OFF, AttemptLoop.RETRY_AFTER_SECONDS));
  }

  @Override
  public boolean cutsChain(ItemOutcome outcome) {
    return outcome instanceof Broken
        || outcome instanceof Failed failed
            && failed.error() instanceof DomainException.Unavailable;
  }

  @Override
  public ItemOutcome chainCut(int index) {
    return new Failed(
        index, new DomainException.Unavailable(CHAIN_CUT, AttemptLoop.RETRY_AFTER_SECONDS));
  }

  /** Reports the items' metrics to {@code requestMetrics}, on the request's own thread. */
  void reportTo(Metrics requestMetrics) {
    metrics.forEach(call -> call.accept(requestMetrics));
  }

  /** How a failed item is counted: as the problem it answers. */
  static Metrics.ItemOutcome failureOf(ItemOutcome item) {
    if (item instanceof Failed failed) {
      DomainException error = failed.error();
      if (error instanceof DomainException.InvalidRequest) {
        return Metrics.ItemOutcome.INVALID;
      }
      if (error instanceof DomainException.Conflict) {
        return Metrics.ItemOutcome.CONFLICT;
      }
      if (error instanceof DomainException.NotFound) {
        return Metrics.ItemOutcome.NOT_FOUND;
      }
      if (error instanceof DomainException.Unavailable) {
        return Metrics.ItemOutcome.UNAVAILABLE;
      }
    }
    return Metrics.ItemOutcome.ERROR;
  }

  /**
   * One item as one upsert of SPEC 3, its retries and its outcome reported to {@code itemMetrics}.
   */
  private ItemOutcome applyItem(
      int index, UpsertRequest request, ContactService.FirstRead firstRead, Metrics itemMetrics) {
    IdempotentWrite idempotent = keyed == null ? null : keyed.item(index);
    try {
      ContactService service =
          new ContactService(
              upserts.store(),
              upserts.clock(),
              upserts.retryPolicy(),
              upserts.idGenerator(),
              itemMetrics);
      ContactService.UpsertOutcome outcome =
          service.upsertItem(
              scope, request.workspaceId(), request, deadline, firstRead, idempotent);
      // A duplicate of this batch recorded the item first: its answer is the item's.
      Record earlier = outcome.kept().replayed();
      if (earlier != null) {
        return new Replayed(index, earlier.answer());
      }
      return keyed != null && !outcome.kept().recorded()
          ? keyed.keptNoOp(
              index,
              outcome,
              // Retries counted in the item's metrics, as its write's are.
              new IdempotentAnswers(
                  new AttemptLoop(
                      upserts.store(), upserts.retryPolicy(), itemMetrics, upserts.clock()),
                  upserts.clock()),
              deadline)
          : new Applied(index, outcome);
    } catch (DomainException e) {
      return new Failed(index, e);
    } catch (RuntimeException e) {
      return new Broken(index, e);
    }
  }

  /**
   * The metrics an item reports on its worker thread, kept to replay on the request's thread; its
   * write's outcome is the item's.
   */
  private record QueuedMetrics(ConcurrentLinkedQueue<Consumer<Metrics>> queue) implements Metrics {
    @Override
    public void written(WriteOutcome outcome) {
      Metrics.ItemOutcome item =
          switch (outcome) {
            case CREATED -> Metrics.ItemOutcome.CREATED;
            case UPDATED -> Metrics.ItemOutcome.UPDATED;
            case UNCHANGED -> Metrics.ItemOutcome.UNCHANGED;
          };
      queue.add(m -> m.batchItem(item));
    }

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
