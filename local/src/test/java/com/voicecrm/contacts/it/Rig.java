package com.voicecrm.contacts.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.api.ApiKeyAuthorizer;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import com.voicecrm.contacts.local.LocalApi;
import com.voicecrm.contacts.local.LocalContext;
import com.voicecrm.contacts.local.LocalGateway;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import com.voicecrm.contacts.store.DynamoDirectory;
import com.voicecrm.contacts.store.TableSetup;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A table of its own in the test JVM's DynamoDB-compatible server, with the real authorizer and
 * handler in front of it, built the way Lambda builds them but with a client of the test's choosing
 * (one with a fault-injecting interceptor, say). The table is dropped on close, so every scan the
 * adversarial suites make stays small.
 */
final class Rig implements AutoCloseable {

  private static final AtomicInteger TABLES = new AtomicInteger();

  final DynamoDbClient plain;
  final String table;
  final ContactsApiHandler handler;
  final LocalGateway gateway;

  /**
   * The handler's clock, when it is the rig's own stepped one (null when a test gave its own);
   * {@link #settle} steps it.
   */
  private final SteppedClock stepped;

  /** Whether close drops the table: the shared rig's table outlives every test. */
  private final boolean ownsTable;

  private Rig(DynamoDbClient handlerClient, RetryPolicy retryPolicy) {
    this(handlerClient, retryPolicy, null);
  }

  private Rig(DynamoDbClient handlerClient, RetryPolicy retryPolicy, java.time.Clock clock) {
    this.stepped = clock == null ? new SteppedClock() : null;
    this.plain = TestApi.api().dynamo();
    this.table =
        "reliability-"
            + TABLES.incrementAndGet()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    TableSetup.createIfMissing(plain, table);
    this.handler =
        ContactsApiHandler.over(handlerClient, table, retryPolicy, clock == null ? stepped : clock);
    this.gateway =
        new LocalGateway(new ApiKeyAuthorizer(new DynamoApiKeyStore(plain, table)), handler);
    this.ownsTable = true;
  }

  private Rig(LocalApi api) {
    this.stepped = TestApi.CLOCK;
    this.plain = api.dynamo();
    this.table = api.table();
    this.handler = null;
    this.gateway = api.gateway();
    this.ownsTable = false;
  }

  /**
   * The rig over the test JVM's one {@link LocalApi} (its table, its gateway as {@code make run}
   * builds it), which {@link TestApi}'s shortcuts use. Its handler is not exposed: tests that call
   * the handler directly open a rig of their own.
   */
  static Rig over(LocalApi api) {
    return new Rig(api);
  }

  /** A fresh table served by the production handler with the production retry policy. */
  static Rig open() {
    return new Rig(TestApi.api().dynamo(), RetryPolicy.DEFAULT);
  }

  /** A fresh table served through {@code client} with {@code retryPolicy}. */
  static Rig open(DynamoDbClient client, RetryPolicy retryPolicy) {
    return new Rig(client, retryPolicy);
  }

  /** A fresh table served through {@code client} with {@code retryPolicy} on {@code clock}. */
  static Rig open(DynamoDbClient client, RetryPolicy retryPolicy, java.time.Clock clock) {
    return new Rig(client, retryPolicy, clock);
  }

  /** A fresh table served by the production handler on {@code clock} (what expires). */
  static Rig openWithClock(java.time.Clock clock) {
    return new Rig(TestApi.api().dynamo(), RetryPolicy.DEFAULT, clock);
  }

  /** A client with the settings of {@link DynamoClients} plus {@code interceptor}. */
  static DynamoDbClient clientWith(ExecutionInterceptor interceptor) {
    URI endpoint =
        TestApi.api().dynamo().serviceClientConfiguration().endpointOverride().orElseThrow();
    AppConfig config =
        AppConfig.from(
            Map.of(
                ServiceContract.ENV_TABLE_NAME,
                "unused",
                ServiceContract.ENV_DYNAMODB_ENDPOINT,
                endpoint.toString()));
    DynamoDbClientBuilder builder = DynamoClients.builder(config);
    builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder().addExecutionInterceptor(interceptor).build());
    return builder.build();
  }

  /**
   * Lets the list route's settle horizon pass every write that has returned (see {@link
   * TestApi#settle}); only while none of this rig's writes is in flight.
   */
  void settle() {
    if (stepped == null) {
      throw new IllegalStateException("this rig runs on the test's own clock: move that one");
    }
    stepped.settle();
  }

  Tenant newTenant(String defaultTimezone, String... customFields) {
    return newTenantInAccount(
        "acc_" + UUID.randomUUID().toString().substring(0, 8), defaultTimezone, customFields);
  }

  /** A new workspace (with its own keys) in {@code accountId}, which is created if need be. */
  Tenant newTenantInAccount(String accountId, String defaultTimezone, String... customFields) {
    return newTenantWithIds(accountId, UUID.randomUUID().toString(), defaultTimezone, customFields);
  }

  /** The workspace {@code workspaceId} in {@code accountId} (both created if need be) and keys. */
  Tenant newTenantWithIds(
      String accountId, String workspaceId, String defaultTimezone, String... customFields) {
    DynamoDirectory directory = new DynamoDirectory(plain, table);
    directory.putAccount(accountId, "Test " + accountId);
    directory.putWorkspace(
        workspaceId, accountId, "Workspace", defaultTimezone, List.of(customFields));
    return new Tenant(
        accountId, workspaceId, newKey(accountId, null), newKey(accountId, workspaceId));
  }

  String newKey(String accountId, String workspaceId) {
    String key = ApiKeys.generate(false);
    new DynamoApiKeyStore(plain, table)
        .put(
            new ApiKeyRecord(
                ApiKeys.hash(key), accountId, workspaceId, "free", "test", Instant.now(), null));
    return key;
  }

  Response call(String method, String path, String key, String body) {
    return call(
        method,
        path,
        TestApi.headers(key, body != null),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  Response call(String method, String path, Map<String, List<String>> headers, byte[] body) {
    return response(gateway.handle(method, path, headers, body));
  }

  Response upsert(String key, Object body) {
    return call("POST", "/v1/contacts/upsert", key, TestApi.json(body));
  }

  /** Straight to the handler, as API Gateway would invoke it after the authorizer passed. */
  Response invoke(APIGatewayProxyRequestEvent event) {
    // Without a Lambda context the handler gives itself its default time budget.
    return response(ProxyEventJson.invoke(handler, event, null));
  }

  /**
   * An upsert with the scope of {@code tenant}'s workspace key, straight to the handler, with a
   * Lambda time budget of {@code budgetMillis} instead of the function's 10 s.
   */
  Response upsertWithBudget(Tenant tenant, Object body, long budgetMillis) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHttpMethod("POST");
    event.setPath("/v1/contacts/upsert");
    event.setResource("/v1/contacts/upsert");
    event.setHeaders(Map.of("Content-Type", "application/json"));
    event.setBody(TestApi.json(body));
    event.setIsBase64Encoded(false);
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setRequestId(UUID.randomUUID().toString());
    Map<String, Object> scope = new java.util.HashMap<>();
    scope.put(ServiceContract.CONTEXT_ACCOUNT_ID, tenant.accountId());
    scope.put(ServiceContract.CONTEXT_WORKSPACE_ID, tenant.workspaceId());
    scope.put(ServiceContract.CONTEXT_KEY_ID, "test");
    context.setAuthorizer(scope);
    event.setRequestContext(context);
    return response(
        ProxyEventJson.invoke(
            handler, event, new LocalContext(context.getRequestId(), "api", budgetMillis)));
  }

  List<Map<String, AttributeValue>> scan() {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    plain
        .scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
        .items()
        .forEach(items::add);
    return items;
  }

  void assertInvariants(String workspaceId, ReliabilityStats.Suite stats) {
    TableInvariants.assertHold(plain, table, workspaceId, stats);
  }

  private static Response response(APIGatewayProxyResponseEvent response) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (response.getHeaders() != null) {
      headers.putAll(response.getHeaders());
    }
    return new Response(response.getStatusCode(), headers, response.getBody());
  }

  @Override
  public void close() {
    if (ownsTable) {
      plain.deleteTable(r -> r.tableName(table));
    }
  }
}
