package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An API Gateway proxy event file read into the event object the handler takes, with the streaming
 * parser: the way the Lambda runtime hands it over, at about the least class cost.
 */
final class Events {

  private static final JsonFactory JSON = new JsonFactory();

  private Events() {}

  @SuppressWarnings("unchecked")
  static APIGatewayProxyRequestEvent read(byte[] json) throws IOException {
    Map<String, Object> map;
    try (JsonParser parser = JSON.createParser(json)) {
      parser.nextToken();
      map = (Map<String, Object>) value(parser);
    }
    APIGatewayProxyRequestEvent event =
        new APIGatewayProxyRequestEvent()
            .withResource((String) map.get("resource"))
            .withPath((String) map.get("path"))
            .withHttpMethod((String) map.get("httpMethod"))
            .withHeaders((Map<String, String>) map.get("headers"))
            .withMultiValueHeaders((Map<String, List<String>>) map.get("multiValueHeaders"))
            .withQueryStringParameters((Map<String, String>) map.get("queryStringParameters"))
            .withPathParameters((Map<String, String>) map.get("pathParameters"))
            .withStageVariables((Map<String, String>) map.get("stageVariables"))
            .withBody((String) map.get("body"))
            .withIsBase64Encoded((Boolean) map.get("isBase64Encoded"));
    Map<String, Object> context = (Map<String, Object>) map.get("requestContext");
    if (context != null) {
      APIGatewayProxyRequestEvent.ProxyRequestContext requestContext =
          new APIGatewayProxyRequestEvent.ProxyRequestContext()
              .withRequestId((String) context.get("requestId"))
              .withResourcePath((String) context.get("resourcePath"))
              .withHttpMethod((String) context.get("httpMethod"))
              .withStage((String) context.get("stage"))
              .withAccountId((String) context.get("accountId"))
              .withApiId((String) context.get("apiId"));
      requestContext.setAuthorizer((Map<String, Object>) context.get("authorizer"));
      event.setRequestContext(requestContext);
    }
    return event;
  }

  private static Object value(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.put(name, value(parser));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser));
        }
        return array;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        return parser.getText();
    }
  }
}
