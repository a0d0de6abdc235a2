package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.EmfMetrics;
import com.voicecrm.contacts.config.LogFields;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ApiKeyScope;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactService;
import com.voicecrm.contacts.domain.DomainException;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.domain.VersionPrecondition;
import com.voicecrm.contacts.domain.Workspace;
import com.voicecrm.contacts.store.DynamoContactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Every route of the API, as one Lambda behind API Gateway's REST proxy integration. It parses the
 * request, calls {@link ContactService} and maps the outcome; it holds no business rule itself.
 *
 * <p>A stream handler: it reads the proxy event and writes the response with jackson-core ({@link
 * ProxyEventJson}) instead of letting the runtime map them by reflection, which costs cold-start
 * time and loads libraries (Joda-Time) that this event never uses.
 */
public final class ContactsApiHandler implements RequestStreamHandler {

  static final String UPSERT = "/v1/contacts/upsert";
  static final String CONTACTS = "/v1/contacts";
  static final String CONTACT = "/v1/contacts/{id}";
  private static final long DEFAULT_BUDGET_MILLIS =
      ServiceContract.TIMEOUTS.apiFunction().toMillis();
  private static final Logger LOG = LoggerFactory.getLogger(ContactsApiHandler.class);

  private final ContactService service;
  private final ContactListRoute list; // GET /v1/contacts; null in a handler built without a table
  private final EmfMetrics metrics;

  /** Used by Lambda: configuration and clients are built once, at init. */
  public ContactsApiHandler() {
    this(AppConfig.fromEnvironment(), EmfMetrics.fromEnvironment());
    SnapStartPriming.register(this);
  }

  private ContactsApiHandler(AppConfig config, EmfMetrics metrics) {
    this(
        DynamoClients.create(config, metrics.dynamoCallTimer()),
        config.tableName(),
        RetryPolicy.DEFAULT,
        metrics);
  }

  private ContactsApiHandler(
      DynamoDbClient dynamo, String table, RetryPolicy retryPolicy, EmfMetrics metrics) {
    this(
        service(dynamo, table, retryPolicy, metrics),
        ContactListRoute.over(dynamo, table),
        metrics);
  }

  /**
   * The one wiring of the handler over a DynamoDB client and table, as Lambda builds it: used by
   * the no-argument constructor, the local API, the tests and the benchmark.
   */
  public static ContactsApiHandler over(DynamoDbClient dynamo, String table) {
    return over(dynamo, table, RetryPolicy.DEFAULT);
  }

  /** As {@link #over(DynamoDbClient, String)} with another retry policy (the fault suites). */
  public static ContactsApiHandler over(
      DynamoDbClient dynamo, String table, RetryPolicy retryPolicy) {
    return over(dynamo, table, retryPolicy, EmfMetrics.fromEnvironment());
  }

  /**
   * As {@link #over(DynamoDbClient, String, RetryPolicy)} with the metrics whose DynamoDB call
   * timer {@code dynamo} was built with (the local API).
   */
  public static ContactsApiHandler over(
      DynamoDbClient dynamo, String table, RetryPolicy retryPolicy, EmfMetrics metrics) {
    return new ContactsApiHandler(dynamo, table, retryPolicy, metrics);
  }

  private static ContactService service(
      DynamoDbClient dynamo, String table, RetryPolicy retryPolicy, EmfMetrics metrics) {
    return new ContactService(
        new DynamoContactStore(dynamo, table), Clock.systemUTC(), retryPolicy, metrics);
  }

  /** For tests and the local server, with collaborators of their choosing. */
  public ContactsApiHandler(ContactService service) {
    this(service, null, EmfMetrics.fromEnvironment());
  }

  private ContactsApiHandler(ContactService service, ContactListRoute list, EmfMetrics metrics) {
    this.service = service;
    this.list = list;
    this.metrics = metrics;
  }

  /** What Lambda calls: the proxy event in, the proxy response out, both as JSON. */
  @Override
  public void handleRequest(InputStream event, OutputStream response, Context context)
      throws IOException {
    ProxyEventJson.writeResponse(handle(ProxyEventJson.readRequest(event), context), response);
  }

  /** One request, already read from the wire. */
  private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
    long started = System.nanoTime();
    String requestId = requestId(event);
    // Fields of every log record of this request (never the key itself: its id is a hash prefix).
    LogFields.open(context, requestId, authorizerValue(event, ServiceContract.CONTEXT_KEY_ID));
    try {
      APIGatewayProxyResponseEvent response = respond(event, requestId, context);
      LOG.info(
          "{} {} -> {} in {} ms",
          event.getHttpMethod(),
          event.getResource(),
          response.getStatusCode(),
          (System.nanoTime() - started) / 1_000_000);
      metrics.emit(event.getHttpMethod(), event.getResource(), response.getStatusCode(), requestId);
      return response;
    } finally {
      LogFields.close();
    }
  }

  private APIGatewayProxyResponseEvent respond(
      APIGatewayProxyRequestEvent event, String requestId, Context context) {
    APIGatewayProxyResponseEvent response;
    try {
      response = route(event, requestId, remainingMillis(context));
    } catch (DomainException e) {
      response = Responses.problem(ProblemMapping.of(e), requestId);
      if (e instanceof DomainException.Unavailable unavailable) {
        response.getHeaders().put("Retry-After", Integer.toString(unavailable.retryAfterSeconds()));
      }
    } catch (RuntimeException e) {
      // Logged in full here; the client sees only the request id to quote.
      LOG.error("Unhandled error", e);
      response =
          Responses.problem(
              new Problem.Details(
                  Problem.INTERNAL_ERROR, "An unexpected error occurred; quote the requestId."),
              requestId);
    }
    return response;
  }

  private APIGatewayProxyResponseEvent route(
      APIGatewayProxyRequestEvent event, String requestId, LongSupplier remainingMillis) {
    String resource = event.getResource() == null ? "" : event.getResource();
    String method =
        event.getHttpMethod() == null ? "" : event.getHttpMethod().toUpperCase(Locale.ROOT);
    switch (resource) {
      case UPSERT:
        if (!method.equals("POST")) {
          return methodNotAllowed("POST", requestId);
        }
        return upsert(event, requestId, remainingMillis);
      case CONTACTS:
        if (method.equals("GET") && list != null) {
          return list.list(event, scope(event), requestId, remainingMillis);
        }
        if (!method.equals("POST")) {
          return methodNotAllowed(list == null ? "POST" : "GET, POST", requestId);
        }
        return create(event, requestId, remainingMillis);
      case CONTACT:
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        if (method.equals("GET")) {
          ContactService.ContactView view = service.get(scope(event), id, remainingMillis);
          return Responses.contact(200, view.contact(), view.workspace(), requestId);
        }
        if (method.equals("DELETE")) {
          service.delete(
              scope(event),
              id,
              VersionPrecondition.ofIfMatch(header(event, "If-Match")),
              remainingMillis);
          return Responses.noContent(requestId);
        }
        return methodNotAllowed("GET, DELETE", requestId);
      default:
        return Responses.problem(
            new Problem.Details(Problem.NOT_FOUND, "No route matches this path"), requestId);
    }
  }

  private APIGatewayProxyResponseEvent upsert(
      APIGatewayProxyRequestEvent event, String requestId, LongSupplier remainingMillis) {
    JsonBody body = jsonBody(event);
    if (body.problem() != null) {
      return Responses.problem(body.problem(), requestId);
    }
    ContactService.UpsertOutcome outcome =
        service.upsert(scope(event), body.json(), remainingMillis);
    if (outcome.created()) {
      return created(event, outcome.contact(), outcome.workspace(), requestId);
    }
    return Responses.contact(200, outcome.contact(), outcome.workspace(), requestId);
  }

  private APIGatewayProxyResponseEvent create(
      APIGatewayProxyRequestEvent event, String requestId, LongSupplier remainingMillis) {
    JsonBody body = jsonBody(event);
    if (body.problem() != null) {
      return Responses.problem(body.problem(), requestId);
    }
    ContactService.ContactView view = service.create(scope(event), body.json(), remainingMillis);
    return created(event, view.contact(), view.workspace(), requestId);
  }

  /** 201 with the new contact's {@code Location} as the client addressed the API (SPEC 3.3). */
  private static APIGatewayProxyResponseEvent created(
      APIGatewayProxyRequestEvent event, Contact contact, Workspace workspace, String requestId) {
    APIGatewayProxyResponseEvent response = Responses.contact(201, contact, workspace, requestId);
    response.getHeaders().put("Location", addressedPrefix(event) + "/v1/contacts/" + contact.id());
    return response;
  }

  /** A write's JSON object, or the problem that keeps it from being read (415, 413, 400). */
  private record JsonBody(Map<String, Object> json, Problem.Details problem) {}

  private static JsonBody jsonBody(APIGatewayProxyRequestEvent event) {
    if (!isJson(header(event, "Content-Type"))) {
      return new JsonBody(
          null,
          new Problem.Details(
              Problem.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"));
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
    if (body.length > ServiceContract.MAX_BODY_BYTES) {
      return new JsonBody(
          null,
          new Problem.Details(
              Problem.PAYLOAD_TOO_LARGE,
              "The request body is larger than " + ServiceContract.MAX_BODY_BYTES + " bytes"));
    }
    try {
      return new JsonBody(JsonBodies.readObject(body), null);
    } catch (JsonBodies.MalformedBody e) {
      return new JsonBody(
          null, new Problem.Details(Problem.VALIDATION_ERROR, e.getMessage(), e.errors()));
    }
  }

  private static APIGatewayProxyResponseEvent methodNotAllowed(String allowed, String requestId) {
    APIGatewayProxyResponseEvent response =
        Responses.problem(
            new Problem.Details(Problem.METHOD_NOT_ALLOWED, "This route accepts only " + allowed),
            requestId);
    response.getHeaders().put("Allow", allowed);
    return response;
  }

  /** For SnapStart priming: runs its requests without writing their metrics records. */
  <T> T unrecorded(java.util.function.Supplier<T> requests) {
    return metrics.discarding(requests);
  }

  /** For SnapStart priming: the write path of the store, with a contact that cannot exist. */
  void primeWritePath(Contact contact) {
    service.primeWritePath(contact);
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

  /** The scope the authorizer resolved; without one the request never passed the authorizer. */
  private static ApiKeyScope scope(APIGatewayProxyRequestEvent event) {
    Map<String, Object> authorizer =
        event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
    String accountId = contextValue(authorizer, ServiceContract.CONTEXT_ACCOUNT_ID);
    if (accountId == null) {
      throw new Unauthorized();
    }
    return new ApiKeyScope(
        accountId,
        contextValue(authorizer, ServiceContract.CONTEXT_WORKSPACE_ID),
        contextValue(authorizer, ServiceContract.CONTEXT_KEY_ID));
  }

  private static String authorizerValue(APIGatewayProxyRequestEvent event, String key) {
    return contextValue(
        event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer(), key);
  }

  private static String contextValue(Map<String, Object> authorizer, String key) {
    Object value = authorizer == null ? null : authorizer.get(key);
    // API Gateway passes context values as strings; "" stands for "none".
    return value == null || value.toString().isEmpty() ? null : value.toString();
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json");
  }

  private static byte[] bodyBytes(APIGatewayProxyRequestEvent event) {
    String body = event.getBody() == null ? "" : event.getBody();
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      return Base64.getMimeDecoder().decode(body);
    }
    return body.getBytes(StandardCharsets.UTF_8);
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

  private static String requestId(APIGatewayProxyRequestEvent event) {
    if (event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
      return event.getRequestContext().getRequestId();
    }
    return UUID.randomUUID().toString();
  }

  private static LongSupplier remainingMillis(Context context) {
    if (context == null) {
      long deadline = System.currentTimeMillis() + DEFAULT_BUDGET_MILLIS;
      return () -> deadline - System.currentTimeMillis();
    }
    return () -> context.getRemainingTimeInMillis();
  }

  /** A request that reached the function without the authorizer's scope. */
  static final class Unauthorized extends DomainException {
    Unauthorized() {
      super("A valid API key is required");
    }
  }
}
