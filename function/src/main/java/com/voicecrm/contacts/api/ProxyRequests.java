package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ApiKeyScope;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.DomainException;
import java.util.Map;
import java.util.UUID;

/** What the API reads from an API Gateway proxy event besides the body. */
final class ProxyRequests {

  private static final long DEFAULT_BUDGET_MILLIS =
      ServiceContract.TIMEOUTS.apiFunction().toMillis();

  private ProxyRequests() {}

  /** A request that reached the function without the authorizer's scope. */
  static final class Unauthorized extends DomainException {
    Unauthorized() {
      super("A valid API key is required");
    }
  }

  /** The scope the authorizer resolved; without one the request never passed the authorizer. */
  static ApiKeyScope scope(APIGatewayProxyRequestEvent event) {
    String accountId = authorizerValue(event, ServiceContract.CONTEXT_ACCOUNT_ID);
    if (accountId == null) {
      throw new Unauthorized();
    }
    return new ApiKeyScope(
        accountId,
        authorizerValue(event, ServiceContract.CONTEXT_WORKSPACE_ID),
        authorizerValue(event, ServiceContract.CONTEXT_KEY_ID));
  }

  static String authorizerValue(APIGatewayProxyRequestEvent event, String key) {
    Map<String, Object> authorizer =
        event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
    Object value = authorizer == null ? null : authorizer.get(key);
    // API Gateway passes context values as strings; "" stands for "none".
    return value == null || value.toString().isEmpty() ? null : value.toString();
  }

  /** The request's {@code {id}} path parameter, or null. */
  static String pathId(APIGatewayProxyRequestEvent event) {
    return event.getPathParameters() == null ? null : event.getPathParameters().get("id");
  }

  static String header(APIGatewayProxyRequestEvent event, String name) {
    if (event.getHeaders() != null) {
      for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
        if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
          return header.getValue();
        }
      }
    }
    return null;
  }

  static String requestId(APIGatewayProxyRequestEvent event) {
    if (event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
      return event.getRequestContext().getRequestId();
    }
    return UUID.randomUUID().toString();
  }

  /** When the answer is due: Lambda's remaining time, or the function's timeout without one. */
  static Deadline deadline(Context context) {
    return Deadline.afterMillis(
        context == null ? DEFAULT_BUDGET_MILLIS : context.getRemainingTimeInMillis());
  }

  /**
   * What the client put before the API's own path (SPEC 3.3): the stage on the execute-api URL
   * ({@code /dev}), a custom domain's base path, or nothing. API Gateway gives the path as the
   * client sent it in {@code requestContext.path} and the path within the API in {@code path}.
   */
  static String addressedPrefix(APIGatewayProxyRequestEvent event) {
    String apiPath = event.getPath();
    String addressed =
        event.getRequestContext() == null ? null : event.getRequestContext().getPath();
    if (apiPath == null || addressed == null || !addressed.endsWith(apiPath)) {
      return "";
    }
    return addressed.substring(0, addressed.length() - apiPath.length());
  }
}
