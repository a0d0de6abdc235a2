package com.voicecrm.contacts.it;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Fails chosen DynamoDB calls the way DynamoDB and the network fail them, from inside the SDK's
 * request pipeline, so the SDK's own retries, the store's error mapping and the service's retry
 * loop all see exactly what they would see in AWS. A rule names an operation, the calls of it to
 * fail (1-based; counted per HTTP attempt, or per SDK call for {@link Phase#RESPONSE_LOST}), the
 * fault and when it strikes:
 *
 * <ul>
 *   <li>{@link Phase#BEFORE_SEND}: the request never reaches the server;
 *   <li>{@link Phase#AFTER_SEND}: the server applied it but the attempt fails (the SDK may retry);
 *   <li>{@link Phase#RESPONSE_LOST}: the server applied it and the SDK, done retrying, fails.
 * </ul>
 */
final class FaultInjector implements ExecutionInterceptor {

  enum Phase {
    BEFORE_SEND,
    AFTER_SEND,
    RESPONSE_LOST
  }

  enum Kind {
    THROTTLING,
    PROVISIONED_THROUGHPUT,
    TRANSACTION_CONFLICT,
    TRANSACTION_THROTTLED,
    INTERNAL_ERROR,
    ATTEMPT_TIMEOUT,
    CONNECTION_RESET,
    /** A request DynamoDB rejects as invalid: a bug of the store, never retried, a 500. */
    VALIDATION;

    /** Whether DynamoDB can answer {@code operation} with this transient fault. */
    boolean appliesTo(String operation) {
      return this != VALIDATION
          && (operation.equals("TransactWriteItems")
              || (this != TRANSACTION_CONFLICT && this != TRANSACTION_THROTTLED));
    }
  }

  /**
   * Fail {@code calls} of {@code operation} (every call when empty) with {@code kind} at {@code
   * phase}.
   */
  record Rule(String operation, Phase phase, Kind kind, Set<Integer> calls) {
    boolean matches(String op, Phase at, int call) {
      return operation.equals(op) && phase == at && (calls.isEmpty() || calls.contains(call));
    }

    @Override
    public String toString() {
      return kind + "@" + operation + "/" + phase + (calls.isEmpty() ? "/every" : "/" + calls);
    }
  }

  private static final ExecutionAttribute<Integer> ATTEMPT =
      new ExecutionAttribute<>("fault-attempt");
  private static final ExecutionAttribute<Integer> EXECUTION =
      new ExecutionAttribute<>("fault-execution");

  /**
   * One scenario's plan and counts. The synchronous client runs the interceptor on the caller's
   * thread, so each test thread arms its own plan and scenarios can run side by side.
   */
  private static final class Plan {
    List<Rule> rules = List.of();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    final List<String> injected = new ArrayList<>();
  }

  private final ThreadLocal<Plan> plan = ThreadLocal.withInitial(Plan::new);

  /** Starts a scenario on this thread: these rules, call counts from zero. */
  void arm(List<Rule> newRules) {
    Plan fresh = new Plan();
    fresh.rules = List.copyOf(newRules);
    plan.set(fresh);
  }

  void disarm() {
    plan.get().rules = List.of();
  }

  /** The faults thrown on this thread since {@link #arm}, in order. */
  List<String> injected() {
    return List.copyOf(plan.get().injected);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    attributes.putAttribute(
        EXECUTION, counter(plan.get().executions, operation(attributes)).incrementAndGet());
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    int attempt = counter(plan.get().attempts, operation(attributes)).incrementAndGet();
    attributes.putAttribute(ATTEMPT, attempt);
    strike(Phase.BEFORE_SEND, attributes, attempt);
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    strike(Phase.AFTER_SEND, attributes, attributes.getAttribute(ATTEMPT));
  }

  @Override
  public SdkResponse modifyResponse(
      Context.ModifyResponse context, ExecutionAttributes attributes) {
    strike(Phase.RESPONSE_LOST, attributes, attributes.getAttribute(EXECUTION));
    return context.response();
  }

  private void strike(Phase phase, ExecutionAttributes attributes, int call) {
    String op = operation(attributes);
    Plan current = plan.get();
    for (Rule rule : current.rules) {
      if (rule.matches(op, phase, call)) {
        current.injected.add(rule.kind() + "@" + op + "#" + call + "/" + phase);
        throw fault(rule.kind());
      }
    }
  }

  private static String operation(ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }

  private static AtomicInteger counter(Map<String, AtomicInteger> counters, String op) {
    return counters.computeIfAbsent(op, k -> new AtomicInteger());
  }

  /** The exception DynamoDB's client raises for {@code kind}, as the SDK would build it. */
  static SdkException fault(Kind kind) {
    return switch (kind) {
      case THROTTLING ->
          DynamoDbException.builder()
              .message("Rate of requests exceeds the allowed throughput.")
              .statusCode(400)
              .awsErrorDetails(
                  details(
                      "ThrottlingException",
                      400,
                      "Rate of requests exceeds the allowed throughput."))
              .build();
      case PROVISIONED_THROUGHPUT ->
          ProvisionedThroughputExceededException.builder()
              .message("The level of configured provisioned throughput for the table was exceeded.")
              .statusCode(400)
              .awsErrorDetails(
                  details(
                      "ProvisionedThroughputExceededException",
                      400,
                      "The level of configured provisioned throughput for the table was exceeded."))
              .build();
      case TRANSACTION_CONFLICT ->
          cancelled("TransactionConflict", "Transaction is ongoing for the item");
      case TRANSACTION_THROTTLED ->
          cancelled(
              "ThrottlingError", "Throughput exceeds the current capacity of your table or index.");
      case INTERNAL_ERROR ->
          InternalServerErrorException.builder()
              .message("Internal server error")
              .statusCode(500)
              .awsErrorDetails(details("InternalServerError", 500, "Internal server error"))
              .build();
      case ATTEMPT_TIMEOUT -> ApiCallAttemptTimeoutException.create(3_000);
      case VALIDATION ->
          DynamoDbException.builder()
              .message("One or more parameter values were invalid: table contacts-reliability")
              .statusCode(400)
              .awsErrorDetails(
                  details(
                      "ValidationException",
                      400,
                      "One or more parameter values were invalid: table contacts-reliability"))
              .build();
      case CONNECTION_RESET ->
          SdkClientException.builder()
              .message("Unable to execute HTTP request: Connection reset")
              .cause(new SocketException("Connection reset"))
              .build();
    };
  }

  private static TransactionCanceledException cancelled(String code, String message) {
    String text =
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
            + code
            + "]";
    return TransactionCanceledException.builder()
        .message(text)
        .statusCode(400)
        .awsErrorDetails(details("TransactionCanceledException", 400, text))
        .cancellationReasons(
            CancellationReason.builder().code("None").build(),
            CancellationReason.builder().code(code).message(message).build())
        .build();
  }

  private static AwsErrorDetails details(String code, int status, String message) {
    return AwsErrorDetails.builder()
        .errorCode(code)
        .errorMessage(message)
        .serviceName("DynamoDb")
        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build())
        .build();
  }
}
