package com.voicecrm.contacts.infra;

import com.voicecrm.contacts.api.GatewayResponses;
import com.voicecrm.contacts.api.Problem;
import com.voicecrm.contacts.config.ServiceContract;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;

/**
 * Gateway responses: the errors API Gateway answers itself (before or instead of the function) keep
 * the API's error contract, RFC 9457 problem+json with a request id. Details are fixed sentences:
 * API Gateway's own messages are not part of the contract. The request id is in the body only (and
 * in API Gateway's own {@code x-amzn-RequestId} header): AWS documents request parameters and
 * literal strings as gateway response header values, not {@code context} variables.
 */
final class ProblemResponses {

  static final String CONTENT_TYPE = "application/problem+json";

  // The local gateway answers throttling and an exhausted quota with the same values.
  static final String RETRY_AFTER_THROTTLED =
      Integer.toString(GatewayResponses.RETRY_AFTER_THROTTLED_SECONDS);

  static final String RETRY_AFTER_QUOTA =
      Integer.toString(GatewayResponses.RETRY_AFTER_QUOTA_SECONDS);

  /** Seconds to wait when the backend is unavailable or timed out. */
  static final String RETRY_AFTER_UNAVAILABLE = "5";

  private ProblemResponses() {}

  static void addTo(RestApi api) {
    Map<String, String> bearer = Map.of("WWW-Authenticate", "'Bearer'");
    add(
        api,
        "Unauthorized",
        ResponseType.UNAUTHORIZED,
        Problem.UNAUTHORIZED,
        "A valid API key is required: send it as Authorization: Bearer <key>.",
        bearer);
    // The authorizer accepted a key that API Gateway no longer knows or has disabled (revoked
    // while the authorizer's cached answer lives): for the caller this is a revoked key, 401.
    add(
        api,
        "InvalidApiKey",
        ResponseType.INVALID_API_KEY,
        Problem.UNAUTHORIZED,
        "A valid API key is required: send it as Authorization: Bearer <key>.",
        bearer);
    add(
        api,
        "AccessDenied",
        ResponseType.ACCESS_DENIED,
        Problem.FORBIDDEN,
        "This API key may not access this resource.",
        Map.of());
    // API Gateway answers an unknown route with 403 "Missing Authentication Token".
    add(
        api,
        "MissingAuthenticationToken",
        ResponseType.MISSING_AUTHENTICATION_TOKEN,
        Problem.NOT_FOUND,
        "No resource matches this request.",
        Map.of());
    add(
        api,
        "ResourceNotFound",
        ResponseType.RESOURCE_NOT_FOUND,
        Problem.NOT_FOUND,
        "No resource matches this request.",
        Map.of());
    add(
        api,
        "Throttled",
        ResponseType.THROTTLED,
        Problem.RATE_LIMITED,
        GatewayResponses.THROTTLED_DETAIL,
        Map.of("Retry-After", quoted(RETRY_AFTER_THROTTLED)));
    add(
        api,
        "QuotaExceeded",
        ResponseType.QUOTA_EXCEEDED,
        Problem.RATE_LIMITED,
        GatewayResponses.QUOTA_EXCEEDED_DETAIL,
        Map.of("Retry-After", quoted(RETRY_AFTER_QUOTA)));
    add(
        api,
        "RequestTooLarge",
        ResponseType.REQUEST_TOO_LARGE,
        Problem.PAYLOAD_TOO_LARGE,
        "The request is larger than the API accepts.",
        Map.of());
    // The web ACL's only blocking rule is the request size (ContactsStack.webAcl).
    add(
        api,
        "WafFiltered",
        ResponseType.WAF_FILTERED,
        Problem.PAYLOAD_TOO_LARGE,
        "The request is larger than the API accepts.",
        Map.of());
    add(
        api,
        "BadRequestBody",
        ResponseType.BAD_REQUEST_BODY,
        Problem.VALIDATION_ERROR,
        "The request body could not be processed.",
        Map.of());
    add(
        api,
        "BadRequestParameters",
        ResponseType.BAD_REQUEST_PARAMETERS,
        Problem.VALIDATION_ERROR,
        "The request parameters could not be processed.",
        Map.of());
    add(
        api,
        "UnsupportedMediaType",
        ResponseType.UNSUPPORTED_MEDIA_TYPE,
        Problem.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type must be application/json.",
        Map.of());
    Map<String, String> retry = Map.of("Retry-After", quoted(RETRY_AFTER_UNAVAILABLE));
    add(
        api,
        "IntegrationTimeout",
        ResponseType.INTEGRATION_TIMEOUT,
        Problem.SERVICE_UNAVAILABLE,
        "The service did not answer in time; retry later.",
        retry);
    add(
        api,
        "IntegrationFailure",
        ResponseType.INTEGRATION_FAILURE,
        Problem.SERVICE_UNAVAILABLE,
        "The service is temporarily unavailable; retry later.",
        retry);
    // The authorizer failing (not denying) means the key store could not be read.
    add(
        api,
        "AuthorizerFailure",
        ResponseType.AUTHORIZER_FAILURE,
        Problem.SERVICE_UNAVAILABLE,
        "The service is temporarily unavailable; retry later.",
        retry);
    add(
        api,
        "Default4xx",
        ResponseType.DEFAULT_4_XX,
        Problem.VALIDATION_ERROR,
        "The request could not be processed.",
        Map.of());
    add(
        api,
        "Default5xx",
        ResponseType.DEFAULT_5_XX,
        Problem.INTERNAL_ERROR,
        "An unexpected error occurred.",
        Map.of());
  }

  /**
   * The problem+json body of a gateway response; {@code $context.requestId} is filled in by API
   * Gateway.
   */
  static String body(Problem problem, String detail) {
    return "{\"type\":\""
        + ServiceContract.PROBLEM_TYPE_BASE
        + problem.slug()
        + "\","
        + "\"title\":\""
        + problem.title()
        + "\","
        + "\"status\":"
        + problem.status()
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
      Problem problem,
      String detail,
      Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", quoted(CONTENT_TYPE));
    headers.putAll(extraHeaders);
    api.addGatewayResponse(
        id,
        GatewayResponseOptions.builder()
            .type(type)
            .statusCode(Integer.toString(problem.status()))
            .responseHeaders(headers)
            .templates(Map.of("application/json", body(problem, detail)))
            .build());
  }

  private static String quoted(String literal) {
    return "'" + literal + "'";
  }
}
