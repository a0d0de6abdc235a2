package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.api.IdempotentRequests.Served;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactService;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.Decision;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.IdempotentWrite;
import com.voicecrm.contacts.domain.VersionPrecondition;
import com.voicecrm.contacts.domain.Workspace;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One method per route on contacts: parse the request into the domain's typed request, call {@link
 * ContactService}, map the outcome to the response. No business rule lives here.
 */
final class ContactRoutes {

  /** The answer a delete gives, the same for every contact. */
  private static final Answer DELETED = new Answer(204, null, null, null, null);

  private final ContactService service;
  private final IdempotentRequests idempotent;

  ContactRoutes(ContactService service, IdempotentRequests idempotent) {
    this.service = service;
    this.idempotent = idempotent;
  }

  /** {@code POST /v1/contacts/upsert}: 201 with {@code Location} when created, else 200. */
  APIGatewayProxyResponseEvent upsert(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    return bodyWrite(
        event,
        requestId,
        deadline,
        RequestBodies.JSON,
        (json, write) ->
            service.upsert(
                ProxyRequests.scope(event), ContactRequests.upsert(json), deadline, write));
  }

  /** {@code POST /v1/contacts}: 201 with {@code Location}, or 409 naming the holders. */
  APIGatewayProxyResponseEvent create(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    return bodyWrite(
        event,
        requestId,
        deadline,
        RequestBodies.JSON,
        (json, write) ->
            service.create(
                ProxyRequests.scope(event), ContactRequests.create(json), deadline, write));
  }

  /** {@code GET /v1/contacts/{id}}. */
  APIGatewayProxyResponseEvent get(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    ContactService.ContactView view =
        service.get(ProxyRequests.scope(event), ProxyRequests.pathId(event), deadline);
    return Responses.contact(200, view.contact(), view.workspace(), requestId);
  }

  /** {@code PATCH /v1/contacts/{id}}: 200 with the contact and its {@code ETag}. */
  APIGatewayProxyResponseEvent patch(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    return bodyWrite(
        event,
        requestId,
        deadline,
        RequestBodies.JSON_OR_MERGE_PATCH,
        (json, write) ->
            service.patch(
                ProxyRequests.scope(event),
                ProxyRequests.pathId(event),
                ContactRequests.patch(json, ProxyRequests.header(event, "If-Match")),
                deadline,
                write));
  }

  /** The domain call of a route whose body is one contact's fields. */
  private interface ContactWrite {
    ContactService.UpsertOutcome apply(Map<String, Object> json, IdempotentWrite write);
  }

  /**
   * A route that writes one contact from its JSON body, under its {@code Idempotency-Key} when
   * sent: the body (a problem of its own is not recorded), the domain's write, the contact's
   * answer.
   */
  private APIGatewayProxyResponseEvent bodyWrite(
      APIGatewayProxyRequestEvent event,
      String requestId,
      Deadline deadline,
      Set<String> mediaTypes,
      ContactWrite call) {
    return idempotent.serve(
        event,
        () -> ProxyRequests.scope(event),
        requestId,
        deadline,
        claim -> {
          RequestBodies.JsonBody body = RequestBodies.read(event, mediaTypes);
          if (body.problem() != null) {
            return Served.unrecorded(Responses.problem(body.problem(), requestId));
          }
          ContactService.UpsertOutcome outcome =
              call.apply(body.json(), write(event, claim, requestId));
          return served(outcome.kept(), requestId, () -> written(event, outcome, requestId));
        });
  }

  /** {@code DELETE /v1/contacts/{id}}, honouring {@code If-Match}. */
  APIGatewayProxyResponseEvent delete(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    return idempotent.serve(
        event,
        () -> ProxyRequests.scope(event),
        requestId,
        deadline,
        claim -> {
          ContactService.Kept kept =
              service.delete(
                  ProxyRequests.scope(event),
                  ProxyRequests.pathId(event),
                  VersionPrecondition.ofIfMatch(ProxyRequests.header(event, "If-Match")),
                  deadline,
                  claim == null
                      ? null
                      : new IdempotentWrite(
                          claim, requestId, (contact, workspace, effect) -> DELETED));
          return served(kept, requestId, () -> Responses.noContent(requestId));
        });
  }

  /** For SnapStart priming: the write path of the store, with a contact that cannot exist. */
  void primeWritePath(Contact contact) {
    service.primeWritePath(contact);
  }

  /**
   * The write of a request with key {@code claim} (null: none), whose answer the write carries:
   * rendered from the decided contact exactly as {@link #written} renders it.
   */
  private static IdempotentWrite write(
      APIGatewayProxyRequestEvent event, Claim claim, String requestId) {
    if (claim == null) {
      return null;
    }
    return new IdempotentWrite(
        claim,
        requestId,
        (contact, workspace, effect) ->
            IdempotencyRecords.answerOf(
                contactResponse(
                    event, contact, workspace, effect == Decision.Effect.CREATED, requestId)));
  }

  /** The route's answer: the replay of a record, or the one {@code fresh} renders. */
  private static Served served(
      ContactService.Kept kept, String requestId, Supplier<APIGatewayProxyResponseEvent> fresh) {
    if (kept.replayed() != null) {
      return Served.recorded(IdempotencyRecords.replay(kept.replayed(), requestId));
    }
    return new Served(fresh.get(), kept.recorded());
  }

  private static APIGatewayProxyResponseEvent written(
      APIGatewayProxyRequestEvent event, ContactService.UpsertOutcome outcome, String requestId) {
    return contactResponse(
        event, outcome.contact(), outcome.workspace(), outcome.created(), requestId);
  }

  /** 200, or 201 with the new contact's {@code Location} as the client addressed it (SPEC 3.3). */
  private static APIGatewayProxyResponseEvent contactResponse(
      APIGatewayProxyRequestEvent event,
      Contact contact,
      Workspace workspace,
      boolean created,
      String requestId) {
    if (!created) {
      return Responses.contact(200, contact, workspace, requestId);
    }
    return created(event, contact, workspace, requestId);
  }

  /** 201 with the new contact's {@code Location} as the client addressed the API (SPEC 3.3). */
  private static APIGatewayProxyResponseEvent created(
      APIGatewayProxyRequestEvent event, Contact contact, Workspace workspace, String requestId) {
    APIGatewayProxyResponseEvent response = Responses.contact(201, contact, workspace, requestId);
    response
        .getHeaders()
        .put("Location", ProxyRequests.addressedPrefix(event) + "/v1/contacts/" + contact.id());
    return response;
  }
}
