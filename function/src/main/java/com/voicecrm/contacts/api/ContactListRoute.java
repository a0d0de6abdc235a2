package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactListing;
import com.voicecrm.contacts.domain.Deadline;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/contacts} (SPEC 9): the query string, typed by {@link ListQueryParser}, to {@link
 * ContactListing}, its page to {@code {"data": [contact, ...], "nextCursor": "..." | null}}.
 */
final class ContactListRoute {

  private final ContactListing listing;

  ContactListRoute(ContactListing listing) {
    this.listing = listing;
  }

  /** {@code GET /v1/contacts}: 200 with one page. */
  APIGatewayProxyResponseEvent list(
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    ContactListing.Page page =
        listing.list(
            ProxyRequests.scope(event), ListQueryParser.parse(parameters(event)), deadline);
    return Responses.response(200, Responses.JSON, pageJson(page), requestId);
  }

  /**
   * Every value of every parameter: API Gateway puts them all in the multi-value map (its
   * single-value map keeps only the last of a repeated one), already URL-decoded.
   */
  static Map<String, List<String>> parameters(APIGatewayProxyRequestEvent event) {
    if (event.getMultiValueQueryStringParameters() != null) {
      return event.getMultiValueQueryStringParameters();
    }
    Map<String, List<String>> parameters = new HashMap<>();
    if (event.getQueryStringParameters() != null) {
      event
          .getQueryStringParameters()
          .forEach((name, value) -> parameters.put(name, List.of(value)));
    }
    return parameters;
  }

  static String pageJson(ContactListing.Page page) {
    return Responses.write(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("data");
          for (Contact contact : page.contacts()) {
            g.writeRawValue(Responses.contactJson(contact, page.workspace()));
          }
          g.writeEndArray();
          g.writeStringField("nextCursor", page.nextCursor());
          g.writeEndObject();
        });
  }
}
