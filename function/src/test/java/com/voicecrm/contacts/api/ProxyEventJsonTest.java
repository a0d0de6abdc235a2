package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyEventJsonTest {

  private static APIGatewayProxyRequestEvent read(String json) throws IOException {
    return ProxyEventJson.readRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readRequest_takesWhatTheFunctionUses_andSkipsTheRest() throws IOException {
    APIGatewayProxyRequestEvent event =
        read(
            """
            {"resource":"/v1/contacts/{id}","path":"/v1/contacts/abc","httpMethod":"GET",
             "headers":{"content-type":"application/json"},
             "multiValueHeaders":{"content-type":["application/json"]},
             "queryStringParameters":null,"pathParameters":{"id":"abc"},
             "requestContext":{"requestId":"r1","stage":"dev","path":"/dev/v1/contacts/abc",
               "identity":{"sourceIp":"203.0.113.10","caller":null},"requestTimeEpoch":1796117400000,
               "authorizer":{"accountId":"acc","workspaceId":"","integrationLatency":412,
                             "claims":{"nested":true}}},
             "someFieldFromTheFuture":[1,{"a":2}],
             "body":"{}","isBase64Encoded":false}
            """);

    assertEquals("GET", event.getHttpMethod());
    assertEquals(Map.of("content-type", "application/json"), event.getHeaders());
    assertEquals(Map.of("content-type", List.of("application/json")), event.getMultiValueHeaders());
    assertNull(event.getQueryStringParameters());
    assertEquals(Map.of("id", "abc"), event.getPathParameters());
    assertEquals("r1", event.getRequestContext().getRequestId());
    assertEquals("/dev/v1/contacts/abc", event.getRequestContext().getPath());
    // Context values arrive as strings (API Gateway's integrationLatency is a number).
    assertEquals(
        Map.of("accountId", "acc", "workspaceId", "", "integrationLatency", "412"),
        event.getRequestContext().getAuthorizer());
    assertEquals("{}", event.getBody());
    assertFalse(event.getIsBase64Encoded());
  }

  @Test
  void readRequest_notAnObject_isAnError() {
    assertThrows(IOException.class, () -> read("[]"));
  }

  @Test
  void writeResponse_thenReadResponse_roundTrips_andLeavesOutNulls() throws IOException {
    APIGatewayProxyResponseEvent response =
        new APIGatewayProxyResponseEvent()
            .withStatusCode(204)
            .withHeaders(Map.of("X-Request-Id", "r1"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProxyEventJson.writeResponse(response, out);

    assertEquals(
        "{\"statusCode\":204,\"headers\":{\"X-Request-Id\":\"r1\"},\"isBase64Encoded\":false}",
        out.toString(StandardCharsets.UTF_8));
    APIGatewayProxyResponseEvent back =
        ProxyEventJson.readResponse(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(204, back.getStatusCode());
    assertEquals(Map.of("X-Request-Id", "r1"), back.getHeaders());
    assertNull(back.getBody());
  }

  @Test
  void writeRequest_thenReadRequest_roundTrips() throws IOException {
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withRequestId("r2")
            .withStage("local")
            .withPath("/v1/contacts/upsert");
    context.setAuthorizer(Map.of("accountId", "acc"));
    APIGatewayProxyRequestEvent event =
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("POST")
            .withResource("/v1/contacts/upsert")
            .withPath("/v1/contacts/upsert")
            .withHeaders(Map.of("Content-Type", "application/json"))
            .withRequestContext(context)
            .withBody("{\"a\":\"\\u00e9\"}")
            .withIsBase64Encoded(false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProxyEventJson.writeRequest(event, out);
    APIGatewayProxyRequestEvent back =
        ProxyEventJson.readRequest(new ByteArrayInputStream(out.toByteArray()));

    assertEquals(event.getBody(), back.getBody());
    assertEquals(event.getHeaders(), back.getHeaders());
    assertEquals("/v1/contacts/upsert", back.getRequestContext().getPath());
    assertEquals(Map.of("accountId", "acc"), back.getRequestContext().getAuthorizer());
  }

  @Test
  void addressedPrefix_isTheStageOrBasePathTheClientUsed() {
    assertEquals(
        "/dev",
        ProxyRequests.addressedPrefix(event("/v1/contacts/upsert", "/dev/v1/contacts/upsert")));
    assertEquals(
        "/crm",
        ProxyRequests.addressedPrefix(event("/v1/contacts/upsert", "/crm/v1/contacts/upsert")));
    assertEquals(
        "", ProxyRequests.addressedPrefix(event("/v1/contacts/upsert", "/v1/contacts/upsert")));
    assertEquals("", ProxyRequests.addressedPrefix(event("/v1/contacts/upsert", null)));
    assertEquals("", ProxyRequests.addressedPrefix(event("/v1/contacts/upsert", "/other")));
  }

  private static APIGatewayProxyRequestEvent event(String path, String addressed) {
    return new APIGatewayProxyRequestEvent()
        .withPath(path)
        .withRequestContext(
            new APIGatewayProxyRequestEvent.ProxyRequestContext().withPath(addressed));
  }
}
