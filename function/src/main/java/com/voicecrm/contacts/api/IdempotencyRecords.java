package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.voicecrm.contacts.domain.ApiKeyScope;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP side of SPEC 11, in one place for every write route (a batch's items included): the
 * {@code Idempotency-Key} header's rules, the fingerprint that tells "the same request", the answer
 * as it is kept, and its replay.
 */
public final class IdempotencyRecords {

  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  static final int MAX_KEY_LENGTH = 255;

  private IdempotencyRecords() {}

  /**
   * The request's {@code Idempotency-Key}: absent (both null), a valid value, or the 400 that a
   * value breaking SPEC 11's rules gets.
   */
  public record Header(String value, Problem.Details problem) {
    static final Header ABSENT = new Header(null, null);

    public boolean isPresent() {
      return value != null;
    }
  }

  /** Reads and checks the header: 1–255 visible ASCII characters, sent once. */
  public static Header header(APIGatewayProxyRequestEvent event) {
    List<String> values = values(event);
    if (values.isEmpty()) {
      return Header.ABSENT;
    }
    if (values.size() > 1) {
      return invalid("Send one Idempotency-Key header");
    }
    String value = values.get(0);
    if (value == null || value.isEmpty()) {
      return invalid("Must not be empty");
    }
    if (value.length() > MAX_KEY_LENGTH) {
      return invalid("At most " + MAX_KEY_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '!' || c > '~') {
        return invalid("Only visible ASCII characters (! to ~), no spaces");
      }
    }
    return new Header(value, null);
  }

  private static Header invalid(String message) {
    return new Header(
        null,
        new Problem.Details(
            Problem.VALIDATION_ERROR,
            "The Idempotency-Key header is invalid: " + message,
            List.of(new FieldError(HEADER, message))));
  }

  private static List<String> values(APIGatewayProxyRequestEvent event) {
    // API Gateway lists every occurrence in multiValueHeaders and only the last one in headers.
    if (event.getMultiValueHeaders() != null) {
      for (Map.Entry<String, List<String>> header : event.getMultiValueHeaders().entrySet()) {
        if (HEADER.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
          return header.getValue();
        }
      }
    }
    String single = ProxyRequests.header(event, HEADER);
    return single == null ? List.of() : java.util.Collections.singletonList(single);
  }

  /**
   * The claim of a request with key {@code keyValue}: its record is the API key's ({@code
   * scope.keyId()}) record of the key's SHA-256; its fingerprint covers the key's scope, the
   * method, the path with query as the client addressed it and the body's bytes (base64 decoded).
   */
  public static Claim claim(APIGatewayProxyRequestEvent event, ApiKeyScope scope, String keyValue) {
    // The authorizer always names the key; without it the fingerprint's scope still keeps tenants
    // apart.
    String keyId = scope.keyId() == null ? "none" : scope.keyId();
    RecordId id = RecordId.of(keyId, sha256Hex(keyValue.getBytes(StandardCharsets.UTF_8)));
    return new Claim(
        id,
        fingerprint(
            scope,
            event.getHttpMethod() == null ? "" : event.getHttpMethod(),
            pathWithQuery(event),
            bodyBytes(event)));
  }

  /**
   * The body's bytes as the client sent them: base64 decoded when API Gateway encoded them; a body
   * flagged base64 that is not (answered 400) counts as its text.
   */
  static byte[] bodyBytes(APIGatewayProxyRequestEvent event) {
    String body = event.getBody() == null ? "" : event.getBody();
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      try {
        return Base64.getMimeDecoder().decode(body);
      } catch (IllegalArgumentException notBase64) {
        return body.getBytes(StandardCharsets.UTF_8);
      }
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * SHA-256 over the scope, method, path with query (each length-prefixed, so no two requests share
   * an encoding) and the body bytes. The scope is there so that two API keys whose ids collide
   * never replay each other's answers: they would get 422 instead.
   */
  static String fingerprint(ApiKeyScope scope, String method, String pathWithQuery, byte[] body) {
    MessageDigest digest = sha256();
    for (String part :
        List.of(
            scope.accountId(),
            scope.workspaceId() == null ? "" : scope.workspaceId(),
            method.toUpperCase(java.util.Locale.ROOT),
            pathWithQuery)) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
      digest.update(bytes);
    }
    digest.update(body == null ? new byte[0] : body);
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The path as the client addressed it (stage or base path included, as {@code Location} is) and
   * the query parameters sorted by name, each name's values in the order sent.
   */
  static String pathWithQuery(APIGatewayProxyRequestEvent event) {
    String path =
        ProxyRequests.addressedPrefix(event) + (event.getPath() == null ? "" : event.getPath());
    Map<String, List<String>> query = new TreeMap<>();
    if (event.getMultiValueQueryStringParameters() != null) {
      event.getMultiValueQueryStringParameters().forEach((k, v) -> query.put(k, v));
    } else if (event.getQueryStringParameters() != null) {
      event.getQueryStringParameters().forEach((k, v) -> query.put(k, List.of(v)));
    }
    if (query.isEmpty()) {
      return path;
    }
    List<String> pairs = new ArrayList<>();
    query.forEach(
        (name, values) -> {
          for (String value : values) {
            pairs.add(encode(name) + "=" + encode(value == null ? "" : value));
          }
        });
    return path + "?" + String.join("&", pairs);
  }

  /** The answer {@code response} gives, as kept: everything but the request's own id. */
  public static Answer answerOf(APIGatewayProxyResponseEvent response) {
    Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
    return new Answer(
        response.getStatusCode(),
        headerOf(headers, "Content-Type"),
        response.getBody(),
        headerOf(headers, "Location"),
        headerOf(headers, "ETag"));
  }

  /**
   * The answer {@code record} keeps, for request {@code requestId}: a replay ({@link #replay}), or,
   * for the very request that recorded it (its write applied, the answer lost on the way back), its
   * own answer, not marked as replayed.
   */
  public static APIGatewayProxyResponseEvent replay(Record record, String requestId) {
    APIGatewayProxyResponseEvent response = replay(record.answer(), requestId);
    if (!record.isReplayFor(requestId)) {
      response.getHeaders().remove(REPLAYED_HEADER);
    }
    return response;
  }

  /**
   * The kept {@code answer} again, for request {@code requestId}: the first answer's status, body,
   * {@code Location} and {@code ETag}, with {@code Idempotent-Replayed: true}; a problem body's
   * {@code requestId} names this request, as its {@code X-Request-Id} does.
   */
  public static APIGatewayProxyResponseEvent replay(Answer answer, String requestId) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Request-Id", requestId);
    headers.put(REPLAYED_HEADER, "true");
    String body = answer.body();
    if (answer.contentType() != null) {
      headers.put("Content-Type", answer.contentType());
      if (answer.contentType().startsWith(Responses.PROBLEM_JSON) && body != null) {
        body = withRequestId(body, requestId);
      }
    }
    if (answer.location() != null) {
      headers.put("Location", answer.location());
    }
    if (answer.etag() != null) {
      headers.put("ETag", answer.etag());
    }
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(answer.status())
        .withHeaders(headers)
        .withBody(body);
  }

  /** The problem body with its top-level {@code requestId} set to {@code requestId}. */
  static String withRequestId(String problemJson, String requestId) {
    StringWriter out = new StringWriter(problemJson.length() + 40);
    try (JsonParser parser = JsonBodies.factory().createParser(problemJson);
        JsonGenerator generator = JsonBodies.factory().createGenerator(out)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return problemJson;
      }
      generator.writeStartObject();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        generator.writeFieldName(name);
        if (name.equals("requestId")) {
          generator.writeString(requestId);
          parser.skipChildren();
        } else {
          generator.copyCurrentStructure(parser);
        }
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String headerOf(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (name.equalsIgnoreCase(header.getKey())) {
        return header.getValue();
      }
    }
    return null;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
