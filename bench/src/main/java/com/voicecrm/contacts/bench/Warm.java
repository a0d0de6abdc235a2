package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.bench.floor.FloorHandler;
import com.voicecrm.contacts.bench.floor.MatchedFloorHandler;
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
 * Warm latency in one JVM: the function's upsert, the request-matched floor and the PutItem floor,
 * each invoked as Lambda invokes a stream handler (the event's bytes in, the response's out), in
 * turn so all meet the same machine noise. Each upsert creates a contact (fresh phone and email),
 * the path with the most DynamoDB work. Prints p50 and p99 of each, and the p50 of each one's time
 * off the wire (with {@link RoundTrips} registered), in microseconds.
 */
public final class Warm {

  static final int RESET_EVERY = 50;
  static final String WORKSPACE = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";

  private Warm() {}

  public static void main(String[] args) throws Exception {
    String template = Files.readString(Path.of(args[0]));
    int warmup = Integer.parseInt(args[1]);
    int iterations = Integer.parseInt(args[2]);
    String runId = args[3];
    Path seed = Path.of(args[4]);
    RequestStreamHandler[] handlers = {
      new ContactsApiHandler(), new MatchedFloorHandler(), new FloorHandler()
    };
    AppConfig config = AppConfig.fromEnvironment();
    DynamoDbClient cleanup = DynamoClients.create(config);
    long[][] total = new long[handlers.length][iterations];
    long[][] own = new long[handlers.length][iterations];
    for (int i = 0; i < warmup + iterations; i++) {
      if (i % RESET_EVERY == 0) {
        reset(cleanup, config.tableName(), seed);
      }
      List<WriteRequest> deletes = new ArrayList<>();
      for (int h = 0; h < handlers.length; h++) {
        // 8 digits after +1 415: each run, handler and iteration has its own number and email.
        String phone = String.format("+1415%s%d%05d", runId, h, i % 100_000);
        String email = "ada" + runId + "-" + h + "-" + i + "@example.com";
        byte[] event =
            template
                .replace("+44 20 7946 0958", phone)
                .replace("ada@example.com", email)
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream response = new ByteArrayOutputStream(1024);
        long wireStart = RoundTrips.nanos();
        long start = System.nanoTime();
        handlers[h].handleRequest(new ByteArrayInputStream(event), response, null);
        long end = System.nanoTime();
        long wire = RoundTrips.nanos() - wireStart;
        var answer = ProxyEventJson.readResponse(new ByteArrayInputStream(response.toByteArray()));
        // 201, or 200 when moto stalled past the SDK's attempt timeout and the retried transaction
        // (moto ignores its idempotency token) met the contact the first attempt had created.
        if (answer.getStatusCode() != 201 && answer.getStatusCode() != 200) {
          throw new IllegalStateException(
              "handler " + h + " upsert " + i + " answered " + answer.getBody());
        }
        if (i >= warmup) {
          total[h][i - warmup] = (end - start) / 1_000;
          own[h][i - warmup] = ((end - start) - wire) / 1_000;
        }
        deletes.add(delete("CONTACT#" + idIn(answer.getBody()), "CONTACT"));
        deletes.add(
            delete("WS#" + WORKSPACE + "#PHONE#" + Identifier.phone(phone).value(), "IDENTIFIER"));
        deletes.add(
            delete("WS#" + WORKSPACE + "#EMAIL#" + Identifier.email(email).value(), "IDENTIFIER"));
      }
      // Untimed: what was written is deleted again, so the table stays the same size.
      cleanup.batchWriteItem(r -> r.requestItems(Map.of(config.tableName(), deletes)));
    }
    StringBuilder result = new StringBuilder("RESULT");
    for (int h = 0; h < handlers.length; h++) {
      Arrays.sort(total[h]);
      Arrays.sort(own[h]);
      result
          .append(' ')
          .append(percentile(total[h], 50))
          .append(' ')
          .append(percentile(total[h], 99))
          .append(' ')
          .append(percentile(own[h], 50));
    }
    System.out.println(result);
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

  /** The {@code id} of a contact (or a floor's) response body. */
  private static String idIn(String json) {
    int start = json.indexOf("\"id\":\"") + 6;
    return json.substring(start, json.indexOf('"', start));
  }

  static long percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
