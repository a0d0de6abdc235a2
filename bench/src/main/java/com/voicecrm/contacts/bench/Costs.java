package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.config.ServiceContract;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * 4 and 6. DynamoDB requests, items written and request units per operation, counted on the real
 * store, beside the least any design with the same guarantees needs; then what a million of each
 * costs at list prices.
 */
final class Costs {

  /** us-east-1 list prices in USD as of 2024-11-01 (the last DynamoDB on-demand price change). */
  static final double READ_UNIT = 0.125e-6;

  static final double WRITE_UNIT = 0.625e-6;
  static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
  static final double LAMBDA_REQUEST = 0.20e-6;
  static final double REST_API_REQUEST = 3.50e-6;
  static final int PROD_MEMORY_MB = 1536;
  static final int DEV_MEMORY_MB = 1024;

  /** The sort key of a contact item, its kind for {@link RequestCounter#readUnitsOf}. */
  private static final String CONTACT = "CONTACT";

  /** The sort key of an idempotency record. */
  private static final String IDEMPOTENCY = "IDEMPOTENCY";

  private final Bench bench;

  Costs(Bench bench) {
    this.bench = bench;
  }

  /**
   * The least a design with the same guarantees sends for one operation: requests, items written,
   * read and write units.
   */
  record Least(int requests, int itemsWritten, double readUnits, double writeUnits) {

    /**
     * For a single-item operation: the same requests and reads (each decides something SPEC needs)
     * and the same items written, in a transaction only where two or more must change together.
     */
    static Least sameItems(RequestCounter counter) {
      return new Least(
          counter.requests(),
          counter.itemsWritten(),
          counter.readUnits(),
          counter.leastWriteUnits());
    }
  }

  /** A measured operation's answer, for the next operation's event. */
  private record Answer(String body, Map<String, String> headers) {
    String etag() {
      return headers.get("ETag");
    }
  }

  private RequestCounter counter;
  private ContactsApiHandler handler;
  private double warmP50Ms;
  private double createCost;
  private double createDev;
  private double lastCost; // all-in per million, of the last row

  void run(double warmP50Ms, double floorP50Ms) throws Exception {
    System.err.println("bench: DynamoDB requests and units per operation");
    this.warmP50Ms = warmP50Ms;
    String table = bench.createTable("requests", true);
    counter = new RequestCounter();
    DynamoDbClient counted =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("b", "b")))
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(bench.moto.endpoint())
            .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
            .build();
    handler = ContactsApiHandler.over(counted, table);
    String create = Files.readString(bench.event);
    String update = create.replace("\\\"Ada\\\"", "\\\"Augusta\\\"");
    String move = update.replace("ada@example.com", "augusta@example.com");
    String get = Files.readString(bench.root.resolve("events/get.json"));
    String delete = Files.readString(bench.root.resolve("events/delete.json"));

    String createOnly = Files.readString(bench.root.resolve("events/create.json"));
    String id = idOf(measure("create (new phone, email and tag)", create, 201).body());
    createCost = lastCost;
    createDev = perMillion(counter.readUnits(), counter.writeUnits(), warmP50Ms, DEV_MEMORY_MB);
    measure("update (firstName changes)", update, 200);
    measure("update that changes nothing", update, 200);
    measure("identifier move (new email)", move, 200);
    measure("get", withId(get, id), 200);
    measure("delete", withId(delete, id), 204);

    // SPEC 7 and 8 on a contact of their own, so the rows above keep their contact's claims.
    String created =
        idOf(
            measure("create-only, POST /v1/contacts (new phone, email, tag)", createOnly, 201)
                .body());
    String patchOf = withId(get, created);
    Answer patched =
        measure(
            "PATCH a field (firstName)", patch(patchOf, "{\"firstName\":\"Charlie\"}", null), 200);
    if (patched.etag() == null) {
      throw new IllegalStateException("PATCH answered no ETag for the If-Match row");
    }
    measure(
        "PATCH with If-Match (lastName)",
        patch(patchOf, "{\"lastName\":\"Babbage-King\"}", patched.etag()),
        200);
    measure(
        "PATCH clearing the email (claim released)", patch(patchOf, "{\"email\":null}", null), 200);

    // SPEC 9: pages of the sample workspace once 120 more contacts are in it (not counted), each
    // with the create-only event's tag, as the contact above still has.
    for (int i = 0; i < 120; i++) {
      invoke(
          handler,
          createOnly
              .replace("charles@example.com", "bench" + i + "@example.com")
              .replace("+44 20 7946 0959", String.format(Locale.ROOT, "+1415555%04d", i)),
          201);
    }
    // The index-ordered listings show a write once its settle horizon has passed (issue 12): the
    // pages are read that much later, as a client walking the workspace would.
    Thread.sleep(ServiceContract.SETTLE.toMillis() + 1);
    String list = Files.readString(bench.root.resolve("events/list.json"));
    listPage("list page, limit 20 (unfiltered, 121 contacts)", list, Map.of("limit", "20"), 20);
    listPage("list page, limit 100 (unfiltered)", list, Map.of("limit", "100"), 100);
    listPage(
        "tag page, tag=prospect, limit 20", list, Map.of("limit", "20", "tag", "prospect"), 20);
    // A phone filter reads the claim and its contact, no index: the least is the same reads.
    String listByPhone =
        list.replace("\"limit\": \"20\"", "\"phone\": \"+14155550100\"")
            .replace(
                "\"limit\": [\n      \"20\"\n    ]", "\"phone\": [\n      \"+14155550100\"\n    ]");
    if (listByPhone.contains("\"limit\"")) {
      throw new IllegalStateException("events/list.json changed its limit's format");
    }
    measure("list by phone (one contact)", listByPhone, 200);

    // SPEC 11: an upsert with an Idempotency-Key records its answer in its own transaction; the
    // same request again replays it. The least of a replay: one read of the record, nothing
    // written.
    String keyed =
        edit(
            create
                .replace("+44 20 7946 0958", "+44 20 7946 0960")
                .replace("ada@example.com", "ada.keyed@example.com"),
            null,
            Map.of("Idempotency-Key", "bench-replay-0001"),
            Map.of(),
            null);
    measure(
        "keyed create, Idempotency-Key (tag registered; record in the transaction)", keyed, 201);
    counter.reset();
    // A client's retry is a new API Gateway request: another request id (the same id is the
    // request itself, whose answer got lost, and is answered as its own, not as a replay).
    Answer replay = invoke(handler, withRequestId(keyed, "bench-replay-retry"), 201);
    if (!"true".equals(replay.headers().get("Idempotent-Replayed"))) {
      throw new IllegalStateException("the repeated upsert was not replayed: " + replay.headers());
    }
    row(
        "idempotent replay of that upsert (same key and body)",
        new Least(1, 0, counter.readUnitsOf(IDEMPOTENCY, 1), 0));
    counted.close();

    Table t = bench.table;
    t.text(
        "6 cost per million creates, all-in (prod " + PROD_MEMORY_MB + " MB)",
        String.format(Locale.ROOT, "$%.2f", createCost),
        String.format(Locale.ROOT, "dev %d MB: $%.2f", DEV_MEMORY_MB, createDev),
        "",
        "<= 1.1 x least");
    t.text(
        "  of which API Gateway / Lambda / DynamoDB",
        String.format(
            Locale.ROOT,
            "$%.2f / $%.2f / $%.2f",
            REST_API_REQUEST * 1e6,
            lambda(warmP50Ms, PROD_MEMORY_MB),
            createCost - REST_API_REQUEST * 1e6 - lambda(warmP50Ms, PROD_MEMORY_MB)),
        String.format(
            Locale.ROOT, "Lambda at the warm p50 %.1f ms (floor %.1f ms)", warmP50Ms, floorP50Ms),
        "",
        "");
    t.note(
        "prices: us-east-1 list prices as of 2024-11-01: DynamoDB on-demand $0.125 per million read"
            + " and $0.625 per million write request units; Lambda arm64 $0.0000133334 per GB-s and"
            + " $0.20 per million requests; API Gateway REST $3.50 per million requests. The"
            + " authorizer's answer is cached per key for 5 minutes, so its cost per request is"
            + " left out. Lambda duration is the warm p50 measured here, billed per 1 ms.");
  }

  /** One row of a single-item operation: measured on the real store, against the same items. */
  private Answer measure(String name, String event, int status) throws Exception {
    counter.reset();
    Answer answer = invoke(handler, event, status);
    row(name, Least.sameItems(counter));
    return answer;
  }

  /**
   * One row of a list page of {@code limit} contacts: the least is one Query of the index returning
   * {@code limit} entries and one consistent BatchGetItem of those contacts, nothing else.
   */
  private void listPage(String name, String event, Map<String, String> query, int limit)
      throws Exception {
    counter.reset();
    Answer page = invoke(handler, edit(event, null, Map.of(), query, null), 200);
    int shown = page.body().split("\"id\":\"", -1).length - 1;
    if (shown != limit) {
      throw new IllegalStateException(name + " showed " + shown + " contacts, not " + limit);
    }
    row(
        name,
        new Least(2, 0, counter.queryUnitsOfFirst(limit) + counter.readUnitsOf(CONTACT, limit), 0));
  }

  /** A row of what {@link #counter} counted since its reset, against {@code least}. */
  private void row(String name, Least least) {
    double reads = counter.readUnits();
    double writes = counter.writeUnits();
    double ours = perMillion(reads, writes, warmP50Ms, PROD_MEMORY_MB);
    double leastCost = perMillion(least.readUnits(), least.writeUnits(), warmP50Ms, PROD_MEMORY_MB);
    lastCost = ours;
    bench.table.text(
        "4 " + name,
        String.format(
            Locale.ROOT,
            "%d requests, %d items written, %s RRU + %s WRU%s",
            counter.requests(),
            counter.itemsWritten(),
            units(reads),
            units(writes),
            counter.indexWriteUnits() == 0
                ? ""
                : " (" + units(counter.indexWriteUnits()) + " of them the indexes')"),
        counter.operations()
            + String.format(
                Locale.ROOT,
                " (least: %d requests, %d items written, %s RRU + %s WRU)",
                least.requests(),
                least.itemsWritten(),
                units(least.readUnits()),
                units(least.writeUnits())),
        String.format(
            Locale.ROOT,
            "%.2f",
            (reads * READ_UNIT + writes * WRITE_UNIT)
                / Math.max(1e-12, least.readUnits() * READ_UNIT + least.writeUnits() * WRITE_UNIT)),
        String.format(Locale.ROOT, "$%.2f / $%.2f per M (ours / least, all-in)", ours, leastCost));
  }

  /** Units as DynamoDB bills them: whole, or in halves for eventually consistent reads. */
  private static String units(double units) {
    return units == Math.rint(units)
        ? String.format(Locale.ROOT, "%.0f", units)
        : String.format(Locale.ROOT, "%.1f", units);
  }

  private static String withId(String event, String id) {
    return event.replace(Bench.SAMPLE_ID, id);
  }

  /**
   * {@code PATCH /v1/contacts/{id}} with a merge-patch {@code body}, from the GET event of that
   * contact (same path, key and authorizer context), with {@code If-Match} when not null.
   */
  static String patch(String getEvent, String body, String ifMatch) throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/merge-patch+json");
    if (ifMatch != null) {
      headers.put("If-Match", ifMatch);
    }
    return edit(getEvent, "PATCH", headers, Map.of(), body);
  }

  /**
   * {@code event} with another method (null: the same), more headers and query parameters (both
   * single and multi-value, as API Gateway sends them), and another body (null: the same).
   */
  static String edit(
      String event,
      String method,
      Map<String, String> moreHeaders,
      Map<String, String> moreQuery,
      String body)
      throws Exception {
    APIGatewayProxyRequestEvent edited =
        ProxyEventJson.readRequest(
            new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
    if (method != null) {
      edited.setHttpMethod(method);
      edited.getRequestContext().setHttpMethod(method);
    }
    Map<String, String> headers = new HashMap<>(edited.getHeaders());
    headers.putAll(moreHeaders);
    edited.setHeaders(headers);
    edited.setMultiValueHeaders(multiValue(headers));
    if (!moreQuery.isEmpty()) {
      Map<String, String> query =
          new HashMap<>(
              edited.getQueryStringParameters() == null
                  ? Map.of()
                  : edited.getQueryStringParameters());
      query.putAll(moreQuery);
      edited.setQueryStringParameters(query);
      edited.setMultiValueQueryStringParameters(multiValue(query));
    }
    if (body != null) {
      edited.setBody(body);
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    ProxyEventJson.writeRequest(edited, json);
    return json.toString(StandardCharsets.UTF_8);
  }

  private static String withRequestId(String event, String requestId) throws Exception {
    APIGatewayProxyRequestEvent edited =
        ProxyEventJson.readRequest(
            new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));
    edited.getRequestContext().setRequestId(requestId);
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    ProxyEventJson.writeRequest(edited, json);
    return json.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> multiValue(Map<String, String> single) {
    Map<String, List<String>> multi = new HashMap<>();
    single.forEach((name, value) -> multi.put(name, List.of(value)));
    return multi;
  }

  /** All-in cost of a million operations: API Gateway, Lambda requests and duration, DynamoDB. */
  static double perMillion(double readUnits, double writeUnits, double durationMs, int memoryMb) {
    return (REST_API_REQUEST + readUnits * READ_UNIT + writeUnits * WRITE_UNIT) * 1e6
        + lambda(durationMs, memoryMb);
  }

  /** Lambda's part of a million invocations: duration at {@code memoryMb}, plus the requests. */
  private static double lambda(double durationMs, int memoryMb) {
    return Math.ceil(durationMs) / 1000.0 * memoryMb / 1024.0 * LAMBDA_GB_SECOND_ARM * 1e6
        + LAMBDA_REQUEST * 1e6;
  }

  private static Answer invoke(RequestStreamHandler handler, String event, int expected)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    var response = ProxyEventJson.readResponse(new ByteArrayInputStream(out.toByteArray()));
    if (response.getStatusCode() != expected) {
      throw new IllegalStateException(
          "expected "
              + expected
              + ", answered "
              + response.getStatusCode()
              + " "
              + response.getBody());
    }
    return new Answer(
        response.getBody(), response.getHeaders() == null ? Map.of() : response.getHeaders());
  }

  static String idOf(String body) {
    int start = body.indexOf("\"id\":\"") + 6;
    return body.substring(start, body.indexOf('"', start));
  }
}
