package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactListing;
import com.voicecrm.contacts.domain.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the list route reads from the proxy event and writes as the page. */
class ContactListRouteTest {

  @Test
  void parameters_preferTheMultiValueMap_whichHoldsRepeatedValues() {
    APIGatewayProxyRequestEvent event =
        new APIGatewayProxyRequestEvent()
            .withQueryStringParameters(Map.of("tag", "b"))
            .withMultiValueQueryStringParameters(Map.of("tag", List.of("a", "b")));

    assertEquals(Map.of("tag", List.of("a", "b")), ContactListRoute.parameters(event));
  }

  @Test
  void parameters_fallBackToTheSingleValueMap_andToNothing() {
    assertEquals(
        Map.of("limit", List.of("5")),
        ContactListRoute.parameters(
            new APIGatewayProxyRequestEvent().withQueryStringParameters(Map.of("limit", "5"))));
    assertEquals(Map.of(), ContactListRoute.parameters(new APIGatewayProxyRequestEvent()));
  }

  @Test
  void page_isDataAndNextCursor_eachContactAsTheSingleContactRoutesShowIt() {
    Workspace workspace = new Workspace("ws", "acc", "Main", null, List.of());
    Instant at = Instant.parse("2026-11-30T10:49:09.642Z");
    Contact contact =
        new Contact(
            "id-1",
            "ws",
            "acc",
            "Ann",
            null,
            null,
            "+14155551234",
            null,
            List.of("vip"),
            Map.of(),
            at,
            at,
            null,
            0);

    String json =
        ContactListRoute.pageJson(new ContactListing.Page(List.of(contact), workspace, "abc"));

    assertEquals(
        "{\"data\":[" + Responses.contactJson(contact, workspace) + "],\"nextCursor\":\"abc\"}",
        json);
    assertEquals(
        "{\"data\":[],\"nextCursor\":null}",
        ContactListRoute.pageJson(new ContactListing.Page(List.of(), workspace, null)));
  }
}
