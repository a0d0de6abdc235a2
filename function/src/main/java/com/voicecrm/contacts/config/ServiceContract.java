package com.voicecrm.contacts.config;

import java.time.Duration;
import java.util.List;

/**
 * Names shared between the function and the infrastructure that deploys it. The CDK app reads these
 * constants instead of copying the strings, so a rename cannot drift between modules.
 */
public final class ServiceContract {

  /** Environment variable naming the single DynamoDB table. Required. */
  public static final String ENV_TABLE_NAME = "TABLE_NAME";

  /** Environment variable overriding the DynamoDB endpoint (local runs and tests only). */
  public static final String ENV_DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";

  /**
   * Environment variable naming the deployment environment (dev, prod): the {@code Environment}
   * dimension of the function's metrics. Optional; {@code local} when unset.
   */
  public static final String ENV_ENVIRONMENT_NAME = "ENVIRONMENT_NAME";

  /**
   * The API function's embedded-metric-format records ({@code config.EmfMetrics}): namespace,
   * dimensions and metric names, read by the stack's dashboard and alarms.
   */
  public static final class MetricNames {
    public static final String NAMESPACE = "ContactsApi";
    public static final String ENVIRONMENT = "Environment";
    public static final String ROUTE = "Route";
    public static final String OUTCOME = "Outcome";

    /** One per request, by route and outcome. */
    public static final String REQUESTS = "Requests";

    /** Attempts retried, for a lost race or an unavailable store. */
    public static final String RETRIES = "Retries";

    /** Attempts retried because a concurrent write won the race. */
    public static final String LOST_RACES = "LostRaces";

    /** Requests answered 503 because the retries ran out. */
    public static final String RETRIES_EXHAUSTED = "RetriesExhausted";

    /** Of those, the ones whose last attempt lost a race (contention, not an outage). */
    public static final String LOST_RACES_EXHAUSTED = "LostRacesExhausted";

    /** Requests the function answered 503, and items of a batch answered 503. */
    public static final String UNAVAILABLE = "ServiceUnavailable";

    /** Items of a batch (SPEC 10) that created a contact, in the batch's record. */
    public static final String BATCH_ITEMS_CREATED = "BatchItemsCreated";

    /** Items of a batch that updated a contact. */
    public static final String BATCH_ITEMS_UPDATED = "BatchItemsUpdated";

    /** Items of a batch that changed nothing. */
    public static final String BATCH_ITEMS_UNCHANGED = "BatchItemsUnchanged";

    /** Items of a batch answered 400. */
    public static final String BATCH_ITEMS_INVALID = "BatchItemsInvalid";

    /** Items of a batch that failed otherwise (409, 404, 503, 500). */
    public static final String BATCH_ITEMS_FAILED = "BatchItemsFailed";

    public static final String DYNAMODB_CALLS = "DynamoDbCalls";

    /** Each DynamoDB call, SDK retries included, in milliseconds. */
    public static final String DYNAMODB_LATENCY = "DynamoDbCallLatency";

    private MetricNames() {}
  }

  /** Partition key attribute of the table (string). */
  public static final String PARTITION_KEY = "pk";

  /**
   * Every time limit of the service in one place: the stack sets the functions' timeouts from it,
   * the local gateway gives the handlers the same budgets, the DynamoDB client and the store bound
   * their calls by it.
   *
   * @param apiFunction the API function's timeout (below API Gateway's 29 s integration limit)
   * @param authorizerFunction the authorizer function's timeout
   * @param connect a new connection to DynamoDB
   * @param socket a read on an open connection
   * @param callAttempt one HTTP attempt of a DynamoDB call
   * @param call a DynamoDB call with the SDK's own retries
   * @param answerMargin what a call leaves of the request's time, to still answer (a 503)
   * @param minimumCall a call with less time than this left is not started
   */
  public record Timeouts(
      Duration apiFunction,
      Duration authorizerFunction,
      Duration connect,
      Duration socket,
      Duration callAttempt,
      Duration call,
      Duration answerMargin,
      Duration minimumCall) {}

  public static final Timeouts TIMEOUTS =
      new Timeouts(
          Duration.ofSeconds(10),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(3),
          Duration.ofSeconds(8),
          Duration.ofMillis(300),
          Duration.ofMillis(100));

  /**
   * How long after its {@code updatedAt} stamp a contact write may still commit: the attempt loop
   * sends a write only within it, and the SDK gives up on the call at its end. An index entry is
   * then never written later than this after the time it sorts at (SPEC 9, issue 12).
   */
  public static final Duration STAMP_TO_COMMIT = Duration.ofMillis(500);

  /**
   * What the list indexes may lag a committed write by (DynamoDB propagates a GSI asynchronously,
   * typically well under a second), and the clock difference between two function instances.
   */
  public static final Duration INDEX_LAG_ALLOWANCE = Duration.ofSeconds(1);

  /**
   * The settle horizon of the index-ordered listings (unfiltered, {@code tag}, {@code
   * updatedAfter}): a page never shows nor moves its cursor past an entry stamped later than this
   * before now, since one stamped earlier has committed and reached the index by now.
   */
  public static final Duration SETTLE = STAMP_TO_COMMIT.plus(INDEX_LAG_ALLOWANCE);

  /** Sort key attribute of the table (string). */
  public static final String SORT_KEY = "sk";

  /**
   * The table's time-to-live attribute (epoch seconds): DynamoDB deletes an item some time after it
   * passes, up to days later, so readers treat an item past it as absent. Only idempotency records
   * carry it.
   */
  public static final String TIME_TO_LIVE_ATTRIBUTE = "expiresAt";

  /**
   * The two global secondary indexes of the list route (SPEC 9), created by {@code
   * store.TableSetup} locally and by the CDK table in AWS. Both are sparse and KEYS_ONLY: an entry
   * says where a contact sits in the order (updatedAt, id); the page then reads the contacts
   * themselves, consistently, from the table.
   */
  public static final class ListIndexes {

    /**
     * Active contacts of a workspace: partition {@link #WORKSPACE_PARTITION}, sort {@link #SORT}.
     */
    public static final String WORKSPACE_INDEX = "byWorkspace";

    /** Tag memberships of active contacts: partition {@link #TAG_PARTITION}, sort {@link #SORT}. */
    public static final String TAG_INDEX = "byWorkspaceTag";

    /** {@code WS#<workspaceId>}, on a contact item only while the contact is active (string). */
    public static final String WORKSPACE_PARTITION = "listPk";

    /** {@code WS#<workspaceId>#TAG#<tag>}, on a tag membership item (string). */
    public static final String TAG_PARTITION = "tagListPk";

    /** {@code <updatedAt, fixed-width ISO millis>#<contactId>}, the order of SPEC 9 (string). */
    public static final String SORT = "listSk";

    private ListIndexes() {}
  }

  /** Handler of the API function: every route of the REST API is proxied to it. */
  public static final String API_HANDLER =
      "com.voicecrm.contacts.api.ContactsApiHandler::handleRequest";

  /** Handler of the TOKEN authorizer function. */
  public static final String AUTHORIZER_HANDLER =
      "com.voicecrm.contacts.api.ApiKeyAuthorizer::handleRequest";

  /**
   * Where the OpenAPI document is served without a key: by the local server and, under the stage
   * root, by the deployed API (infra's ApiDescription).
   */
  public static final String DESCRIPTION_PATH = "/openapi.json";

  /**
   * How the Lambda runtime begins the ERROR record it logs for a key the authorizer rejects, {@code
   * "<message>: <exception type>"}: the stack's authorizer alarm leaves these records out.
   * ApiKeyAuthorizerTest keeps it equal to the authorizer's own message and type; the runtime tier
   * checks the runtime client still writes it so.
   */
  public static final String AUTHORIZER_REJECTION_LOG_PREFIX =
      "Unauthorized: com.voicecrm.contacts.api.ApiKeyAuthorizer$UnauthorizedException";

  /** Keys of the authorizer context handed to the API function by API Gateway. */
  public static final String CONTEXT_ACCOUNT_ID = "accountId";

  public static final String CONTEXT_WORKSPACE_ID = "workspaceId";

  public static final String CONTEXT_KEY_ID = "keyId";

  /**
   * Prefix of every problem+json {@code type}; the slug (for example {@code not-found}) follows.
   */
  public static final String PROBLEM_TYPE_BASE = "https://api.voicecrm.example/errors/";

  /** Largest request body the API accepts, in bytes (256 KiB). */
  public static final int MAX_BODY_BYTES = 256 * 1024;

  /**
   * Bodies whose Content-Length has more digits than this (1,000,000 bytes and more) are refused
   * with 413 at the edge, before the authorizer, except on the batch route, whose limit is {@link
   * #EDGE_BATCH_CONTENT_LENGTH_REGEX}: by the web ACL in AWS (below Lambda's 6 MB invoke payload
   * limit, which API Gateway would report as a retryable failure) and by the local gateway.
   */
  public static final int EDGE_MAX_CONTENT_LENGTH_DIGITS = 6;

  /** The batch upsert route (SPEC 10). */
  public static final String BATCH_UPSERT_RESOURCE = "/v1/contacts/batch/upsert";

  /** Largest body of the batch upsert route, in bytes (1 MiB); other routes keep 256 KiB. */
  public static final int MAX_BATCH_BODY_BYTES = 1024 * 1024;

  /**
   * The Content-Length values the edge lets through to the batch route: 0 to {@link
   * #MAX_BATCH_BODY_BYTES} (1,048,576) written in decimal without a sign, at most 7 digits. Read by
   * the web ACL (a regex match on the header) and by the local gateway.
   */
  public static final String EDGE_BATCH_CONTENT_LENGTH_REGEX =
      "^([0-9]{1,6}|10[0-3][0-9]{4}|104[0-7][0-9]{3}|1048[0-4][0-9]{2}|10485[0-6][0-9]"
          + "|104857[0-6])$";

  /** How many items of one batch are written at once, each chain on a thread of the invocation. */
  public static final int BATCH_PARALLELISM = 8;

  /** REST resources of the API; each is proxied with method ANY so the function answers 405. */
  public static final List<String> RESOURCES =
      List.of("/v1/contacts", "/v1/contacts/upsert", "/v1/contacts/{id}", BATCH_UPSERT_RESOURCE);

  private ServiceContract() {}
}
