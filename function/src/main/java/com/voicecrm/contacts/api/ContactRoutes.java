package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactService;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.VersionPrecondition;
import com.voicecrm.contacts.domain.Workspace;

/**
 * One method per route on contacts: parse the request into the domain's typed request, call {@link
 * ContactService}, map the outcome to the response. No business rule lives here.
 */
final class ContactRoutes {

  private final ContactService service;

  ContactRoutes(ContactService service) {
    this.service = service;
  }

  /** {@code POST /v1/contacts/upsert}: 201 with {@code Location} when created, else 200. */
  APIGatewayProxyResponseEvent upsert(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    RequestBodies.JsonBody body = RequestBodies.read(event, RequestBodies.JSON);
    if (body.problem() != null) {
      return Responses.problem(body.problem(), requestId);
    }
    ContactService.UpsertOutcome outcome =
        service.upsert(ProxyRequests.scope(event), ContactRequests.upsert(body.json()), deadline);
    if (outcome.created()) {
      return created(event, outcome.contact(), outcome.workspace(), requestId);
    }
    return Responses.contact(200, outcome.contact(), outcome.workspace(), requestId);
  }

  /** {@code POST /v1/contacts}: 201 with {@code Location}, or 409 naming the holders. */
  APIGatewayProxyResponseEvent create(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    RequestBodies.JsonBody body = RequestBodies.read(event, RequestBodies.JSON);
    if (body.problem() != null) {
      return Responses.problem(body.problem(), requestId);
    }
    ContactService.ContactView view =
        service.create(ProxyRequests.scope(event), ContactRequests.create(body.json()), deadline);
    return created(event, view.contact(), view.workspace(), requestId);
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
    RequestBodies.JsonBody body = RequestBodies.read(event, RequestBodies.JSON_OR_MERGE_PATCH);
    if (body.problem() != null) {
      return Responses.problem(body.problem(), requestId);
    }
    ContactService.ContactView view =
        service.patch(
            ProxyRequests.scope(event),
            ProxyRequests.pathId(event),
            ContactRequests.patch(body.json(), ProxyRequests.header(event, "If-Match")),
            deadline);
    return Responses.contact(200, view.contact(), view.workspace(), requestId);
  }

  /** {@code DELETE /v1/contacts/{id}}, honouring {@code If-Match}. */
  APIGatewayProxyResponseEvent delete(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    service.delete(
        ProxyRequests.scope(event),
        ProxyRequests.pathId(event),
        VersionPrecondition.ofIfMatch(ProxyRequests.header(event, "If-Match")),
        deadline);
    return Responses.noContent(requestId);
  }

  /** For SnapStart priming: the write path of the store, with a contact that cannot exist. */
  void primeWritePath(Contact contact) {
    service.primeWritePath(contact);
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
