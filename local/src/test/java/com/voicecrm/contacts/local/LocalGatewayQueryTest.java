package com.voicecrm.contacts.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query string as the local gateway hands it over, the way API Gateway's proxy does. */
class LocalGatewayQueryTest {

  private static APIGatewayProxyRequestEvent withQuery(String rawQuery) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    LocalGateway.setQuery(event, rawQuery);
    return event;
  }

  @Test
  void valuesAreFormDecoded_aPlusIsASpace_andPercent2BIsAPlus() {
    APIGatewayProxyRequestEvent event =
        withQuery("phone=%2B1+415&email=a%40b.c&updatedAfter=2026-01-01T00%3A00%3A00%2B01%3A00");

    assertEquals("+1 415", event.getQueryStringParameters().get("phone"));
    assertEquals("a@b.c", event.getQueryStringParameters().get("email"));
    assertEquals("2026-01-01T00:00:00+01:00", event.getQueryStringParameters().get("updatedAfter"));
  }

  @Test
  void aRepeatedName_keepsEveryValueInTheMultiValueMap_andTheLastInTheOther() {
    APIGatewayProxyRequestEvent event = withQuery("tag=a&tag=b&limit&&x=");

    assertEquals(List.of("a", "b"), event.getMultiValueQueryStringParameters().get("tag"));
    assertEquals("b", event.getQueryStringParameters().get("tag"));
    assertEquals(Map.of("tag", "b", "limit", "", "x", ""), event.getQueryStringParameters());
  }

  @Test
  void noQueryString_leavesBothMapsNull() {
    for (String none : new String[] {null, ""}) {
      APIGatewayProxyRequestEvent event = withQuery(none);
      assertNull(event.getQueryStringParameters());
      assertNull(event.getMultiValueQueryStringParameters());
    }
  }

  @Test
  void aMalformedEscape_isKeptAsSent() {
    assertEquals("100%", withQuery("tag=100%").getQueryStringParameters().get("tag"));
  }
}
