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
import com.voicecrm.contacts.domain.AttemptLoop;
import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactListing;
import com.voicecrm.contacts.domain.ContactService;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.DomainException;
import com.voicecrm.contacts.domain.IdempotentAnswers;
import com.voicecrm.contacts.domain.ListCursor;
import com.voicecrm.contacts.domain.ListPosition;
import com.voicecrm.contacts.domain.ListQuery;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.domain.Workspace;
import com.voicecrm.contacts.store.DynamoBatchReads;
import com.voicecrm.contacts.store.DynamoContactListing;
import com.voicecrm.contacts.store.DynamoContactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Every route of the API, as one Lambda behind API Gateway's REST proxy integration. It picks the
 * route ({@link ContactRoutes} parses, calls {@link ContactService} and maps the outcome; {@link
 * ContactListRoute} and {@link BatchRoutes} likewise for the list and the batch) and turns domain
 * outcomes into problems; it holds no business rule itself.
 *
 * <p>A stream handler: it reads the proxy event and writes the response with jackson-core ({@link
 * ProxyEventJson}) instead of letting the runtime map them by reflection, which costs cold-start
 * time and loads libraries (Joda-Time) that this event never uses.
 */
public final class ContactsApiHandler implements RequestStreamHandler {

  static final String UPSERT = "/v1/contacts/upsert";
  static final String CONTACTS = "/v1/contacts";
  static final String CONTACT = "/v1/contacts/{id}";
  static final String BATCH_UPSERT = ServiceContract.BATCH_UPSERT_RESOURCE;
  private static final Logger LOG = LoggerFactory.getLogger(ContactsApiHandler.class);

  private final ContactRoutes routes;
  private final ContactListRoute list;
  private final DynamoContactListing listingReads;
  private final BatchRoutes batch;
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
        metrics,
        Clock.systemUTC());
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
    return new ContactsApiHandler(dynamo, table, retryPolicy, metrics, Clock.systemUTC());
  }

  /**
   * As {@link #over(DynamoDbClient, String, RetryPolicy, EmfMetrics)} on another clock (a local API
   * whose tests step time past the list route's settle horizon).
   */
  public static ContactsApiHandler over(
      DynamoDbClient dynamo,
      String table,
      RetryPolicy retryPolicy,
      EmfMetrics metrics,
      Clock clock) {
    return new ContactsApiHandler(dynamo, table, retryPolicy, metrics, clock);
  }

  /**
   * As {@link #over(DynamoDbClient, String, RetryPolicy)} on another clock (the tests of what
   * expires, idempotency records, and of the list route's settle horizon).
   */
  public static ContactsApiHandler over(
      DynamoDbClient dynamo, String table, RetryPolicy retryPolicy, Clock clock) {
    return new ContactsApiHandler(dynamo, table, retryPolicy, EmfMetrics.fromEnvironment(), clock);
  }

  private ContactsApiHandler(
      DynamoDbClient dynamo,
      String table,
      RetryPolicy retryPolicy,
      EmfMetrics metrics,
      Clock clock) {
    // Every write commits within its window of its stamp, or is decided again (issue 12).
    retryPolicy =
        retryPolicy.commitWindow() == null
            ? retryPolicy.withCommitWindow(ServiceContract.STAMP_TO_COMMIT)
            : retryPolicy;
    DynamoContactStore store = new DynamoContactStore(dynamo, table);
    // Answers no write carries are kept through the same store and the one attempt loop.
    IdempotentAnswers answers =
        new IdempotentAnswers(new AttemptLoop(store, retryPolicy, metrics, clock), clock);
    IdempotentRequests idempotent = new IdempotentRequests(answers);
    this.routes =
        new ContactRoutes(new ContactService(store, clock, retryPolicy, metrics), idempotent);
    this.listingReads = new DynamoContactListing(dynamo, table);
    this.list =
        new ContactListRoute(
            new ContactListing(
                new AttemptLoop(store, retryPolicy, metrics, clock),
                listingReads,
                clock,
                ServiceContract.SETTLE));
    this.batch =
        new BatchRoutes(
            new BatchUpsertService(
                store,
                new DynamoBatchReads(dynamo, table),
                clock,
                retryPolicy,
                metrics,
                ServiceContract.BATCH_PARALLELISM),
            idempotent,
            answers);
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
    String requestId = ProxyRequests.requestId(event);
    // Fields of every log record of this request (never the key itself: its id is a hash prefix).
    LogFields.open(
        context, requestId, ProxyRequests.authorizerValue(event, ServiceContract.CONTEXT_KEY_ID));
    try {
      APIGatewayProxyResponseEvent response = respond(event, requestId, context);
      String outcome =
          metrics.emit(
              event.getHttpMethod(), event.getResource(), response.getStatusCode(), requestId);
      LogFields.answered(response.getStatusCode(), outcome);
      LOG.info(
          "{} {} -> {} in {} ms",
          event.getHttpMethod(),
          event.getResource(),
          response.getStatusCode(),
          (System.nanoTime() - started) / 1_000_000);
      return response;
    } finally {
      LogFields.close();
    }
  }

  private APIGatewayProxyResponseEvent respond(
      APIGatewayProxyRequestEvent event, String requestId, Context context) {
    APIGatewayProxyResponseEvent response;
    try {
      response = route(event, requestId, ProxyRequests.deadline(context));
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
      APIGatewayProxyRequestEvent event, String requestId, Deadline deadline) {
    String resource = event.getResource() == null ? "" : event.getResource();
    String method =
        event.getHttpMethod() == null ? "" : event.getHttpMethod().toUpperCase(Locale.ROOT);
    switch (resource) {
      case UPSERT:
        if (method.equals("POST")) {
          return routes.upsert(event, requestId, deadline);
        }
        return methodNotAllowed("POST", requestId);
      case BATCH_UPSERT:
        if (method.equals("POST")) {
          return batch.upsert(event, requestId, deadline);
        }
        return methodNotAllowed("POST", requestId);
      case CONTACTS:
        if (method.equals("GET")) {
          return list.list(event, requestId, deadline);
        }
        if (method.equals("POST")) {
          return routes.create(event, requestId, deadline);
        }
        return methodNotAllowed("GET, POST", requestId);
      case CONTACT:
        if (method.equals("GET")) {
          return routes.get(event, requestId, deadline);
        }
        if (method.equals("PATCH")) {
          return routes.patch(event, requestId, deadline);
        }
        if (method.equals("DELETE")) {
          return routes.delete(event, requestId, deadline);
        }
        return methodNotAllowed("GET, PATCH, DELETE", requestId);
      default:
        return Responses.problem(
            new Problem.Details(Problem.NOT_FOUND, "No route matches this path"), requestId);
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

  /**
   * For SnapStart priming: the list route's reads (a Query of each list index, a consistent
   * BatchGetItem) of a contact and workspace that cannot exist, a cursor made and read back and a
   * page's JSON. It only reads.
   */
  void primeListPath(Contact contact, Workspace workspace) {
    ListPosition position = ListPosition.of(contact);
    listingReads.entriesAfter(workspace.id(), null, null, ListQuery.DEFAULT_LIMIT + 1);
    listingReads.entriesAfter(workspace.id(), "priming", position, ListQuery.MAX_LIMIT + 1);
    listingReads.contacts(List.of(contact.id()));
    ListCursor.Binding binding =
        new ListCursor.Binding(workspace.id(), workspace.accountId(), null, "tag", "priming");
    String cursor = ListCursor.encode(position, binding);
    ListCursor.decode(cursor, binding);
    ContactListRoute.pageJson(new ContactListing.Page(List.of(contact), workspace, cursor));
  }

  /** For SnapStart priming: the write path of the store, with a contact that cannot exist. */
  void primeWritePath(Contact contact) {
    routes.primeWritePath(contact);
  }
}
