package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

/**
 * The answers API Gateway itself gives before any function runs (its "gateway responses"), for the
 * local server to give the same ones. In AWS the CDK stack configures their problem+json bodies.
 */
public final class GatewayResponses {

  /** Seconds a client should wait after hitting its rate limit (the bucket refills per second). */
  public static final int RETRY_AFTER_THROTTLED_SECONDS = 1;

  /**
   * Seconds to wait when the quota is used up: quotas reset per period, retrying soon is useless.
   */
  public static final int RETRY_AFTER_QUOTA_SECONDS = 3600;

  public static final String THROTTLED_DETAIL =
      "The request rate limit of this API key is exceeded; retry after Retry-After seconds.";

  public static final String QUOTA_EXCEEDED_DETAIL =
      "The request quota of this API key for the current period is used up.";

  private GatewayResponses() {}

  /** A key of a usage plan above its steady rate and burst (API Gateway's THROTTLED). */
  public static APIGatewayProxyResponseEvent throttled(String requestId) {
    return rateLimited(THROTTLED_DETAIL, RETRY_AFTER_THROTTLED_SECONDS, requestId);
  }

  /** A key of a usage plan past its quota for the period (API Gateway's QUOTA_EXCEEDED). */
  public static APIGatewayProxyResponseEvent quotaExceeded(String requestId) {
    return rateLimited(QUOTA_EXCEEDED_DETAIL, RETRY_AFTER_QUOTA_SECONDS, requestId);
  }

  private static APIGatewayProxyResponseEvent rateLimited(
      String detail, int retryAfterSeconds, String requestId) {
    APIGatewayProxyResponseEvent response =
        Responses.problem(new Problem.Details(Problem.RATE_LIMITED, detail), requestId);
    response.getHeaders().put("Retry-After", Integer.toString(retryAfterSeconds));
    return response;
  }

  public static APIGatewayProxyResponseEvent unauthorized(String requestId) {
    return Responses.problem(
        new Problem.Details(Problem.UNAUTHORIZED, "A valid API key is required"), requestId);
  }

  public static APIGatewayProxyResponseEvent payloadTooLarge(String requestId) {
    return Responses.problem(
        new Problem.Details(Problem.PAYLOAD_TOO_LARGE, "The request body is too large"), requestId);
  }

  public static APIGatewayProxyResponseEvent authorizerFailure(String requestId) {
    APIGatewayProxyResponseEvent response =
        Responses.problem(
            new Problem.Details(
                Problem.SERVICE_UNAVAILABLE, "The API key could not be checked; retry shortly."),
            requestId);
    response.getHeaders().put("Retry-After", "1");
    return response;
  }

  /**
   * The local server's answer when every thread is busy and its queue is full. In AWS, Lambda's
   * concurrency limit and the stage's throttling bound the load instead.
   */
  public static APIGatewayProxyResponseEvent overloaded(String requestId, int retryAfterSeconds) {
    APIGatewayProxyResponseEvent response =
        Responses.problem(
            new Problem.Details(
                Problem.SERVICE_UNAVAILABLE, "The server is busy; retry the request shortly."),
            requestId);
    response.getHeaders().put("Retry-After", Integer.toString(retryAfterSeconds));
    return response;
  }
}
