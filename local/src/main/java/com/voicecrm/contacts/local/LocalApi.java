package com.voicecrm.contacts.local;

import com.voicecrm.contacts.api.ApiKeyAuthorizer;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.EmfMetrics;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.UsagePlans;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import com.voicecrm.contacts.store.TableSetup;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code make run}: the API on 127.0.0.1, backed by moto (started here unless DYNAMODB_ENDPOINT is
 * set), with the seed loaded, through the same authorizer and handler code as in AWS.
 */
public final class LocalApi implements AutoCloseable {

  public static final int DEFAULT_PORT = 3000;
  public static final String DEFAULT_SEED = "events/local-seed.json";
  static final String DEFAULT_TABLE = "contacts-local";

  private final MotoServer moto;
  private final DynamoDbClient dynamo;
  private final DynamoDbClient handlerDynamo;
  private final LocalGateway gateway;
  private final LocalServer server;
  private final String table;

  private LocalApi(
      MotoServer moto,
      DynamoDbClient dynamo,
      DynamoDbClient handlerDynamo,
      LocalGateway gateway,
      LocalServer server,
      String table) {
    this.moto = moto;
    this.dynamo = dynamo;
    this.handlerDynamo = handlerDynamo;
    this.gateway = gateway;
    this.server = server;
    this.table = table;
  }

  /** Starts everything with the usage plans' limits enforced, as {@code make run} does. */
  public static LocalApi start(int port, Path seed, Map<String, String> env) throws Exception {
    return start(port, seed, env, true);
  }

  /**
   * Starts everything. {@code env} supplies TABLE_NAME (default contacts-local) and
   * DYNAMODB_ENDPOINT (default: a moto started here); {@code usagePlanLimits} says whether each key
   * gets its plan's rate, burst and quota ({@link UsagePlans#DEV_LIKE}, as in a dev stage).
   */
  public static LocalApi start(
      int port, Path seed, Map<String, String> env, boolean usagePlanLimits) throws Exception {
    return start(port, seed, env, usagePlanLimits, Clock.systemUTC());
  }

  /**
   * As {@link #start(int, Path, Map, boolean)} with the handler on {@code clock} (the tests, which
   * step it past the list route's settle horizon rather than wait for it).
   */
  public static LocalApi start(
      int port, Path seed, Map<String, String> env, boolean usagePlanLimits, Clock clock)
      throws Exception {
    Map<String, String> settings = new HashMap<>(env);
    settings.putIfAbsent(ServiceContract.ENV_TABLE_NAME, DEFAULT_TABLE);
    MotoServer moto = null;
    String endpoint = settings.get(ServiceContract.ENV_DYNAMODB_ENDPOINT);
    if (endpoint == null || endpoint.isBlank()) {
      moto = MotoServer.start();
      settings.put(ServiceContract.ENV_DYNAMODB_ENDPOINT, moto.endpoint().toString());
    }
    AppConfig config = AppConfig.from(settings);
    DynamoDbClient dynamo = DynamoClients.create(config);
    TableSetup.createIfMissing(dynamo, config.tableName());
    if (seed != null) {
      new SeedLoader(dynamo, config.tableName()).load(seed);
    }
    // The handler's own client, so its metrics time only its DynamoDB calls, not the authorizer's.
    EmfMetrics metrics = EmfMetrics.fromEnvironment();
    DynamoDbClient handlerDynamo = DynamoClients.create(config, metrics.dynamoCallTimer());
    ContactsApiHandler handler =
        ContactsApiHandler.over(
            handlerDynamo, config.tableName(), RetryPolicy.DEFAULT, metrics, clock);
    DynamoApiKeyStore keys = new DynamoApiKeyStore(dynamo, config.tableName());
    ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(keys);
    LocalGateway gateway =
        new LocalGateway(
            authorizer,
            handler,
            usagePlanLimits ? UsagePlanLimiter.devLike(Clock.systemUTC(), keys) : null);
    LocalServer server = LocalServer.start(gateway, port);
    return new LocalApi(moto, dynamo, handlerDynamo, gateway, server, config.tableName());
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** The gateway behind the HTTP server, for callers in the same JVM (the tests). */
  public LocalGateway gateway() {
    return gateway;
  }

  public DynamoDbClient dynamo() {
    return dynamo;
  }

  public String table() {
    return table;
  }

  @Override
  public void close() {
    server.close();
    handlerDynamo.close();
    dynamo.close();
    if (moto != null) {
      moto.close();
    }
  }

  public static void main(String[] args) throws Exception {
    int port = DEFAULT_PORT;
    Path seed = Path.of(DEFAULT_SEED);
    boolean usagePlanLimits = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(requireValue(args, ++i, "--port"));
        case "--seed" -> seed = Path.of(requireValue(args, ++i, "--seed"));
        case "--no-rate-limits" -> usagePlanLimits = false;
        case "--help", "-h" -> {
          System.out.println(
              "usage: LocalApi [--port N] [--seed path/to/seed.json] [--no-rate-limits]");
          return;
        }
        default -> {
          System.err.println("Unknown option " + args[i] + "; try --help");
          System.exit(2);
        }
      }
    }
    if (!Files.isRegularFile(seed)) {
      System.err.println("Seed file not found: " + seed);
      System.exit(2);
    }
    LocalApi api = start(port, seed, System.getenv(), usagePlanLimits);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  api.close();
                  stopped.countDown();
                },
                "local-api-stop"));
    System.out.println("Listening on " + api.baseUri());
    System.out.println(
        usagePlanLimits
            ? "Usage plans per key (dev-like): free "
                + describe(UsagePlans.DEV_LIKE.free())
                + ", pro "
                + describe(UsagePlans.DEV_LIKE.pro())
                + "; --no-rate-limits turns them off"
            : "Usage plans off (--no-rate-limits): no key is throttled");
    String docs = ApiDocs.whereToRead(api.baseUri());
    System.out.println(docs == null ? "API reference not built (make openapi)" : docs);
    stopped.await();
  }

  private static String describe(UsagePlans.Limits limits) {
    return String.format(
        java.util.Locale.ROOT,
        "%s requests/s, burst %d, %d per %s",
        limits.rateLimit(),
        limits.burstLimit(),
        limits.quota(),
        limits.quotaPeriod().name().toLowerCase(java.util.Locale.ROOT));
  }

  private static String requireValue(String[] args, int index, String option) {
    if (index >= args.length) {
      System.err.println(option + " needs a value");
      System.exit(2);
    }
    return args[index];
  }
}
