package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.api.IdempotentRequests.Served;
import com.voicecrm.contacts.config.LogFields;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.BatchOutcome;
import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.Decision;
import com.voicecrm.contacts.domain.DomainException;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.IdempotentAnswers;
import com.voicecrm.contacts.domain.Workspace;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/contacts/batch/upsert} (SPEC 10): the body (1 MiB) as the domain's typed
 * envelope, the batch service, and its outcome as 200 or 207 with one result per item. Under an
 * {@code Idempotency-Key} (SPEC 11) an envelope's problem is kept as any route's answer, and each
 * item's answer in the item's own record: with its write, on its own for a no-op (by the domain,
 * before its chain goes on) or, here, for an item's problem.
 */
final class BatchRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(BatchRoutes.class);

  private final BatchUpsertService service;
  private final IdempotentRequests idempotent;
  private final IdempotentAnswers answers;

  BatchRoutes(
      BatchUpsertService service, IdempotentRequests idempotent, IdempotentAnswers answers) {
    this.service = service;
    this.idempotent = idempotent;
    this.answers = answers;
  }

  APIGatewayProxyResponseEvent upsert(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    return idempotent.serve(
        event,
        () -> ProxyRequests.scope(event),
        requestId,
        deadline,
        claim -> run(event, requestId, deadline, claim));
  }

  private Served run(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline, Claim claim) {
    RequestBodies.JsonBody body =
        RequestBodies.read(event, RequestBodies.JSON, ServiceContract.MAX_BATCH_BODY_BYTES);
    if (body.problem() != null) {
      // Kept as any route's problem: under a key that answered another request, 422; under this
      // very batch's claim (its bytes sent with another Content-Type), given, not kept.
      return Served.unrecorded(Responses.problem(body.problem(), requestId));
    }
    BatchOutcome outcome =
        service.upsert(
            ProxyRequests.scope(event),
            BatchEnvelope.read(body.json()),
            deadline,
            LogFields::carried,
            claim == null
                ? null
                : new BatchUpsertService.Keyed(claim, requestId, BatchRoutes::appliedAnswer));
    if (outcome.envelopeAnswer() != null) {
      return Served.recorded(IdempotencyRecords.replay(outcome.envelopeAnswer(), requestId));
    }
    for (BatchOutcome.ItemOutcome item : outcome.items()) {
      if (item instanceof BatchOutcome.Broken broken) {
        // Logged in full here; the item's result names no internals.
        LOG.error("Unhandled error in batch item {}", broken.index(), broken.cause());
      }
    }
    if (claim != null) {
      outcome = keptOnTheirOwn(outcome, claim, requestId, deadline);
    }
    // The items' answers are kept item by item; the batch's answer is made again from them.
    return Served.recorded(BatchResponses.of(outcome, requestId));
  }

  /**
   * The outcome with the items' kept problems (a 400, a 404) kept in their items' records, or
   * replaced by the answer a duplicate of the batch recorded first.
   */
  private BatchOutcome keptOnTheirOwn(
      BatchOutcome outcome, Claim claim, String requestId, Deadline deadline) {
    List<BatchOutcome.ItemOutcome> items = new ArrayList<>(outcome.items().size());
    for (BatchOutcome.ItemOutcome item : outcome.items()) {
      Answer answer = unrecordedAnswer(item);
      if (answer == null || !answer.isKept()) {
        items.add(item);
        continue;
      }
      try {
        IdempotentAnswers.Given given =
            answers.keep(claim.item(item.index()), answer, requestId, deadline);
        items.add(
            given.replayed() ? new BatchOutcome.Replayed(item.index(), given.answer()) : item);
      } catch (DomainException.Unavailable notKept) {
        // Unkept, the answer would not be replayed: 503, so that a retry runs the item again.
        items.add(new BatchOutcome.Failed(item.index(), notKept));
      }
    }
    return new BatchOutcome(items);
  }

  /**
   * The answer of an item's problem, to keep on its own, or null: an applied item's answer is
   * recorded with its write or, for a no-op, kept by the domain before its chain goes on; a 5xx is
   * never kept.
   */
  private static Answer unrecordedAnswer(BatchOutcome.ItemOutcome item) {
    if (item instanceof BatchOutcome.Failed failed) {
      Problem.Details problem = ProblemMapping.of(failed.error());
      return new Answer(
          problem.problem().status(),
          Responses.PROBLEM_JSON,
          BatchResponses.problemJson(problem),
          null,
          null);
    }
    return null;
  }

  /** An applied item's answer as its result carries it: the status and the contact. */
  private static Answer appliedAnswer(
      Contact contact, Workspace workspace, Decision.Effect effect) {
    int status = effect == Decision.Effect.CREATED ? 201 : 200;
    return new Answer(
        status, Responses.JSON, Responses.contactJson(contact, workspace), null, null);
  }
}
