package com.voicecrm.contacts.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.voicecrm.contacts.config.ServiceContract.MetricNames;
import com.voicecrm.contacts.domain.Metrics.ItemOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One request's counts as {@link EmfMetrics} gathers them, and the embedded-metric-format record
 * that reports them: the {@code _aws} directives (the {@code Requests} count by environment, route
 * and outcome; every other count by environment), then the values.
 */
final class EmfRecord {

  private static final JsonFactory JSON = new JsonFactory();
  // EMF takes at most 100 values per metric in one record.
  private static final int MAX_VALUES = 100;
  private static final String[] BATCH_ITEM_METRICS = {
    MetricNames.BATCH_ITEMS_CREATED,
    MetricNames.BATCH_ITEMS_UPDATED,
    MetricNames.BATCH_ITEMS_UNCHANGED,
    MetricNames.BATCH_ITEMS_INVALID,
    MetricNames.BATCH_ITEMS_FAILED
  };

  /** The domain's outcome of the request's write, when it wrote (created, updated, unchanged). */
  String written;

  int retries;
  int lostRaces;
  int retriesExhausted;
  int lostRacesExhausted;
  int calls;
  int latencyCount;
  final double[] latencyMillis = new double[MAX_VALUES];
  // Batch items by outcome (SPEC 10); all zero for any other request.
  final int[] items = new int[ItemOutcome.values().length];

  int items(ItemOutcome outcome) {
    return items[outcome.ordinal()];
  }

  boolean isBatch() {
    for (int count : items) {
      if (count > 0) {
        return true;
      }
    }
    return false;
  }

  void call(long nanos) {
    calls++;
    if (latencyCount < MAX_VALUES) {
      // Tenths of a millisecond: enough for a percentile, short in the log.
      latencyMillis[latencyCount++] = Math.round(nanos / 100_000.0) / 10.0;
    }
  }

  /** This record as one line of EMF JSON: {@code outcome} and {@code status} are the request's. */
  byte[] toJson(
      long timestamp,
      String environment,
      String route,
      String outcome,
      int status,
      String requestId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(768);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("_aws");
      g.writeNumberField("Timestamp", timestamp);
      g.writeArrayFieldStart("CloudWatchMetrics");
      directive(g, new String[] {MetricNames.ENVIRONMENT, MetricNames.ROUTE, MetricNames.OUTCOME});
      count(g, MetricNames.REQUESTS);
      g.writeEndArray();
      g.writeEndObject();
      directive(g, new String[] {MetricNames.ENVIRONMENT});
      count(g, MetricNames.RETRIES);
      count(g, MetricNames.LOST_RACES);
      count(g, MetricNames.RETRIES_EXHAUSTED);
      count(g, MetricNames.LOST_RACES_EXHAUSTED);
      count(g, MetricNames.UNAVAILABLE);
      count(g, MetricNames.DYNAMODB_CALLS);
      if (isBatch()) {
        for (String name : BATCH_ITEM_METRICS) {
          count(g, name);
        }
      }
      if (calls > 0) {
        definition(g, MetricNames.DYNAMODB_LATENCY, "Milliseconds");
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeStringField(MetricNames.ENVIRONMENT, environment);
      g.writeStringField(MetricNames.ROUTE, route);
      g.writeStringField(MetricNames.OUTCOME, outcome);
      // Properties, not dimensions: for Logs Insights, at no metric cost.
      g.writeNumberField("status", status);
      if (requestId != null) {
        g.writeStringField("requestId", requestId);
      }
      g.writeNumberField(MetricNames.REQUESTS, 1);
      g.writeNumberField(MetricNames.RETRIES, retries);
      g.writeNumberField(MetricNames.LOST_RACES, lostRaces);
      g.writeNumberField(MetricNames.RETRIES_EXHAUSTED, retriesExhausted);
      g.writeNumberField(MetricNames.LOST_RACES_EXHAUSTED, lostRacesExhausted);
      g.writeNumberField(
          MetricNames.UNAVAILABLE, (status == 503 ? 1 : 0) + items(ItemOutcome.UNAVAILABLE));
      g.writeNumberField(MetricNames.DYNAMODB_CALLS, calls);
      if (isBatch()) {
        g.writeNumberField(MetricNames.BATCH_ITEMS_CREATED, items(ItemOutcome.CREATED));
        g.writeNumberField(MetricNames.BATCH_ITEMS_UPDATED, items(ItemOutcome.UPDATED));
        g.writeNumberField(MetricNames.BATCH_ITEMS_UNCHANGED, items(ItemOutcome.UNCHANGED));
        g.writeNumberField(MetricNames.BATCH_ITEMS_INVALID, items(ItemOutcome.INVALID));
        g.writeNumberField(
            MetricNames.BATCH_ITEMS_FAILED,
            items(ItemOutcome.CONFLICT)
                + items(ItemOutcome.NOT_FOUND)
                + items(ItemOutcome.UNAVAILABLE)
                + items(ItemOutcome.ERROR));
      }
      if (calls > 0) {
        g.writeArrayFieldStart(MetricNames.DYNAMODB_LATENCY);
        for (int i = 0; i < latencyCount; i++) {
          g.writeNumber(latencyMillis[i]);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void directive(JsonGenerator g, String[] dimensions) throws IOException {
    g.writeStartObject();
    g.writeStringField("Namespace", MetricNames.NAMESPACE);
    g.writeArrayFieldStart("Dimensions");
    g.writeArray(dimensions, 0, dimensions.length);
    g.writeEndArray();
    g.writeArrayFieldStart("Metrics");
  }

  private static void count(JsonGenerator g, String name) throws IOException {
    definition(g, name, "Count");
  }

  private static void definition(JsonGenerator g, String name, String unit) throws IOException {
    g.writeStartObject();
    g.writeStringField("Name", name);
    g.writeStringField("Unit", unit);
    g.writeEndObject();
  }
}
