package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API Gateway REST (v1) proxy event and its response, as JSON on the wire. The function reads
 * the event Lambda hands it and writes the response itself ({@code RequestStreamHandler}), so the
 * runtime does no reflection-based mapping (and needs none of the libraries that mapping loads).
 * The local gateway and the tests write events and read responses through the same code.
 *
 * <p>Fields the function does not use are skipped; unknown fields are ignored, as API Gateway adds
 * new ones over time.
 */
public final class ProxyEventJson {

  // Lambda's invoke payload is at most 6 MB; a body string is never longer than that.
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(8 * 1024 * 1024).build())
          .build();

  private ProxyEventJson() {}

  /**
   * Invokes a stream handler with {@code event} through the wire format, exactly as Lambda does:
   * the event as JSON in, the response read back from the JSON the handler wrote.
   */
  public static APIGatewayProxyResponseEvent invoke(
      RequestStreamHandler handler, APIGatewayProxyRequestEvent event, Context context) {
    try {
      ByteArrayOutputStream request = new ByteArrayOutputStream(1024);
      writeRequest(event, request);
      ByteArrayOutputStream response = new ByteArrayOutputStream(1024);
      handler.handleRequest(new ByteArrayInputStream(request.toByteArray()), response, context);
      return readResponse(new ByteArrayInputStream(response.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one proxy event; malformed input (never sent by API Gateway) is an IOException. */
  public static APIGatewayProxyRequestEvent readRequest(InputStream in) throws IOException {
    try (JsonParser parser = FACTORY.createParser(in)) {
      expect(parser, JsonToken.START_OBJECT);
      APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "resource" -> event.setResource(parser.getValueAsString());
          case "path" -> event.setPath(parser.getValueAsString());
          case "httpMethod" -> event.setHttpMethod(parser.getValueAsString());
          case "headers" -> event.setHeaders(stringMap(parser));
          case "multiValueHeaders" -> event.setMultiValueHeaders(listMap(parser));
          case "queryStringParameters" -> event.setQueryStringParameters(stringMap(parser));
          case "multiValueQueryStringParameters" ->
              event.setMultiValueQueryStringParameters(listMap(parser));
          case "pathParameters" -> event.setPathParameters(stringMap(parser));
          case "stageVariables" -> event.setStageVariables(stringMap(parser));
          case "requestContext" -> event.setRequestContext(requestContext(parser));
          case "body" -> event.setBody(parser.getValueAsString());
          case "isBase64Encoded" -> event.setIsBase64Encoded(parser.getValueAsBoolean());
          default -> parser.skipChildren();
        }
      }
      return event;
    }
  }

  /** Writes the response in the shape API Gateway's proxy integration requires. */
  public static void writeResponse(APIGatewayProxyResponseEvent response, OutputStream out)
      throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("statusCode", response.getStatusCode());
      // Absent rather than null: API Gateway reads a missing body as empty.
      if (response.getHeaders() != null) {
        writeStringMap(g, "headers", response.getHeaders());
      }
      if (response.getMultiValueHeaders() != null) {
        writeListMap(g, "multiValueHeaders", response.getMultiValueHeaders());
      }
      if (response.getBody() != null) {
        g.writeStringField("body", response.getBody());
      }
      g.writeBooleanField("isBase64Encoded", Boolean.TRUE.equals(response.getIsBase64Encoded()));
      g.writeEndObject();
    }
  }

  /** Writes a proxy event as API Gateway sends it (the local gateway and the tests use this). */
  public static void writeRequest(APIGatewayProxyRequestEvent event, OutputStream out)
      throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("resource", event.getResource());
      g.writeStringField("path", event.getPath());
      g.writeStringField("httpMethod", event.getHttpMethod());
      writeStringMap(g, "headers", event.getHeaders());
      writeListMap(g, "multiValueHeaders", event.getMultiValueHeaders());
      writeStringMap(g, "queryStringParameters", event.getQueryStringParameters());
      writeListMap(
          g, "multiValueQueryStringParameters", event.getMultiValueQueryStringParameters());
      writeStringMap(g, "pathParameters", event.getPathParameters());
      writeStringMap(g, "stageVariables", event.getStageVariables());
      APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
      if (context == null) {
        g.writeNullField("requestContext");
      } else {
        g.writeObjectFieldStart("requestContext");
        g.writeStringField("requestId", context.getRequestId());
        g.writeStringField("stage", context.getStage());
        g.writeStringField("path", context.getPath());
        g.writeStringField("resourcePath", context.getResourcePath());
        g.writeStringField("httpMethod", context.getHttpMethod());
        if (context.getAuthorizer() == null) {
          g.writeNullField("authorizer");
        } else {
          g.writeObjectFieldStart("authorizer");
          for (Map.Entry<String, Object> entry : context.getAuthorizer().entrySet()) {
            if (entry.getValue() == null) {
              g.writeNullField(entry.getKey());
            } else {
              g.writeStringField(entry.getKey(), entry.getValue().toString());
            }
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeStringField("body", event.getBody());
      g.writeBooleanField("isBase64Encoded", Boolean.TRUE.equals(event.getIsBase64Encoded()));
      g.writeEndObject();
    }
  }

  /** Reads a response the function wrote (the local gateway and the tests use this). */
  public static APIGatewayProxyResponseEvent readResponse(InputStream in) throws IOException {
    try (JsonParser parser = FACTORY.createParser(in)) {
      expect(parser, JsonToken.START_OBJECT);
      APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "statusCode" -> response.setStatusCode(parser.getIntValue());
          case "headers" -> response.setHeaders(stringMap(parser));
          case "multiValueHeaders" -> response.setMultiValueHeaders(listMap(parser));
          case "body" -> response.setBody(parser.getValueAsString());
          case "isBase64Encoded" -> response.setIsBase64Encoded(parser.getValueAsBoolean());
          default -> parser.skipChildren();
        }
      }
      return response;
    }
  }

  private static APIGatewayProxyRequestEvent.ProxyRequestContext requestContext(JsonParser parser)
      throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expectCurrent(parser, JsonToken.START_OBJECT);
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "requestId" -> context.setRequestId(parser.getValueAsString());
        case "stage" -> context.setStage(parser.getValueAsString());
        case "path" -> context.setPath(parser.getValueAsString());
        case "resourcePath" -> context.setResourcePath(parser.getValueAsString());
        case "httpMethod" -> context.setHttpMethod(parser.getValueAsString());
        case "authorizer" -> context.setAuthorizer(authorizer(parser));
        default -> parser.skipChildren();
      }
    }
    return context;
  }

  // API Gateway passes the authorizer's context as strings, plus its own entries (principalId,
  // integrationLatency as a number); nested values never occur and are skipped.
  private static Map<String, Object> authorizer(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expectCurrent(parser, JsonToken.START_OBJECT);
    Map<String, Object> values = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken token = parser.nextToken();
      if (token.isScalarValue()) {
        values.put(key, token == JsonToken.VALUE_NULL ? null : parser.getValueAsString());
      } else {
        parser.skipChildren();
      }
    }
    return values;
  }

  private static Map<String, String> stringMap(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expectCurrent(parser, JsonToken.START_OBJECT);
    Map<String, String> values = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      values.put(key, parser.getValueAsString());
    }
    return values;
  }

  private static Map<String, List<String>> listMap(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expectCurrent(parser, JsonToken.START_OBJECT);
    Map<String, List<String>> values = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      expect(parser, JsonToken.START_ARRAY);
      List<String> list = new ArrayList<>(1);
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(parser.getValueAsString());
      }
      values.put(key, list);
    }
    return values;
  }

  private static void writeStringMap(JsonGenerator g, String field, Map<String, String> map)
      throws IOException {
    if (map == null) {
      g.writeNullField(field);
      return;
    }
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> entry : map.entrySet()) {
      g.writeStringField(entry.getKey(), entry.getValue());
    }
    g.writeEndObject();
  }

  private static void writeListMap(JsonGenerator g, String field, Map<String, List<String>> map)
      throws IOException {
    if (map == null) {
      g.writeNullField(field);
      return;
    }
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, List<String>> entry : map.entrySet()) {
      g.writeArrayFieldStart(entry.getKey());
      for (String value : entry.getValue()) {
        g.writeString(value);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void expect(JsonParser parser, JsonToken token) throws IOException {
    parser.nextToken();
    expectCurrent(parser, token);
  }

  private static void expectCurrent(JsonParser parser, JsonToken token) throws IOException {
    if (parser.currentToken() != token) {
      throw new IOException("Not an API Gateway proxy event: expected " + token);
    }
  }
}
