package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.domain.ApiKeyScope;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.DomainException;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.IdempotentAnswers;
import java.util.function.Supplier;

/**
 * A write route under SPEC 11. Without an {@code Idempotency-Key} the route runs as it is; with
 * one, the route gets the request's {@link Claim} (its write then carries the answer's record, and
 * a record found by its reads is replayed), and an answer that no write carried (a no-op, a kept
 * 4xx) is recorded on its own, or replaced by the answer a duplicate recorded first.
 */
final class IdempotentRequests {

  private final IdempotentAnswers answers;

  IdempotentRequests(IdempotentAnswers answers) {
    this.answers = answers;
  }

  /**
   * What a route answered: {@code recorded} when the answer is already kept (its write carried the
   * record), is itself a replay, or must not be kept, so nothing is left to record.
   */
  record Served(APIGatewayProxyResponseEvent response, boolean recorded) {
    static Served recorded(APIGatewayProxyResponseEvent response) {
      return new Served(response, true);
    }

    static Served unrecorded(APIGatewayProxyResponseEvent response) {
      return new Served(response, false);
    }
  }

  /** A write route; {@code claim} is null when the request has no {@code Idempotency-Key}. */
  interface Route {
    Served run(Claim claim);
  }

  /**
   * Serves {@code event} by {@code route} under its {@code Idempotency-Key}, if any: 400 for a key
   * that breaks SPEC 11's rules; else the route's answer, kept when SPEC 11 keeps it.
   *
   * @param scope the API key's scope, asked for only when the request has a key
   */
  APIGatewayProxyResponseEvent serve(
      APIGatewayProxyRequestEvent event,
      Supplier<ApiKeyScope> scope,
      String requestId,
      Deadline deadline,
      Route route) {
    IdempotencyRecords.Header header = IdempotencyRecords.header(event);
    if (header.problem() != null) {
      return Responses.problem(header.problem(), requestId);
    }
    if (!header.isPresent()) {
      return route.run(null).response();
    }
    Claim claim = IdempotencyRecords.claim(event, scope.get(), header.value());
    Served served;
    try {
      served = route.run(claim);
    } catch (DomainException e) {
      Problem.Details problem = ProblemMapping.of(e);
      if (e instanceof DomainException.IdempotencyKeyReused
          || !Answer.isKept(problem.problem().status())) {
        throw e; // answered as any other, never kept
      }
      served = Served.unrecorded(Responses.problem(problem, requestId));
    }
    if (served.recorded()) {
      return served.response();
    }
    IdempotentAnswers.Given given =
        answers.keep(claim, IdempotencyRecords.answerOf(served.response()), requestId, deadline);
    return given.replayed()
        ? IdempotencyRecords.replay(given.answer(), requestId)
        : served.response();
  }
}
