package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.config.LogFields;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.BatchOutcome;
import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/contacts/batch/upsert} (SPEC 10): the body (1 MiB) as the domain's typed
 * envelope, the batch service, and its outcome as 200 or 207 with one result per item.
 */
final class BatchRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(BatchRoutes.class);

  private final BatchUpsertService service;

  BatchRoutes(BatchUpsertService service) {
    this.service = service;
  }

  APIGatewayProxyResponseEvent upsert(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    RequestBodies.JsonBody body =
        RequestBodies.read(event, RequestBodies.JSON, ServiceContract.MAX_BATCH_BODY_BYTES);
    if (body.problem() != null) {
      return Responses.problem(body.problem(), requestId);
    }
    BatchOutcome outcome =
        service.upsert(
            ProxyRequests.scope(event),
            BatchEnvelope.read(body.json()),
            deadline,
            LogFields::carried);
    for (BatchOutcome.ItemOutcome item : outcome.items()) {
      if (item instanceof BatchOutcome.Broken broken) {
        // Logged in full here; the item's result names no internals.
        LOG.error("Unhandled error in batch item {}", broken.index(), broken.cause());
      }
    }
    return BatchResponses.of(outcome, requestId);
  }
}
