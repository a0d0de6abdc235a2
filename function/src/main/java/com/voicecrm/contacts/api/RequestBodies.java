package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A write's body (SPEC 3.1): its media type, base64, size and strict JSON, in that order. */
final class RequestBodies {

  static final Set<String> JSON = Set.of("application/json");
  static final Set<String> JSON_OR_MERGE_PATCH =
      Set.of("application/json", "application/merge-patch+json");

  private RequestBodies() {}

  /** A write's JSON object, or the problem that keeps it from being read (415, 413, 400). */
  record JsonBody(Map<String, Object> json, Problem.Details problem) {}

  /** The body as a JSON object, when its {@code Content-Type} is one of {@code mediaTypes}. */
  static JsonBody read(APIGatewayProxyRequestEvent event, Set<String> mediaTypes) {
    return read(event, mediaTypes, ServiceContract.MAX_BODY_BYTES);
  }

  /** As {@link #read(APIGatewayProxyRequestEvent, Set)} with the route's own size limit. */
  static JsonBody read(APIGatewayProxyRequestEvent event, Set<String> mediaTypes, int maxBytes) {
    if (!mediaTypes.contains(mediaType(ProxyRequests.header(event, "Content-Type")))) {
      return new JsonBody(
          null,
          new Problem.Details(
              Problem.UNSUPPORTED_MEDIA_TYPE,
              "Content-Type must be "
                  + String.join(" or ", mediaTypes.stream().sorted().toList())));
    }
    byte[] body;
    try {
      body = bodyBytes(event);
    } catch (IllegalArgumentException e) {
      return new JsonBody(
          null,
          new Problem.Details(
              Problem.VALIDATION_ERROR,
              "The request body is not valid base64",
              List.of(new FieldError(JsonBodies.BODY_FIELD, "Not valid base64"))));
    }
    if (body.length > maxBytes) {
      return new JsonBody(
          null,
          new Problem.Details(
              Problem.PAYLOAD_TOO_LARGE, "The request body is larger than " + maxBytes + " bytes"));
    }
    try {
      return new JsonBody(JsonBodies.readObject(body), null);
    } catch (JsonBodies.MalformedBody e) {
      return new JsonBody(
          null, new Problem.Details(Problem.VALIDATION_ERROR, e.getMessage(), e.errors()));
    }
  }

  // Parameters such as charset are allowed.
  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  private static byte[] bodyBytes(APIGatewayProxyRequestEvent event) {
    String body = event.getBody() == null ? "" : event.getBody();
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      return Base64.getMimeDecoder().decode(body);
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
