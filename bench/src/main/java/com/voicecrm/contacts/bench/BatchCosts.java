package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.config.ServiceContract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * 7. A batch of 100 new contacts against the same 100 sent as single upserts, through the real
 * handler on the real store, in process: wall time, DynamoDB requests and items written. Each round
 * uses new phones and emails, so every contact is a create; wall time is the median of the rounds.
 */
final class BatchCosts {

  static final int ITEMS = 100;
  static final String WORKSPACE = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
  static final String UPSERT = "/v1/contacts/upsert";
  static final long ROUND_TRIP_MILLIS = 5;

  private final Bench bench;

  BatchCosts(Bench bench) {
    this.bench = bench;
  }

  private record Measured(
      double millis,
      int requests,
      int itemsWritten,
      String operations,
      double readUnits,
      double writeUnits) {}

  /**
   * Adds a fixed wait to every DynamoDB call before it is sent, on the calling thread: the network
   * round trip a Lambda in the table's region sees, which concurrent calls wait out together.
   */
  private static final class RoundTrip implements ExecutionInterceptor {
    private final long millis;

    RoundTrip(long millis) {
      this.millis = millis;
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void run(int rounds) throws Exception {
    System.err.println("bench: a batch of 100 new contacts vs 100 single upserts");
    compare(rounds, 0, "7 100 new contacts: 1 batch vs 100 single upserts", "batch < singles");
    compare(
        rounds,
        ROUND_TRIP_MILLIS,
        "  the same, with " + ROUND_TRIP_MILLIS + " ms of round trip added to each DynamoDB call",
        "");
    bench.table.note(
        "7: in process against moto, which serves one request at a time, so the batch's"
            + " concurrent writes (up to "
            + ServiceContract.BATCH_PARALLELISM
            + " at once) queue there, where DynamoDB serves them in parallel; the second row adds"
            + " a fixed wait before each call (a network round trip, waited out concurrently) to"
            + " show what the concurrency buys. Wall time is the median of "
            + rounds
            + " rounds; each contact has a phone, an email and one tag shared by all 100. The keyed"
            + " rows: the same batch with an Idempotency-Key (new contacts, a new key each round),"
            + " then that last request again; RRU/WRU as DynamoDB on-demand would bill them.");
  }

  private void compare(int rounds, long roundTripMillis, String figure, String target)
      throws Exception {
    String table = bench.createTable("batch-" + roundTripMillis, true);
    RequestCounter counter = new RequestCounter();
    try (DynamoDbClient counted =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("b", "b")))
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(bench.moto.endpoint())
            .overrideConfiguration(
                o -> {
                  o.addExecutionInterceptor(counter);
                  if (roundTripMillis > 0) {
                    o.addExecutionInterceptor(new RoundTrip(roundTripMillis));
                  }
                })
            .build()) {
      ContactsApiHandler handler = ContactsApiHandler.over(counted, table);
      // A first round of each, not measured: classes loaded, connections open, the tag there.
      singles(handler, counter, 9_000);
      batch(handler, counter, 9_100);
      double[] singleMillis = new double[rounds];
      double[] batchMillis = new double[rounds];
      Measured single = null;
      Measured batch = null;
      for (int round = 0; round < rounds; round++) {
        single = singles(handler, counter, round * 2 * ITEMS);
        batch = batch(handler, counter, round * 2 * ITEMS + ITEMS);
        singleMillis[round] = single.millis();
        batchMillis[round] = batch.millis();
      }
      Arrays.sort(singleMillis);
      Arrays.sort(batchMillis);
      double singleMedian = Table.median(singleMillis);
      double batchMedian = Table.median(batchMillis);
      bench.table.text(
          figure,
          String.format(
              Locale.ROOT,
              "batch %.0f ms, %d requests, %d items written",
              batchMedian,
              batch.requests(),
              batch.itemsWritten()),
          String.format(
              Locale.ROOT,
              "singles %.0f ms, %d requests, %d items written",
              singleMedian,
              single.requests(),
              single.itemsWritten()),
          String.format(
              Locale.ROOT,
              "%.2f x time, %.2f x requests",
              batchMedian / singleMedian,
              (double) batch.requests() / single.requests()),
          target);
      if (roundTripMillis == 0) {
        bench.table.text("  requests of each", batch.operations(), single.operations(), "", "");
        keyed(handler, counter, rounds, batch, batchMedian);
      }
    }
  }

  /**
   * The same batch of 100 new contacts with an {@code Idempotency-Key} (SPEC 11: each item's record
   * in its own transaction, the records read first in one more {@code BatchGetItem}), against the
   * unkeyed batch's last round; then the same request again, a replay of every item.
   */
  private void keyed(
      ContactsApiHandler handler,
      RequestCounter counter,
      int rounds,
      Measured plain,
      double plainMedian)
      throws Exception {
    double[] keyedMillis = new double[rounds];
    Measured keyed = null;
    String body = null;
    String key = null;
    for (int round = 0; round < rounds; round++) {
      body = batchBody(20_000 + round * ITEMS);
      key = "bench-batch-" + round;
      counter.reset();
      long started = System.nanoTime();
      APIGatewayProxyResponseEvent response =
          invoke(handler, ServiceContract.BATCH_UPSERT_RESOURCE, body, key);
      expect(response, 200);
      if (!response.getBody().contains("\"created\":" + ITEMS)) {
        throw new IllegalStateException("not every item created: " + response.getBody());
      }
      keyed = measured(started, counter);
      keyedMillis[round] = keyed.millis();
    }
    Arrays.sort(keyedMillis);
    bench.table.text(
        "  the batch with an Idempotency-Key (a record per item)",
        summary(Table.median(keyedMillis), keyed),
        "unkeyed: " + summary(plainMedian, plain),
        String.format(
            Locale.ROOT,
            "+%d requests, +%d items, +%.0f RRU, +%.0f WRU",
            keyed.requests() - plain.requests(),
            keyed.itemsWritten() - plain.itemsWritten(),
            keyed.readUnits() - plain.readUnits(),
            keyed.writeUnits() - plain.writeUnits()),
        "");
    bench.table.text("  requests of the keyed batch", keyed.operations(), "", "", "");

    counter.reset();
    long started = System.nanoTime();
    APIGatewayProxyResponseEvent replay =
        invoke(handler, ServiceContract.BATCH_UPSERT_RESOURCE, body, key);
    expect(replay, 200);
    if (!"true".equals(replay.getHeaders().get("Idempotent-Replayed"))) {
      throw new IllegalStateException("the keyed batch was not replayed: " + replay.getHeaders());
    }
    Measured replayed = measured(started, counter);
    bench.table.text(
        "  a replay of that keyed batch (same key and body)",
        summary(replayed.millis(), replayed),
        replayed.operations(),
        "",
        "0 items written");
  }

  private static String summary(double millis, Measured measured) {
    return String.format(
        Locale.ROOT,
        "%.0f ms, %d requests, %d items written, %.0f RRU, %.0f WRU",
        millis,
        measured.requests(),
        measured.itemsWritten(),
        measured.readUnits(),
        measured.writeUnits());
  }

  /** One new contact's fields as JSON members (no braces): a phone, an email and one tag. */
  private static String item(int n) {
    return String.format(
        Locale.ROOT,
        "\"phone\":\"+1415%07d\",\"email\":\"bench%d@example.com\",\"tags\":[\"import\"]",
        5_550_000 + n,
        n);
  }

  private Measured singles(ContactsApiHandler handler, RequestCounter counter, int first)
      throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      bodies.add("{\"workspaceId\":\"" + WORKSPACE + "\"," + item(first + i) + "}");
    }
    counter.reset();
    long started = System.nanoTime();
    for (String body : bodies) {
      expect(invoke(handler, UPSERT, body), 201);
    }
    return measured(started, counter);
  }

  private static String batchBody(int first) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      items.add("{" + item(first + i) + "}");
    }
    return "{\"workspaceId\":\"" + WORKSPACE + "\",\"items\":[" + String.join(",", items) + "]}";
  }

  private Measured batch(ContactsApiHandler handler, RequestCounter counter, int first)
      throws Exception {
    String body = batchBody(first);
    counter.reset();
    long started = System.nanoTime();
    APIGatewayProxyResponseEvent response =
        invoke(handler, ServiceContract.BATCH_UPSERT_RESOURCE, body);
    expect(response, 200);
    if (!response.getBody().contains("\"created\":" + ITEMS)) {
      throw new IllegalStateException("not every item created: " + response.getBody());
    }
    return measured(started, counter);
  }

  private static Measured measured(long started, RequestCounter counter) {
    return new Measured(
        (System.nanoTime() - started) / 1e6,
        counter.requests(),
        counter.itemsWritten(),
        counter.operations(),
        counter.readUnits(),
        counter.writeUnits());
  }

  private static APIGatewayProxyResponseEvent invoke(
      ContactsApiHandler handler, String resource, String body) {
    return invoke(handler, resource, body, null);
  }

  /** As API Gateway hands the request over; with {@code idempotencyKey} when not null. */
  private static APIGatewayProxyResponseEvent invoke(
      ContactsApiHandler handler, String resource, String body, String idempotencyKey) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHttpMethod("POST");
    event.setPath(resource);
    event.setResource(resource);
    event.setHeaders(
        idempotencyKey == null
            ? Map.of("Content-Type", "application/json")
            : Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey));
    event.setBody(body);
    event.setIsBase64Encoded(false);
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setRequestId(UUID.randomUUID().toString());
    // The demo account key's scope, as the authorizer hands it over.
    Map<String, Object> scope = new HashMap<>();
    scope.put(ServiceContract.CONTEXT_ACCOUNT_ID, "acc_demo");
    scope.put(ServiceContract.CONTEXT_WORKSPACE_ID, "");
    scope.put(ServiceContract.CONTEXT_KEY_ID, "bench");
    context.setAuthorizer(scope);
    event.setRequestContext(context);
    return ProxyEventJson.invoke(handler, event, null);
  }

  private static void expect(APIGatewayProxyResponseEvent response, int status) {
    if (response.getStatusCode() != status) {
      throw new IllegalStateException(
          "expected "
              + status
              + ", answered "
              + response.getStatusCode()
              + " "
              + response.getBody());
    }
  }
}
