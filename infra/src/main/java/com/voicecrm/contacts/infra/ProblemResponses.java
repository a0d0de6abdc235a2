package com.voicecrm.contacts.infra;

import com.voicecrm.contacts.config.ServiceContract;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;

/**
 * Gateway responses: the errors API Gateway answers itself (before or instead of the function) keep
 * the API's error contract, RFC 9457 problem+json with a request id. Details are fixed sentences:
 * API Gateway's own messages are not part of the contract.
 */
final class ProblemResponses {

  static final String CONTENT_TYPE = "application/problem+json";

  /** Seconds a client should wait after hitting its rate limit (the bucket refills per second). */
  static final String RETRY_AFTER_THROTTLED = "1";

  /**
   * Seconds to wait when the quota is used up: quotas reset per period, retrying soon is useless.
   */
  static final String RETRY_AFTER_QUOTA = "3600";

  /** Seconds to wait when the backend is unavailable or timed out. */
  static final String RETRY_AFTER_UNAVAILABLE = "5";

  private ProblemResponses() {}

  static void addTo(RestApi api) {
    Map<String, String> bearer = Map.of("WWW-Authenticate", "'Bearer'");
    add(
        api,
        "Unauthorized",
        ResponseType.UNAUTHORIZED,
        401,
        "unauthorized",
        "Unauthorized",
        "A valid API key is required: send it as Authorization: Bearer <key>.",
        bearer);
    // The authorizer accepted a key that API Gateway no longer knows or has disabled (revoked
    // while the authorizer's cached answer lives): for the caller this is a revoked key, 401.
    add(
        api,
        "InvalidApiKey",
        ResponseType.INVALID_API_KEY,
        401,
        "unauthorized",
        "Unauthorized",
        "A valid API key is required: send it as Authorization: Bearer <key>.",
        bearer);
    add(
        api,
        "AccessDenied",
        ResponseType.ACCESS_DENIED,
        403,
        "forbidden",
        "Forbidden",
        "This API key may not access this resource.",
        Map.of());
    // API Gateway answers an unknown route with 403 "Missing Authentication Token".
    add(
        api,
        "MissingAuthenticationToken",
        ResponseType.MISSING_AUTHENTICATION_TOKEN,
        404,
        "not-found",
        "Not Found",
        "No resource matches this request.",
        Map.of());
    add(
        api,
        "ResourceNotFound",
        ResponseType.RESOURCE_NOT_FOUND,
        404,
        "not-found",
        "Not Found",
        "No resource matches this request.",
        Map.of());
    add(
        api,
        "Throttled",
        ResponseType.THROTTLED,
        429,
        "rate-limited",
        "Too Many Requests",
        "The request rate limit of this API key is exceeded; retry after Retry-After seconds.",
        Map.of("Retry-After", quoted(RETRY_AFTER_THROTTLED)));
    add(
        api,
        "QuotaExceeded",
        ResponseType.QUOTA_EXCEEDED,
        429,
        "rate-limited",
        "Too Many Requests",
        "The request quota of this API key for the current period is used up.",
        Map.of("Retry-After", quoted(RETRY_AFTER_QUOTA)));
    add(
        api,
        "RequestTooLarge",
        ResponseType.REQUEST_TOO_LARGE,
        413,
        "payload-too-large",
        "Payload Too Large",
        "The request is larger than the API accepts.",
        Map.of());
    add(
        api,
        "BadRequestBody",
        ResponseType.BAD_REQUEST_BODY,
        400,
        "validation-error",
        "Bad Request",
        "The request body could not be processed.",
        Map.of());
    add(
        api,
        "BadRequestParameters",
        ResponseType.BAD_REQUEST_PARAMETERS,
        400,
        "validation-error",
        "Bad Request",
        "The request parameters could not be processed.",
        Map.of());
    add(
        api,
        "UnsupportedMediaType",
        ResponseType.UNSUPPORTED_MEDIA_TYPE,
        415,
        "unsupported-media-type",
        "Unsupported Media Type",
        "Content-Type must be application/json.",
        Map.of());
    Map<String, String> retry = Map.of("Retry-After", quoted(RETRY_AFTER_UNAVAILABLE));
    add(
        api,
        "IntegrationTimeout",
        ResponseType.INTEGRATION_TIMEOUT,
        503,
        "service-unavailable",
        "Service Unavailable",
        "The service did not answer in time; retry later.",
        retry);
    add(
        api,
        "IntegrationFailure",
        ResponseType.INTEGRATION_FAILURE,
        503,
        "service-unavailable",
        "Service Unavailable",
        "The service is temporarily unavailable; retry later.",
        retry);
    // The authorizer failing (not denying) means the key store could not be read.
    add(
        api,
        "AuthorizerFailure",
        ResponseType.AUTHORIZER_FAILURE,
        503,
        "service-unavailable",
        "Service Unavailable",
        "The service is temporarily unavailable; retry later.",
        retry);
    add(
        api,
        "Default4xx",
        ResponseType.DEFAULT_4_XX,
        400,
        "validation-error",
        "Bad Request",
        "The request could not be processed.",
        Map.of());
    add(
        api,
        "Default5xx",
        ResponseType.DEFAULT_5_XX,
        500,
        "internal-error",
        "Internal Server Error",
        "An unexpected error occurred.",
        Map.of());
  }

  /**
   * The problem+json body of a gateway response; {@code $context.requestId} is filled in by API
   * Gateway.
   */
  static String body(String slug, String title, int status, String detail) {
    return "{\"type\":\""
        + ServiceContract.PROBLEM_TYPE_BASE
        + slug
        + "\","
        + "\"title\":\""
        + title
        + "\","
        + "\"status\":"
        + status
        + ","
        + "\"detail\":\""
        + detail
        + "\","
        + "\"requestId\":\"$context.requestId\"}";
  }

  private static void add(
      RestApi api,
      String id,
      ResponseType type,
      int status,
      String slug,
      String title,
      String detail,
      Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", quoted(CONTENT_TYPE));
    headers.put("X-Request-Id", "context.requestId");
    headers.putAll(extraHeaders);
    api.addGatewayResponse(
        id,
        GatewayResponseOptions.builder()
            .type(type)
            .statusCode(Integer.toString(status))
            .responseHeaders(headers)
            .templates(Map.of("application/json", body(slug, title, status, detail)))
            .build());
  }

  private static String quoted(String literal) {
    return "'" + literal + "'";
  }
}
