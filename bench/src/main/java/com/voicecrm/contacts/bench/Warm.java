package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.bench.floor.FloorHandler;
import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.local.SeedLoader;
import com.voicecrm.contacts.store.TableSetup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Warm latency in one JVM: the function's upsert and the floor's PutItem, alternated so both meet
 * the same machine noise. Each upsert creates a contact (a fresh phone and email), the path with
 * the most DynamoDB work. Prints p50 and p99 of both, and the p50 of each one's time off the wire
 * (with {@link RoundTrips} registered), in microseconds.
 */
public final class Warm {

  static final int RESET_EVERY = 50;

  private Warm() {}

  public static void main(String[] args) throws Exception {
    String template = Files.readString(Path.of(args[0]));
    int warmup = Integer.parseInt(args[1]);
    int iterations = Integer.parseInt(args[2]);
    String runId = args[3];
    Path seed = Path.of(args[4]);
    ContactsApiHandler ours = new ContactsApiHandler();
    FloorHandler floor = new FloorHandler("url");
    // The HTTP client comparison: the floor once more on AwsCrtHttpClient, when its jars are here.
    FloorHandler crt = Boolean.getBoolean("bench.floorCrt") ? new FloorHandler("crt") : null;
    long[] crtMicros = new long[iterations];
    AppConfig config = AppConfig.fromEnvironment();
    DynamoDbClient cleanup = DynamoClients.create(config);
    long[] oursMicros = new long[iterations];
    long[] floorMicros = new long[iterations];
    long[] oursOwnMicros = new long[iterations];
    long[] floorOwnMicros = new long[iterations];
    for (int i = 0; i < warmup + iterations; i++) {
      if (i % RESET_EVERY == 0) {
        reset(cleanup, config.tableName(), seed);
      }
      // 8 digits after +1 415: each run and iteration has its own number and email.
      String phone = String.format("+1415%s%04d", runId, i % 10_000);
      String email = "ada" + runId + "-" + i + "@example.com";
      String event = template.replace("+44 20 7946 0958", phone).replace("ada@example.com", email);
      byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
      long wireStart = RoundTrips.nanos();
      long start = System.nanoTime();
      APIGatewayProxyRequestEvent request = Events.read(bytes);
      APIGatewayProxyResponseEvent response = ours.handleRequest(request, null);
      long middle = System.nanoTime();
      long wireMiddle = RoundTrips.nanos();
      ByteArrayOutputStream floorResponse = new ByteArrayOutputStream(256);
      floor.handleRequest(new ByteArrayInputStream(bytes), floorResponse);
      long end = System.nanoTime();
      long wireEnd = RoundTrips.nanos();
      String crtId = null;
      if (crt != null) {
        ByteArrayOutputStream crtResponse = new ByteArrayOutputStream(256);
        long crtStart = System.nanoTime();
        crt.handleRequest(new ByteArrayInputStream(bytes), crtResponse);
        long crtEnd = System.nanoTime();
        crtId = idIn(crtResponse.toString(StandardCharsets.UTF_8));
        if (i >= warmup) {
          crtMicros[i - warmup] = (crtEnd - crtStart) / 1_000;
        }
      }
      // 201, or 200 when moto stalled past the SDK's attempt timeout and the retried transaction
      // (moto ignores its idempotency token) met the contact the first attempt had created.
      if (response.getStatusCode() != 201 && response.getStatusCode() != 200) {
        throw new IllegalStateException("upsert " + i + " answered " + response.getStatusCode());
      }
      // Untimed: moto deep-copies a table for every transaction, so a table that grew with each
      // iteration would time moto, not the function. What was written is deleted again, and the
      // table is made anew every RESET_EVERY iterations (moto keeps an entry per deleted key).
      String workspace = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
      List<WriteRequest> deletes =
          new ArrayList<>(
              List.of(
                  delete("CONTACT#" + idIn(response.getBody()), "CONTACT"),
                  delete(
                      "CONTACT#" + idIn(floorResponse.toString(StandardCharsets.UTF_8)), "CONTACT"),
                  delete(
                      "WS#" + workspace + "#PHONE#" + Identifier.phone(phone).value(),
                      "IDENTIFIER"),
                  delete(
                      "WS#" + workspace + "#EMAIL#" + Identifier.email(email).value(),
                      "IDENTIFIER")));
      if (crtId != null) {
        deletes.add(delete("CONTACT#" + crtId, "CONTACT"));
      }
      cleanup.batchWriteItem(r -> r.requestItems(Map.of(config.tableName(), deletes)));
      if (i >= warmup) {
        oursMicros[i - warmup] = (middle - start) / 1_000;
        floorMicros[i - warmup] = (end - middle) / 1_000;
        oursOwnMicros[i - warmup] = ((middle - start) - (wireMiddle - wireStart)) / 1_000;
        floorOwnMicros[i - warmup] = ((end - middle) - (wireEnd - wireMiddle)) / 1_000;
      }
    }
    Arrays.sort(oursMicros);
    Arrays.sort(floorMicros);
    Arrays.sort(oursOwnMicros);
    Arrays.sort(floorOwnMicros);
    Arrays.sort(crtMicros);
    System.out.println(
        "RESULT "
            + percentile(oursMicros, 50)
            + " "
            + percentile(oursMicros, 99)
            + " "
            + percentile(floorMicros, 50)
            + " "
            + percentile(floorMicros, 99)
            + " "
            + percentile(oursOwnMicros, 50)
            + " "
            + percentile(floorOwnMicros, 50)
            + (crt == null
                ? ""
                : " " + percentile(crtMicros, 50) + " " + percentile(crtMicros, 99)));
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void reset(DynamoDbClient dynamo, String table, Path seed) throws IOException {
    dynamo.deleteTable(r -> r.tableName(table));
    TableSetup.createIfMissing(dynamo, table);
    new SeedLoader(dynamo, table).load(seed);
  }

  private static WriteRequest delete(String pk, String sk) {
    return WriteRequest.builder()
        .deleteRequest(
            d -> d.key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))))
        .build();
  }

  /** The {@code id} of a contact response, or of the floor's response, whose body holds one. */
  private static String idIn(String json) {
    int start = json.indexOf("\"id\":\"") + 6;
    if (start < 6) {
      start = json.indexOf("\\\"id\\\":\\\"") + 9;
      return json.substring(start, json.indexOf('\\', start));
    }
    return json.substring(start, json.indexOf('"', start));
  }

  static long percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
