package com.voicecrm.contacts.config;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.voicecrm.contacts.config.ServiceContract.MetricNames;
import com.voicecrm.contacts.domain.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The API function's metrics as CloudWatch embedded metric format: one JSON log record per request
 * with its counts (outcome, retries, lost races, 503s, a batch's items by outcome) and each
 * DynamoDB call's latency, which CloudWatch turns into metrics of namespace {@link
 * MetricNames#NAMESPACE}. Dimensions are the environment, the route and the outcome, never a key or
 * a contact. Written with jackson-core, as the log records are: the EMF libraries cost cold-start
 * time (README, Dependencies).
 *
 * <p>Counts gather per thread (Lambda serves one request at a time per instance; the local server
 * one per thread) from the domain ({@link Metrics}) and the DynamoDB client ({@link
 * #dynamoCallTimer()}), and {@link #emit} writes and clears them.
 */
public final class EmfMetrics implements Metrics {

  private static final JsonFactory JSON = new JsonFactory();
  // EMF takes at most 100 values per metric in one record.
  private static final int MAX_VALUES = 100;
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,7}");
  private static final String[] BATCH_ITEM_METRICS = {
    MetricNames.BATCH_ITEMS_CREATED,
    MetricNames.BATCH_ITEMS_UPDATED,
    MetricNames.BATCH_ITEMS_UNCHANGED,
    MetricNames.BATCH_ITEMS_INVALID,
    MetricNames.BATCH_ITEMS_FAILED
  };

  private final String environment;
  private final Consumer<byte[]> sink;
  private final ThreadLocal<Tally> tally = ThreadLocal.withInitial(Tally::new);
  private final DynamoCallTimer timer = new DynamoCallTimer();
  // Set while SnapStart priming runs (at init, before any request): records are built, not written.
  private volatile boolean discarding;

  EmfMetrics(String environment, Consumer<byte[]> sink) {
    this.environment = environment;
    this.sink = sink;
  }

  /**
   * Records to Lambda's log when in Lambda (level UNDEFINED, so no application log level drops
   * them; passed unformatted, so each stays one JSON object), else one line each on stdout.
   */
  public static EmfMetrics fromEnvironment() {
    String name = System.getenv(ServiceContract.ENV_ENVIRONMENT_NAME);
    String environment = name == null || name.isBlank() ? "local" : name;
    Consumer<byte[]> sink =
        System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null
            ? EmfMetrics::toStdout
            : bytes -> LambdaRuntime.getLogger().log(bytes, LogLevel.UNDEFINED);
    return new EmfMetrics(environment, sink);
  }

  private static void toStdout(byte[] record) {
    PrintStream out = System.out;
    out.write(record, 0, record.length);
    out.flush();
  }

  /** The interceptor that times every call of the DynamoDB client it is added to. */
  public ExecutionInterceptor dynamoCallTimer() {
    return timer;
  }

  @Override
  public void written(WriteOutcome outcome) {
    tally.get().outcome = outcome.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void batchItem(ItemOutcome outcome) {
    tally.get().items[outcome.ordinal()]++;
  }

  @Override
  public void retried(boolean lostRace) {
    Tally t = tally.get();
    t.retries++;
    if (lostRace) {
      t.lostRaces++;
    }
  }

  @Override
  public void retriesExhausted(boolean lostRace) {
    Tally t = tally.get();
    t.retriesExhausted++;
    if (lostRace) {
      t.lostRacesExhausted++;
    }
  }

  /**
   * Writes this thread's record for the request just answered and starts the next one empty.
   * Returns the record's outcome, for the request's log line.
   */
  public String emit(String method, String resource, int status, String requestId) {
    Tally t = tally.get();
    tally.remove();
    byte[] record =
        record(System.currentTimeMillis(), route(method, resource), status, requestId, t);
    if (!discarding) {
      sink.accept(record);
    }
    return outcome(t.outcome, status);
  }

  /** Runs {@code work} with every record it emits built but dropped (SnapStart priming). */
  public <T> T discarding(Supplier<T> work) {
    discarding = true;
    try {
      return work.get();
    } finally {
      discarding = false;
    }
  }

  /** The route dimension, bounded: an unknown method or path is {@code other}. */
  static String route(String method, String resource) {
    String verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
    if (resource == null
        || !ServiceContract.RESOURCES.contains(resource)
        || !METHOD.matcher(verb).matches()) {
      return "other";
    }
    return verb + " " + resource;
  }

  /** What the request came to: the domain's outcome of a write, else its status's meaning. */
  static String outcome(String written, int status) {
    if (written != null && status < 300) {
      return written;
    }
    return switch (status) {
      case 400, 405, 413, 415 -> "invalid";
      case 409 -> "conflict";
      case 401, 403 -> "denied";
      case 404 -> "not-found";
      case 503 -> "unavailable";
      case 207 -> "partial";
      default -> status < 300 ? "ok" : status >= 500 ? "error" : "rejected";
    };
  }

  byte[] record(long timestamp, String route, int status, String requestId, Tally t) {
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
      if (t.isBatch()) {
        for (String name : BATCH_ITEM_METRICS) {
          count(g, name);
        }
      }
      if (t.calls > 0) {
        definition(g, MetricNames.DYNAMODB_LATENCY, "Milliseconds");
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeStringField(MetricNames.ENVIRONMENT, environment);
      g.writeStringField(MetricNames.ROUTE, route);
      g.writeStringField(MetricNames.OUTCOME, outcome(t.outcome, status));
      // Properties, not dimensions: for Logs Insights, at no metric cost.
      g.writeNumberField("status", status);
      if (requestId != null) {
        g.writeStringField("requestId", requestId);
      }
      g.writeNumberField(MetricNames.REQUESTS, 1);
      g.writeNumberField(MetricNames.RETRIES, t.retries);
      g.writeNumberField(MetricNames.LOST_RACES, t.lostRaces);
      g.writeNumberField(MetricNames.RETRIES_EXHAUSTED, t.retriesExhausted);
      g.writeNumberField(MetricNames.LOST_RACES_EXHAUSTED, t.lostRacesExhausted);
      g.writeNumberField(
          MetricNames.UNAVAILABLE, (status == 503 ? 1 : 0) + t.items(ItemOutcome.UNAVAILABLE));
      g.writeNumberField(MetricNames.DYNAMODB_CALLS, t.calls);
      if (t.isBatch()) {
        g.writeNumberField(MetricNames.BATCH_ITEMS_CREATED, t.items(ItemOutcome.CREATED));
        g.writeNumberField(MetricNames.BATCH_ITEMS_UPDATED, t.items(ItemOutcome.UPDATED));
        g.writeNumberField(MetricNames.BATCH_ITEMS_UNCHANGED, t.items(ItemOutcome.UNCHANGED));
        g.writeNumberField(MetricNames.BATCH_ITEMS_INVALID, t.items(ItemOutcome.INVALID));
        g.writeNumberField(
            MetricNames.BATCH_ITEMS_FAILED,
            t.items(ItemOutcome.CONFLICT)
                + t.items(ItemOutcome.NOT_FOUND)
                + t.items(ItemOutcome.UNAVAILABLE)
                + t.items(ItemOutcome.ERROR));
      }
      if (t.calls > 0) {
        g.writeArrayFieldStart(MetricNames.DYNAMODB_LATENCY);
        for (int i = 0; i < t.latencyCount; i++) {
          g.writeNumber(t.latencyMillis[i]);
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

  /** One request's counts so far. */
  static final class Tally {
    String outcome;
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
  }

  /** Times each DynamoDB call from the SDK's first step to its last, retries included. */
  private final class DynamoCallTimer implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED =
        new ExecutionAttribute<>("ContactsDynamoCallStarted");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      stop(attributes);
    }

    @Override
    public void onExecutionFailure(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      stop(attributes);
    }

    private void stop(ExecutionAttributes attributes) {
      Long started = attributes.getAttribute(STARTED);
      if (started != null) {
        tally.get().call(System.nanoTime() - started);
      }
    }
  }
}
