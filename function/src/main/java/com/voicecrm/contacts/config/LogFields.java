package com.voicecrm.contacts.config;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Set;
import org.slf4j.MDC;

/**
 * The fields every log record of one invocation carries (SLF4J's MDC, written by {@link
 * LambdaLogging} as JSON fields): Lambda's request id, the API's request id (the one clients see as
 * X-Request-Id) and the API key's id (a prefix of its hash, never the key); once the request is
 * answered, also its status and outcome, so the summary line can be queried by them.
 */
public final class LogFields {

  public static final String AWS_REQUEST_ID = "AWSRequestId";
  public static final String REQUEST_ID = "requestId";
  public static final String KEY_ID = "keyId";
  public static final String STATUS = "status";

  /**
   * What the request came to, as the metrics' {@code Outcome} says it: {@code created}, {@code
   * updated}, {@code unchanged}, {@code invalid}, {@code conflict}, {@code not-found}, …
   */
  public static final String OUTCOME = "outcome";

  /** Fields written as JSON numbers, not strings (the MDC holds text only). */
  static final Set<String> NUMBERS = Set.of(STATUS);

  private LogFields() {}

  /** Sets the fields for this thread's invocation; {@code null} values are left out. */
  public static void open(Context context, String requestId, String keyId) {
    MDC.clear();
    put(AWS_REQUEST_ID, context == null ? null : context.getAwsRequestId());
    put(REQUEST_ID, requestId);
    put(KEY_ID, keyId);
  }

  /**
   * Adds the answer's status and outcome: set just before the request's summary line, they stay
   * until {@link #close()}.
   */
  public static void answered(int status, String outcome) {
    MDC.put(STATUS, Integer.toString(status));
    put(OUTCOME, outcome);
  }

  /** Clears them: the thread serves another invocation next (the local server's pool). */
  public static void close() {
    MDC.clear();
  }

  /**
   * {@code task} running with the calling thread's fields (a batch's items run on threads of their
   * own), cleared again when it ends.
   */
  public static Runnable carried(Runnable task) {
    java.util.Map<String, String> fields = MDC.getCopyOfContextMap();
    return () -> {
      if (fields != null) {
        MDC.setContextMap(fields);
      }
      try {
        task.run();
      } finally {
        MDC.clear();
      }
    };
  }

  private static void put(String key, String value) {
    if (value != null) {
      MDC.put(key, value);
    }
  }
}
