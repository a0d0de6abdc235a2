package com.voicecrm.contacts.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.api.ApiKeyAuthorizer;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.GatewayResponses;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.config.ServiceContract;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What API Gateway does in front of the functions, for local runs and tests: match the route, run
 * the TOKEN authorizer, build the proxy event and invoke the handler with a Lambda context.
 */
public final class LocalGateway {

  /** API Gateway's own payload limit; the function enforces the API's smaller one. */
  public static final int GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

  private static final String CATCH_ALL = "/{proxy+}";
  private static final Pattern BATCH_CONTENT_LENGTH =
      Pattern.compile(ServiceContract.EDGE_BATCH_CONTENT_LENGTH_REGEX);
  private static final long FUNCTION_BUDGET_MILLIS =
      ServiceContract.TIMEOUTS.apiFunction().toMillis();
  private static final long AUTHORIZER_BUDGET_MILLIS =
      ServiceContract.TIMEOUTS.authorizerFunction().toMillis();

  private final ApiKeyAuthorizer authorizer;
  private final ContactsApiHandler handler;
  private final UsagePlanLimiter usagePlans;

  /** A gateway without usage plans: no key is ever throttled. */
  public LocalGateway(ApiKeyAuthorizer authorizer, ContactsApiHandler handler) {
    this(authorizer, handler, null);
  }

  /** A gateway that meters every authorized key by {@code usagePlans}; null turns that off. */
  public LocalGateway(
      ApiKeyAuthorizer authorizer, ContactsApiHandler handler, UsagePlanLimiter usagePlans) {
    this.authorizer = authorizer;
    this.handler = handler;
    this.usagePlans = usagePlans;
  }

  /**
   * Serves one request. Header names are matched case-insensitively, as HTTP wants; {@code body}
   * may be null; {@code target} is the raw path with its query string, if any.
   */
  public APIGatewayProxyResponseEvent handle(
      String method, String target, Map<String, List<String>> headers, byte[] body) {
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    String rawQuery = question < 0 ? null : target.substring(question + 1);
    String requestId = UUID.randomUUID().toString();
    Map<String, String> singleHeaders = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> singleHeaders.put(name, values.isEmpty() ? "" : values.get(0)));
    // The web ACL refuses large bodies before API Gateway authorizes the request.
    if (body != null && !edgeAdmits(path, body.length)) {
      return GatewayResponses.payloadTooLarge(requestId);
    }
    String authorization = headerValue(singleHeaders, "Authorization");
    if (authorization == null) {
      return GatewayResponses.unauthorized(requestId);
    }
    Route route = Route.match(path);
    Map<String, Object> scope;
    String usageIdentifierKey;
    try {
      APIGatewayCustomAuthorizerEvent authEvent = new APIGatewayCustomAuthorizerEvent();
      authEvent.setType("TOKEN");
      authEvent.setAuthorizationToken(authorization);
      authEvent.setMethodArn("arn:aws:execute-api:local:000000000000:local/local/" + method + path);
      Map<String, Object> policy =
          authorizer.handleRequest(
              authEvent, new LocalContext(requestId, "authorizer", AUTHORIZER_BUDGET_MILLIS));
      @SuppressWarnings("unchecked")
      Map<String, Object> context = (Map<String, Object>) policy.get("context");
      scope = new HashMap<>(context);
      usageIdentifierKey = (String) policy.get("usageIdentifierKey");
    } catch (ApiKeyAuthorizer.UnauthorizedException e) {
      return GatewayResponses.unauthorized(requestId);
    } catch (RuntimeException e) {
      return GatewayResponses.authorizerFailure(requestId);
    }
    // Usage plans meter the key the authorizer named, after it answered, as in API Gateway.
    if (usagePlans != null) {
      switch (usagePlans.admit(usageIdentifierKey)) {
        case THROTTLED -> {
          return GatewayResponses.throttled(requestId);
        }
        case QUOTA_EXCEEDED -> {
          return GatewayResponses.quotaExceeded(requestId);
        }
        case ADMITTED -> {}
      }
    }

    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHttpMethod(method);
    event.setPath(path);
    event.setResource(route.resource());
    event.setPathParameters(route.pathParameters());
    setQuery(event, rawQuery);
    event.setHeaders(singleHeaders);
    event.setMultiValueHeaders(headers);
    setBody(event, body);
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setRequestId(requestId);
    context.setStage("local");
    context.setHttpMethod(method);
    context.setResourcePath(route.resource());
    context.setPath(path); // locally the API is served at the root: no stage in the path
    context.setAuthorizer(scope);
    event.setRequestContext(context);

    APIGatewayProxyResponseEvent response =
        ProxyEventJson.invoke(
            handler, event, new LocalContext(requestId, "api", FUNCTION_BUDGET_MILLIS));
    if (response.getHeaders() == null) {
      response.setHeaders(new HashMap<>());
    }
    response.getHeaders().putIfAbsent("X-Request-Id", requestId);
    return response;
  }

  /**
   * The web ACL's size rule (infra's ContactsStack.webAcl): a Content-Length of at most {@link
   * ServiceContract#EDGE_MAX_CONTENT_LENGTH_DIGITS} digits, or on a path ending in the batch route
   * one that {@link ServiceContract#EDGE_BATCH_CONTENT_LENGTH_REGEX} matches.
   */
  static boolean edgeAdmits(String path, int contentLength) {
    String length = Integer.toString(contentLength);
    if (length.length() <= ServiceContract.EDGE_MAX_CONTENT_LENGTH_DIGITS) {
      return true;
    }
    return path.endsWith(ServiceContract.BATCH_UPSERT_RESOURCE)
        && BATCH_CONTENT_LENGTH.matcher(length).matches();
  }

  /** A REST resource and its path parameters, chosen as API Gateway would: static paths first. */
  record Route(String resource, Map<String, String> pathParameters) {

    static Route match(String path) {
      Route templated = null;
      for (String resource : ServiceContract.RESOURCES) {
        Map<String, String> parameters = matchTemplate(resource, path);
        if (parameters == null) {
          continue;
        }
        if (parameters.isEmpty()) {
          return new Route(resource, null); // a static path wins over any template
        }
        if (templated == null) {
          templated = new Route(resource, parameters);
        }
      }
      if (templated != null) {
        return templated;
      }
      return new Route(CATCH_ALL, Map.of("proxy", path.startsWith("/") ? path.substring(1) : path));
    }

    private static Map<String, String> matchTemplate(String template, String path) {
      String[] expected = template.split("/", -1);
      String[] actual = path.split("/", -1);
      if (expected.length != actual.length) {
        return null;
      }
      Map<String, String> parameters = new HashMap<>();
      for (int i = 0; i < expected.length; i++) {
        if (expected[i].startsWith("{") && expected[i].endsWith("}")) {
          if (actual[i].isEmpty()) {
            return null;
          }
          parameters.put(
              expected[i].substring(1, expected[i].length() - 1),
              URLDecoder.decode(actual[i].replace("+", "%2B"), StandardCharsets.UTF_8));
        } else if (!expected[i].equals(actual[i])) {
          return null;
        }
      }
      return parameters;
    }
  }

  /**
   * The query string as API Gateway hands it over: names and values URL-decoded ({@code +} is a
   * space), every value in the multi-value map, the last one in the single-value map; both null
   * without a query string.
   */
  static void setQuery(APIGatewayProxyRequestEvent event, String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return;
    }
    Map<String, List<String>> multi = new LinkedHashMap<>();
    Map<String, String> single = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      multi.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      single.put(name, value);
    }
    if (!multi.isEmpty()) {
      event.setMultiValueQueryStringParameters(multi);
      event.setQueryStringParameters(single);
    }
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformedEscape) {
      return text;
    }
  }

  // API Gateway hands text bodies over as strings; bytes that are not UTF-8 go base64-encoded so
  // the function sees exactly what was sent.
  private static void setBody(APIGatewayProxyRequestEvent event, byte[] body) {
    if (body == null || body.length == 0) {
      event.setBody(null);
      event.setIsBase64Encoded(false);
      return;
    }
    try {
      event.setBody(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
      event.setIsBase64Encoded(false);
    } catch (CharacterCodingException notUtf8) {
      event.setBody(Base64.getEncoder().encodeToString(body));
      event.setIsBase64Encoded(true);
    }
  }

  private static String headerValue(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
  }
}
