package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

/**
 * The answers API Gateway itself gives before any function runs (its "gateway responses"), for the
 * local server to give the same ones. In AWS the CDK stack configures their problem+json bodies.
 */
public final class GatewayResponses {

  private GatewayResponses() {}

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
