package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.domain.BatchOutcome;
import com.voicecrm.contacts.domain.BatchOutcome.Applied;
import com.voicecrm.contacts.domain.BatchOutcome.Broken;
import com.voicecrm.contacts.domain.BatchOutcome.Failed;
import com.voicecrm.contacts.domain.BatchOutcome.ItemOutcome;
import com.voicecrm.contacts.domain.DomainException;

/**
 * The answer of a batch (SPEC 10): 200 when every item succeeded, else 207, with one result per
 * item in input order and a summary. An item's problem is the one its upsert alone would have
 * answered, without {@code requestId} (the response's {@code X-Request-Id} names the request). A
 * batch with items cut off by the deadline carries {@code Retry-After}.
 */
final class BatchResponses {

  static final int MULTI_STATUS = 207;
  static final String BROKEN_ITEM =
      "An unexpected error occurred for this item; quote the response's X-Request-Id.";

  private BatchResponses() {}

  static APIGatewayProxyResponseEvent of(BatchOutcome outcome, String requestId) {
    int retryAfter = 0;
    for (ItemOutcome item : outcome.items()) {
      if (item instanceof Failed failed
          && failed.error() instanceof DomainException.Unavailable u) {
        retryAfter = Math.max(retryAfter, u.retryAfterSeconds());
      }
    }
    String body =
        Responses.write(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("results");
              for (ItemOutcome item : outcome.items()) {
                g.writeStartObject();
                g.writeNumberField("index", item.index());
                if (item instanceof Applied applied) {
                  g.writeNumberField("status", applied.outcome().created() ? 201 : 200);
                  g.writeFieldName("contact");
                  g.writeRawValue(
                      Responses.contactJson(
                          applied.outcome().contact(), applied.outcome().workspace()));
                } else {
                  Problem.Details problem = problemOf(item);
                  g.writeNumberField("status", problem.problem().status());
                  g.writeFieldName("problem");
                  Responses.writeProblem(g, problem, null);
                }
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeObjectFieldStart("summary");
              g.writeNumberField("created", outcome.created());
              g.writeNumberField("updated", outcome.updated());
              g.writeNumberField("failed", outcome.failed());
              g.writeEndObject();
              g.writeEndObject();
            });
    APIGatewayProxyResponseEvent response =
        Responses.response(
            outcome.failed() == 0 ? 200 : MULTI_STATUS, Responses.JSON, body, requestId);
    if (retryAfter > 0) {
      response.getHeaders().put("Retry-After", Integer.toString(retryAfter));
    }
    return response;
  }

  private static Problem.Details problemOf(ItemOutcome item) {
    if (item instanceof Failed failed) {
      return ProblemMapping.of(failed.error());
    }
    if (item instanceof Broken) {
      return new Problem.Details(Problem.INTERNAL_ERROR, BROKEN_ITEM);
    }
    throw new IllegalStateException("Not a failed item: " + item);
  }
}
