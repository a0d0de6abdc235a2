package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.FaultInjector.Kind;
import com.voicecrm.contacts.it.FaultInjector.Phase;
import com.voicecrm.contacts.it.FaultInjector.Rule;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The function's embedded-metric-format records, captured from stdout (where they go outside
 * Lambda) while requests run through the local gateway against moto: one record per request, its
 * outcome as the client saw it, DynamoDB calls timed, retries counted, no key or contact in it.
 */
class MetricsIT {

  @Test
  void eachWrite_emitsOneRecord_withItsOutcome_andNoKeyOrContact() {
    Tenant tenant = TestApi.newTenant("America/New_York");
    Map<String, Object> lead =
        Map.of(
            "workspaceId",
            tenant.workspaceId(),
            "phone",
            "+1 415-555-0177",
            "email",
            "metrics.lead@example.com",
            "firstName",
            "Mia");
    List<String> sent = new ArrayList<>();

    List<JsonNode> records =
        capture(
            () -> {
              Response created = TestApi.upsert(tenant.accountKey(), lead);
              sent.add(created.json().path("id").asText());
              assertEquals(201, created.status(), created::toString);
              Map<String, Object> renamed = new java.util.HashMap<>(lead);
              renamed.put("firstName", "Maya");
              assertEquals(200, TestApi.upsert(tenant.accountKey(), renamed).status());
              assertEquals(200, TestApi.upsert(tenant.accountKey(), renamed).status());
              assertEquals(
                  400,
                  TestApi.upsert(
                          tenant.accountKey(),
                          Map.of("workspaceId", tenant.workspaceId(), "email", "not-an-email"))
                      .status());
              assertEquals(
                  409,
                  TestApi.call("POST", "/v1/contacts", tenant.accountKey(), TestApi.json(renamed))
                      .status());
              return null;
            });

    assertEquals(5, records.size(), "one record per request: " + records);
    assertEquals(
        List.of("created", "updated", "unchanged", "invalid", "conflict"),
        records.stream().map(r -> r.path("Outcome").asText()).toList());
    assertEquals(
        List.of(
            "POST /v1/contacts/upsert",
            "POST /v1/contacts/upsert",
            "POST /v1/contacts/upsert",
            "POST /v1/contacts/upsert",
            "POST /v1/contacts"),
        records.stream().map(r -> r.path("Route").asText()).toList());
    for (JsonNode record : records) {
      assertEquals("local", record.path("Environment").asText());
      assertEquals("ContactsApi", record.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
      assertEquals(1, record.path("Requests").asInt());
      assertEquals(0, record.path("ServiceUnavailable").asInt());
      String text = record.toString();
      for (String secret :
          List.of(
              tenant.accountKey(),
              tenant.accountKey().substring("sk_test_".length()),
              tenant.accountId(),
              tenant.workspaceId(),
              sent.get(0),
              "4155550177",
              "metrics.lead")) {
        assertFalse(text.contains(secret), "no key, tenant or contact in " + text);
      }
    }
    // The created upsert read and wrote DynamoDB: each call is timed.
    JsonNode created = records.get(0);
    assertTrue(created.path("DynamoDbCalls").asInt() >= 2, created::toString);
    assertEquals(
        Math.min(100, created.path("DynamoDbCalls").asInt()),
        created.path("DynamoDbCallLatency").size());
    assertTrue(
        created.at("/_aws/CloudWatchMetrics/1/Metrics").toString().contains("DynamoDbCallLatency"));
  }

  @Test
  void lostRaces_untilTheRetriesRunOut_countAs503_withTheirRetries() {
    FaultInjector faults = new FaultInjector();
    try (Rig rig = Rig.open(Rig.clientWith(faults), new RetryPolicy(3, 5, 20, 1_000))) {
      Tenant tenant = rig.newTenant(null);
      faults.arm(
          List.of(
              new Rule(
                  "TransactWriteItems", Phase.BEFORE_SEND, Kind.TRANSACTION_CONFLICT, Set.of())));

      List<JsonNode> records =
          capture(
              () -> {
                Response busy =
                    rig.call(
                        "POST",
                        "/v1/contacts/upsert",
                        tenant.accountKey(),
                        TestApi.json(
                            Map.of(
                                "workspaceId",
                                tenant.workspaceId(),
                                "email",
                                "race.lost@example.com")));
                assertEquals(503, busy.status(), busy::toString);
                return null;
              });
      faults.disarm();

      assertEquals(1, records.size(), records::toString);
      JsonNode record = records.get(0);
      assertEquals("unavailable", record.path("Outcome").asText());
      assertEquals(2, record.path("Retries").asInt(), "3 attempts: 2 retries");
      assertEquals(2, record.path("LostRaces").asInt());
      assertEquals(1, record.path("RetriesExhausted").asInt());
      assertEquals(1, record.path("LostRacesExhausted").asInt());
      assertEquals(1, record.path("ServiceUnavailable").asInt());
    }
  }

  @Test
  void aBatch207_isPartial_withEachItemCountedByItsOutcome() {
    Tenant tenant = TestApi.newTenant("UTC");
    Map<String, Object> lead = Map.of("email", "metrics.batch@example.com", "lastName", "Ng");
    Map<String, Object> batch =
        Map.of(
            "workspaceId",
            tenant.workspaceId(),
            "items",
            List.of(
                lead,
                lead,
                Map.of("email", "not-an-email"),
                Map.of("email", "metrics.batch.other@example.com")));

    List<JsonNode> records =
        capture(
            () -> {
              Response answer =
                  TestApi.call(
                      "POST",
                      "/v1/contacts/batch/upsert",
                      tenant.accountKey(),
                      TestApi.json(batch));
              assertEquals(207, answer.status(), answer::toString);
              return null;
            });

    assertEquals(1, records.size(), "one record per request: " + records);
    JsonNode record = records.get(0);
    assertEquals("POST /v1/contacts/batch/upsert", record.path("Route").asText());
    assertEquals("partial", record.path("Outcome").asText());
    assertEquals(2, record.path("BatchItemsCreated").asInt(), record::toString);
    assertEquals(0, record.path("BatchItemsUpdated").asInt());
    assertEquals(1, record.path("BatchItemsUnchanged").asInt());
    assertEquals(1, record.path("BatchItemsInvalid").asInt());
    assertEquals(0, record.path("BatchItemsFailed").asInt());
    assertEquals(0, record.path("ServiceUnavailable").asInt());
  }

  @Test
  void batchItemsAnswered503_countAsServiceUnavailable_eachOne() {
    FaultInjector faults = new FaultInjector();
    try (Rig rig = Rig.open(Rig.clientWith(faults), new RetryPolicy(2, 5, 20, 1_000))) {
      Tenant tenant = rig.newTenant(null);
      faults.arm(
          List.of(
              new Rule(
                  "TransactWriteItems", Phase.BEFORE_SEND, Kind.TRANSACTION_CONFLICT, Set.of())));
      Map<String, Object> batch =
          Map.of(
              "workspaceId",
              tenant.workspaceId(),
              "items",
              // One chain (one email), run on the request's thread, where the faults are armed.
              List.of(
                  Map.of("email", "busy@example.com", "lastName", "One"),
                  Map.of("email", "busy@example.com", "lastName", "Two")));

      List<JsonNode> records =
          capture(
              () -> {
                Response answer =
                    rig.call(
                        "POST",
                        "/v1/contacts/batch/upsert",
                        tenant.accountKey(),
                        TestApi.json(batch));
                assertEquals(207, answer.status(), answer::toString);
                return null;
              });
      faults.disarm();

      assertEquals(1, records.size(), records::toString);
      JsonNode record = records.get(0);
      assertEquals("partial", record.path("Outcome").asText());
      assertEquals(2, record.path("ServiceUnavailable").asInt(), "both items answered 503");
      assertEquals(2, record.path("BatchItemsFailed").asInt());
      // The first ran out of retries; the second, cut from its chain by it, never ran.
      assertEquals(1, record.path("RetriesExhausted").asInt());
      assertEquals(0, record.path("BatchItemsCreated").asInt());
    }
  }

  /** The EMF records {@code requests} writes to stdout, each parsed from its own line. */
  private static List<JsonNode> capture(Supplier<Void> requests) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      requests.get();
    } finally {
      System.setOut(out);
    }
    List<JsonNode> records = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{\"_aws\"")) {
        try {
          records.add(TestApi.JSON.readTree(line));
        } catch (Exception e) {
          throw new AssertionError("not JSON: " + line, e);
        }
      }
    }
    return records;
  }
}
