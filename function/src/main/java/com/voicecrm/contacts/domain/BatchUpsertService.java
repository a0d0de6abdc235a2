package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.BatchOutcome.Applied;
import com.voicecrm.contacts.domain.BatchOutcome.Failed;
import com.voicecrm.contacts.domain.BatchOutcome.ItemOutcome;
import com.voicecrm.contacts.domain.BatchOutcome.Replayed;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code POST /v1/contacts/batch/upsert} (SPEC 10): the envelope is checked first and any problem
 * there fails the whole batch with nothing written; then every item is one upsert of SPEC 3 (the
 * same {@link UpsertDecision} and {@link AttemptLoop}), its failure its own. Items that share a
 * phone, an email or a contact they would touch form a chain applied in index order ({@link
 * BatchChains}), so they behave as the same upserts sent one after another; chains run concurrently
 * ({@link BatchExecution}), each item applied by {@link BatchItems}. One batched read ({@link
 * BatchPlan}) serves the first attempt of every chain's first item; later items of a chain and
 * every retry read for themselves.
 */
public final class BatchUpsertService {

  /** The most items one batch may carry. */
  public static final int MAX_ITEMS = 100;

  /**
   * An item starts only with this much of the invocation left: enough for its reads, its write and
   * a retry, with the retry policy's reserve kept to answer. Items not started answer 503.
   */
  public static final long MIN_MILLIS_TO_START_ITEM = 1_500;

  private final BatchReads reads;
  private final Clock clock;
  private final Metrics metrics;
  private final int parallelism;
  private final BatchItems.Upserts upserts;
  // Stateless: one for every batch this service runs.
  private final AttemptLoop loop;

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
    this.reads = reads;
    this.clock = clock;
    this.metrics = metrics;
    this.loop = new AttemptLoop(store, retryPolicy, metrics, clock);
    this.parallelism = parallelism;
    this.upserts = new BatchItems.Upserts(store, clock, retryPolicy, idGenerator);
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

  /**
   * A batch sent with an {@code Idempotency-Key} (SPEC 11): its claim (each item has a record of
   * its own under the batch's fingerprint), the request, and how an applied item's answer is
   * rendered.
   */
  public record Keyed(Claim claim, String requestId, IdempotentWrite.AnswerRenderer renderer) {
    IdempotentWrite item(int index) {
      return new IdempotentWrite(claim.item(index), requestId, renderer);
    }

    /**
     * An applied item whose write carried no record (a no-op) with its answer kept on its own,
     * before the next item of its chain runs; the answer a duplicate kept first, if one did.
     *
     * @throws DomainException.Unavailable when it could not be kept: the item answers 503 then, so
     *     that a retry runs it again rather than give a different answer than a replay would
     */
    ItemOutcome keptNoOp(
        int index, ContactService.UpsertOutcome outcome, IdempotentAnswers answers, Deadline d) {
      Idempotency.Answer answer =
          renderer.render(
              outcome.contact(),
              outcome.workspace(),
              outcome.created() ? Decision.Effect.CREATED : Decision.Effect.UNCHANGED);
      IdempotentAnswers.Given given = answers.keep(claim.item(index), answer, requestId, d);
      return given.replayed()
          ? new Replayed(index, given.answer())
          : new Applied(
              index,
              new ContactService.UpsertOutcome(
                  outcome.contact(),
                  outcome.workspace(),
                  outcome.created(),
                  new ContactService.Kept(true, null)));
    }
  }

  /** Checks the envelope, then applies every item; no {@code Idempotency-Key}. */
  public BatchOutcome upsert(
      ApiKeyScope scope,
      Envelope envelope,
      Deadline deadline,
      UnaryOperator<Runnable> taskContext) {
    return upsert(scope, envelope, deadline, taskContext, null);
  }

  /**
   * Checks the envelope, then applies every item. Under an {@code Idempotency-Key} ({@code keyed};
   * null: none) the batch claims the key before any item runs ({@link BatchReplays#claim}), the
   * items already answered are replayed and only the others run, each write carrying its item's
   * record; the no-ops and item problems are the caller's to keep. An envelope problem the key kept
   * for this batch is its whole answer again ({@link BatchOutcome#envelopeAnswer}).
   *
   * @param taskContext wraps each chain run on a thread of its own (the caller's log fields)
   * @throws DomainException for a problem of the envelope (400, 403, 404), a key that answered
   *     another request (422) or a store that stayed unavailable for the batch's read (503);
   *     nothing is written then
   */
  public BatchOutcome upsert(
      ApiKeyScope scope,
      Envelope envelope,
      Deadline deadline,
      UnaryOperator<Runnable> taskContext,
      Keyed keyed) {
    BatchReads reads = this.reads.within(deadline);
    if (keyed != null) {
      // A 403 is answered before the key is looked at, as on a single write; every other problem
      // of the envelope after it, so a key reused with another body is 422 whatever that body.
      Access.targetWorkspace(scope, envelope, new ArrayList<>());
    }
    BatchReplays.Records records =
        keyed == null
            ? BatchReplays.Records.NONE
            : BatchReplays.answered(
                reads, loop, keyed.claim(), envelope.items().size(), deadline, clock.instant());
    if (records.envelopeAnswer() != null) {
      return BatchOutcome.replayOf(records.envelopeAnswer());
    }
    Map<Integer, Record> answered = records.items();
    List<UpsertRequest> items = envelope.items();
    if (!items.isEmpty() && answered.size() == items.size()) {
      // Every item answered before: the whole batch is a replay, nothing more to read.
      List<ItemOutcome> replayed = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        replayed.add(new Replayed(i, answered.get(i).answer()));
      }
      return new BatchOutcome(replayed);
    }
    String workspaceId = validWorkspace(reads, loop, scope, envelope, deadline);
    BatchPlan read = BatchPlan.read(reads, loop, deadline, scope, workspaceId, items);
    if (keyed != null && !records.claimed()) {
      // The key is the batch's before its first write: every other request under it is then 422.
      Optional<Record> keptFirst =
          BatchReplays.claim(loop, keyed.claim(), keyed.requestId(), deadline, clock);
      if (keptFirst.isPresent()) {
        return BatchOutcome.replayOf(keptFirst.get());
      }
    }
    BatchPlan plan = read.registeringNewTags(reads, clock.instant().truncatedTo(ChronoUnit.MILLIS));

    BatchItems run =
        new BatchItems(upserts, scope, workspaceId, items, plan, answered, deadline, keyed);
    List<ItemOutcome> applied =
        BatchExecution.run(
            plan.chains(),
            items.size(),
            parallelism,
            run,
            () -> deadline.remainingMillis() >= MIN_MILLIS_TO_START_ITEM,
            taskContext);
    // The items' metrics count in this request's record, which belongs to this thread.
    run.reportTo(metrics);
    List<ItemOutcome> outcomes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      DomainException problem = plan.problemOf(i);
      ItemOutcome outcome =
          answered.containsKey(i)
              ? new Replayed(i, answered.get(i).answer())
              : problem != null ? new Failed(i, problem) : applied.get(i);
      if (!(outcome instanceof Applied) && !(outcome instanceof Replayed)) {
        metrics.batchItem(BatchItems.failureOf(outcome));
      }
      outcomes.add(outcome);
    }
    return new BatchOutcome(outcomes);
  }

  /**
   * The workspace of the batch once every envelope problem is known: 403 for a workspace key naming
   * another workspace, else 400 listing every problem (404 first when the named workspace is out of
   * reach), as a single upsert orders them.
   */
  private static String validWorkspace(
      BatchReads reads, AttemptLoop loop, ApiKeyScope scope, Envelope envelope, Deadline deadline) {
    List<FieldError> errors = new ArrayList<>(envelope.errors());
    String workspaceId = Access.targetWorkspace(scope, envelope, errors);
    if (!errors.isEmpty()) {
      if (workspaceId != null) {
        Access.reachableWorkspace(
            loop.retrying(deadline, () -> reads.readClaims(workspaceId, List.of(), List.of()))
                .workspace(),
            scope);
      }
      throw DomainException.InvalidRequest.of(errors);
    }
    return workspaceId;
  }
}
