package com.voicecrm.contacts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voicecrm.contacts.domain.Metrics.ItemOutcome;
import com.voicecrm.contacts.domain.Metrics.WriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

class EmfMetricsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<byte[]> records = new ArrayList<>();
  private final EmfMetrics metrics = new EmfMetrics("dev", records::add);

  @Test
  void emit_writesOneEmfObject_withNamespaceDimensionsAndDefinitions() throws Exception {
    metrics.written(WriteOutcome.UPDATED);
    metrics.retried(true);
    metrics.retried(false);

    String outcome = metrics.emit("POST", "/v1/contacts/upsert", 200, "req-1");

    assertEquals("updated", outcome, "the outcome of the record, for the request's log line");
    assertEquals(1, records.size());
    String line = new String(records.get(0), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line");
    JsonNode record = JSON.readTree(line);
    JsonNode directives = record.path("_aws").path("CloudWatchMetrics");
    assertTrue(record.path("_aws").path("Timestamp").isIntegralNumber());
    assertEquals(2, directives.size());
    assertEquals("ContactsApi", directives.get(0).path("Namespace").asText());
    assertEquals(
        "[[\"Environment\",\"Route\",\"Outcome\"]]",
        directives.get(0).path("Dimensions").toString());
    assertEquals("[[\"Environment\"]]", directives.get(1).path("Dimensions").toString());
    assertEquals(Set.of("Requests"), names(directives.get(0)));
    // No DynamoDB call was made: its latency is not defined (an absent value is invalid EMF).
    assertEquals(
        Set.of(
            "Retries",
            "LostRaces",
            "RetriesExhausted",
            "LostRacesExhausted",
            "ServiceUnavailable",
            "DynamoDbCalls"),
        names(directives.get(1)));
    for (JsonNode directive : directives) {
      for (JsonNode definition : directive.path("Metrics")) {
        assertEquals("Count", definition.path("Unit").asText());
        assertTrue(record.has(definition.path("Name").asText()), "each metric has its value");
      }
    }
    assertEquals("dev", record.path("Environment").asText());
    assertEquals("POST /v1/contacts/upsert", record.path("Route").asText());
    assertEquals("updated", record.path("Outcome").asText());
    assertEquals(1, record.path("Requests").asInt());
    assertEquals(2, record.path("Retries").asInt());
    assertEquals(1, record.path("LostRaces").asInt());
    assertEquals(0, record.path("RetriesExhausted").asInt());
    assertEquals(0, record.path("ServiceUnavailable").asInt());
    assertEquals(200, record.path("status").asInt());
    assertEquals("req-1", record.path("requestId").asText());
  }

  @Test
  void emit_carriesNoKeyOrContact_andStartsTheNextRequestEmpty() throws Exception {
    metrics.written(WriteOutcome.CREATED);
    metrics.retried(true);
    metrics.emit("POST", "/v1/contacts", 201, "req-1");
    metrics.emit("GET", "/v1/contacts/{id}", 200, "req-2");

    JsonNode second = JSON.readTree(records.get(1));
    assertEquals("ok", second.path("Outcome").asText());
    assertEquals(0, second.path("Retries").asInt());
    Set<String> fields = new TreeSet<>();
    second.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        new TreeSet<>(
            List.of(
                "_aws",
                "Environment",
                "Route",
                "Outcome",
                "status",
                "requestId",
                "Requests",
                "Retries",
                "LostRaces",
                "RetriesExhausted",
                "LostRacesExhausted",
                "ServiceUnavailable",
                "DynamoDbCalls")),
        fields,
        "only these fields: no key id, account, workspace or contact id");
    // The route dimension is the resource template, never the path with the contact's id.
    assertEquals("GET /v1/contacts/{id}", second.path("Route").asText());
  }

  @Test
  void dynamoCallTimer_addsEachCallsLatency_inMilliseconds() throws Exception {
    ExecutionInterceptor timer = metrics.dynamoCallTimer();
    for (int call = 0; call < 2; call++) {
      ExecutionAttributes attributes = new ExecutionAttributes();
      timer.beforeExecution(null, attributes);
      timer.afterExecution(null, attributes);
    }
    ExecutionAttributes failed = new ExecutionAttributes();
    timer.beforeExecution(null, failed);
    timer.onExecutionFailure(null, failed);

    metrics.emit("POST", "/v1/contacts/upsert", 201, "req-1");

    JsonNode record = JSON.readTree(records.get(0));
    assertEquals(3, record.path("DynamoDbCalls").asInt());
    assertEquals(3, record.path("DynamoDbCallLatency").size());
    for (JsonNode value : record.path("DynamoDbCallLatency")) {
      assertTrue(value.isNumber() && value.asDouble() >= 0);
    }
    JsonNode latency = record.path("_aws").path("CloudWatchMetrics").get(1).path("Metrics");
    assertTrue(
        latency
            .toString()
            .contains("{\"Name\":\"DynamoDbCallLatency\",\"Unit\":\"Milliseconds\"}"));
  }

  @Test
  void retriesExhausted_countsThe503_andWhetherContentionCausedIt() throws Exception {
    metrics.retried(true);
    metrics.retriesExhausted(true);
    metrics.emit("POST", "/v1/contacts/upsert", 503, "req-1");

    JsonNode record = JSON.readTree(records.get(0));
    assertEquals("unavailable", record.path("Outcome").asText());
    assertEquals(1, record.path("RetriesExhausted").asInt());
    assertEquals(1, record.path("LostRacesExhausted").asInt());
    assertEquals(1, record.path("ServiceUnavailable").asInt());
  }

  @Test
  void batch207_isPartial_countsEachItemByOutcome_andEachItem503AsUnavailable() throws Exception {
    metrics.batchItem(ItemOutcome.CREATED);
    metrics.batchItem(ItemOutcome.CREATED);
    metrics.batchItem(ItemOutcome.UPDATED);
    metrics.batchItem(ItemOutcome.UNCHANGED);
    metrics.batchItem(ItemOutcome.INVALID);
    metrics.batchItem(ItemOutcome.CONFLICT);
    metrics.batchItem(ItemOutcome.UNAVAILABLE);
    metrics.batchItem(ItemOutcome.UNAVAILABLE);

    String outcome = metrics.emit("POST", "/v1/contacts/batch/upsert", 207, "req-1");

    assertEquals("partial", outcome);
    JsonNode record = JSON.readTree(records.get(0));
    assertEquals("partial", record.path("Outcome").asText());
    assertEquals("POST /v1/contacts/batch/upsert", record.path("Route").asText());
    assertEquals(1, record.path("Requests").asInt());
    assertEquals(2, record.path("ServiceUnavailable").asInt(), "each item answered 503");
    assertEquals(2, record.path("BatchItemsCreated").asInt());
    assertEquals(1, record.path("BatchItemsUpdated").asInt());
    assertEquals(1, record.path("BatchItemsUnchanged").asInt());
    assertEquals(1, record.path("BatchItemsInvalid").asInt());
    assertEquals(3, record.path("BatchItemsFailed").asInt(), "the 409 and the two 503s");
    JsonNode directives = record.path("_aws").path("CloudWatchMetrics");
    assertEquals("[[\"Environment\"]]", directives.get(1).path("Dimensions").toString());
    assertTrue(
        names(directives.get(1))
            .containsAll(
                Set.of(
                    "BatchItemsCreated",
                    "BatchItemsUpdated",
                    "BatchItemsUnchanged",
                    "BatchItemsInvalid",
                    "BatchItemsFailed")));
  }

  @Test
  void batch200_isOk_andARequestWithoutItems_declaresNoItemMetrics() throws Exception {
    metrics.batchItem(ItemOutcome.UPDATED);
    metrics.emit("POST", "/v1/contacts/batch/upsert", 200, "req-1");
    metrics.emit("POST", "/v1/contacts/upsert", 200, "req-2");

    JsonNode batch = JSON.readTree(records.get(0));
    assertEquals("ok", batch.path("Outcome").asText());
    assertEquals(1, batch.path("BatchItemsUpdated").asInt());
    assertEquals(0, batch.path("ServiceUnavailable").asInt());
    JsonNode single = JSON.readTree(records.get(1));
    assertFalse(single.has("BatchItemsUpdated"), single::toString);
    assertFalse(
        names(single.path("_aws").path("CloudWatchMetrics").get(1)).contains("BatchItemsUpdated"));
  }

  @Test
  void discarding_buildsButDropsTheRecords_ofSnapStartPriming() {
    String status =
        metrics.discarding(
            () -> {
              metrics.emit("POST", "/v1/contacts/upsert", 404, "priming");
              return "primed";
            });
    metrics.emit("GET", "/v1/contacts/{id}", 200, "req-1");

    assertEquals("primed", status);
    assertEquals(1, records.size(), "only the request after priming is recorded");
  }

  @Test
  void outcome_comesFromTheDomainOnSuccess_elseFromTheStatus() {
    assertEquals("created", EmfMetrics.outcome("created", 201));
    assertEquals("unchanged", EmfMetrics.outcome("unchanged", 200));
    assertEquals("invalid", EmfMetrics.outcome(null, 400));
    assertEquals("invalid", EmfMetrics.outcome(null, 413));
    assertEquals("invalid", EmfMetrics.outcome(null, 415));
    assertEquals("conflict", EmfMetrics.outcome(null, 409));
    assertEquals("denied", EmfMetrics.outcome(null, 403));
    assertEquals("not-found", EmfMetrics.outcome(null, 404));
    assertEquals("unavailable", EmfMetrics.outcome(null, 503));
    assertEquals("error", EmfMetrics.outcome(null, 500));
    assertEquals("ok", EmfMetrics.outcome(null, 204));
    assertEquals("partial", EmfMetrics.outcome(null, 207));
  }

  @Test
  void route_isBounded_soNoClientCanMintDimensionValues() {
    assertEquals("DELETE /v1/contacts/{id}", EmfMetrics.route("delete", "/v1/contacts/{id}"));
    assertEquals("other", EmfMetrics.route("GET", "/v2/leads"));
    assertEquals("other", EmfMetrics.route("GET", "/{proxy+}"));
    assertEquals("other", EmfMetrics.route("X-ANYTHING-LONG", "/v1/contacts"));
    assertEquals("other", EmfMetrics.route(null, null));
    assertFalse(EmfMetrics.route("POST", "/v1/contacts").isEmpty());
  }

  private static Set<String> names(JsonNode directive) {
    Set<String> names = new TreeSet<>();
    directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    return names;
  }
}
