package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.ProxyEventJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
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

  private final Bench bench;

  Costs(Bench bench) {
    this.bench = bench;
  }

  private record Scenario(String name, String event, int status) {}

  void run(double warmP50Ms, double floorP50Ms) throws Exception {
    System.err.println("bench: DynamoDB requests and units per operation");
    String table = bench.createTable("requests", true);
    RequestCounter counter = new RequestCounter();
    DynamoDbClient counted =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("b", "b")))
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(bench.moto.endpoint())
            .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
            .build();
    ContactsApiHandler handler = ContactsApiHandler.over(counted, table);
    String create = Files.readString(bench.event);
    String update = create.replace("\\\"Ada\\\"", "\\\"Augusta\\\"");
    String move = update.replace("ada@example.com", "augusta@example.com");
    String id = null;
    String createOnly = Files.readString(bench.root.resolve("events/create.json"));
    String get = Files.readString(bench.root.resolve("events/get.json"));
    String delete = Files.readString(bench.root.resolve("events/delete.json"));
    String list = Files.readString(bench.root.resolve("events/list.json"));
    String listByPhone =
        list.replace("\"limit\": \"20\"", "\"phone\": \"+14155550100\"")
            .replace(
                "\"limit\": [\n      \"20\"\n    ]", "\"phone\": [\n      \"+14155550100\"\n    ]");
    // 120 more contacts in the sample's workspace for the list pages (not counted).
    for (int i = 0; i < 120; i++) {
      invoke(
          handler,
          createOnly
              .replace("charles@example.com", "bench" + i + "@example.com")
              .replace("+44 20 7946 0959", String.format(Locale.ROOT, "+1415555%04d", i)),
          201);
    }
    Scenario[] scenarios = {
      new Scenario("create (new phone, email and tag)", create, 201),
      new Scenario("update (firstName changes)", update, 200),
      new Scenario("update that changes nothing", update, 200),
      new Scenario("identifier move (new email)", move, 200),
      new Scenario("get", get, 200),
      new Scenario("delete", delete, 204),
      new Scenario("create-only, POST /v1/contacts (new phone, email, tag)", createOnly, 201),
      new Scenario("list page, limit 20 (of 120 contacts)", list, 200),
      new Scenario("list page, limit 100", list.replace("\"20\"", "\"100\""), 200),
      new Scenario("list by phone", listByPhone, 200),
    };
    Table t = bench.table;
    double createCost = 0;
    double createDev = 0;
    for (Scenario scenario : scenarios) {
      counter.reset();
      String event = id == null ? scenario.event() : scenario.event().replace(Bench.SAMPLE_ID, id);
      String body = invoke(handler, event, scenario.status());
      if (scenario.status() == 201) {
        id = idOf(body);
      }
      double reads = counter.readUnits();
      double writes = counter.writeUnits();
      // The least: the same reads (each decides something SPEC needs) and the same items written,
      // in a transaction only where two or more must change together.
      double leastWrites = counter.leastWriteUnits();
      double ours = perMillion(reads, writes, warmP50Ms, PROD_MEMORY_MB);
      double least = perMillion(reads, leastWrites, warmP50Ms, PROD_MEMORY_MB);
      if (scenario.status() == 201 && createCost == 0) { // the upsert that creates
        createCost = ours;
        createDev = perMillion(reads, writes, warmP50Ms, DEV_MEMORY_MB);
      }
      t.text(
          "4 " + scenario.name(),
          String.format(
              Locale.ROOT,
              "%d requests, %d items written, %.0f RRU + %.0f WRU",
              counter.requests(),
              counter.itemsWritten(),
              reads,
              writes),
          counter.operations()
              + String.format(Locale.ROOT, " (least: %.0f RRU + %.0f WRU)", reads, leastWrites),
          String.format(
              Locale.ROOT,
              "%.2f",
              (reads * READ_UNIT + writes * WRITE_UNIT)
                  / Math.max(1e-12, reads * READ_UNIT + leastWrites * WRITE_UNIT)),
          String.format(Locale.ROOT, "$%.2f / $%.2f per M (ours / least, all-in)", ours, least));
    }
    counted.close();
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

  private static String invoke(RequestStreamHandler handler, String event, int expected)
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
    return response.getBody();
  }

  private static String idOf(String body) {
    int start = body.indexOf("\"id\":\"") + 6;
    return body.substring(start, body.indexOf('"', start));
  }
}
