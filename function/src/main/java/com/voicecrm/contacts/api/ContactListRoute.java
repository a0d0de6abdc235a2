package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactListing;
import com.voicecrm.contacts.domain.Deadline;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Request-Id", requestId);
    headers.put("Content-Type", Responses.JSON);
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(200)
        .withHeaders(headers)
        .withBody(pageJson(page));
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
    StringWriter out = new StringWriter(256 + 512 * page.contacts().size());
    try (JsonGenerator g = JsonBodies.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (Contact contact : page.contacts()) {
        g.writeRawValue(Responses.contactJson(contact, page.workspace()));
      }
      g.writeEndArray();
      g.writeStringField("nextCursor", page.nextCursor());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
