package com.voicecrm.contacts.config;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.voicecrm.contacts.config.ServiceContract.MetricNames;
import com.voicecrm.contacts.domain.Metrics;
import java.io.PrintStream;
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

  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,7}");

  private final String environment;
  private final Consumer<byte[]> sink;
  private final ThreadLocal<EmfRecord> tally = ThreadLocal.withInitial(EmfRecord::new);
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
    tally.get().written = outcome.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void batchItem(ItemOutcome outcome) {
    tally.get().items[outcome.ordinal()]++;
  }

  @Override
  public void retried(boolean lostRace) {
    EmfRecord t = tally.get();
    t.retries++;
    if (lostRace) {
      t.lostRaces++;
    }
  }

  @Override
  public void retriesExhausted(boolean lostRace) {
    EmfRecord t = tally.get();
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
    EmfRecord t = tally.get();
    tally.remove();
    String outcome = outcome(t.written, status);
    byte[] record =
        t.toJson(
            System.currentTimeMillis(),
            environment,
            route(method, resource),
            outcome,
            status,
            requestId);
    if (!discarding) {
      sink.accept(record);
    }
    return outcome;
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
