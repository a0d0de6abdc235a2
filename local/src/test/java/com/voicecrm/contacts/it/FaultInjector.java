package com.voicecrm.contacts.it;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

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
 *
 * <p>A rule may also name a {@code target}: then it counts and fails only the calls that touch an
 * item whose partition key ends with it (one batch item's idempotency record {@code #3}, a phone's
 * claim, a contact), so a fault lands on the same call of a batch whatever order its items' threads
 * run in. The plan is inherited by the threads a request starts (a batch's item threads).
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
  record Rule(String operation, Phase phase, Kind kind, Set<Integer> calls, String target) {
    Rule(String operation, Phase phase, Kind kind, Set<Integer> calls) {
      this(operation, phase, kind, calls, null);
    }

    boolean matches(String op, Phase at, int call) {
      return operation.equals(op) && phase == at && (calls.isEmpty() || calls.contains(call));
    }

    /** The name its calls are counted under: the operation's, or the operation's on the target. */
    String counter() {
      return target == null ? operation : operation + "@" + target;
    }

    @Override
    public String toString() {
      return kind + "@" + counter() + "/" + phase + (calls.isEmpty() ? "/every" : "/" + calls);
    }
  }

  private static final ExecutionAttribute<Integer> ATTEMPT =
      new ExecutionAttribute<>("fault-attempt");
  private static final ExecutionAttribute<Integer> EXECUTION =
      new ExecutionAttribute<>("fault-execution");
  // The call counts of a targeted rule's operation on its target, by Rule.counter().
  private static final ExecutionAttribute<Map<String, Integer>> TARGET_ATTEMPT =
      new ExecutionAttribute<>("fault-target-attempt");
  private static final ExecutionAttribute<Map<String, Integer>> TARGET_EXECUTION =
      new ExecutionAttribute<>("fault-target-execution");

  /**
   * One scenario's plan and counts. The synchronous client runs the interceptor on the caller's
   * thread, so each test thread arms its own plan and scenarios can run side by side.
   */
  private static final class Plan {
    volatile List<Rule> rules = List.of();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    final List<String> injected = java.util.Collections.synchronizedList(new ArrayList<>());
    // The partition keys every write call named since arm or resetWrites, faulted or not.
    final List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
  }

  private static final Set<String> WRITES =
      Set.of("TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");

  // Inherited: a batch's item threads, started by the request's thread, share its plan.
  private final InheritableThreadLocal<Plan> plan =
      new InheritableThreadLocal<>() {
        @Override
        protected Plan initialValue() {
          return new Plan();
        }
      };

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
    synchronized (plan.get().injected) {
      return List.copyOf(plan.get().injected);
    }
  }

  /** The partition keys of the write calls made on this thread's plan since the last reset. */
  List<String> written() {
    synchronized (plan.get().written) {
      return List.copyOf(plan.get().written);
    }
  }

  /** The calls made on this thread's plan since {@link #arm}, by operation. */
  Map<String, Integer> calls() {
    Map<String, Integer> calls = new java.util.TreeMap<>();
    plan.get()
        .executions
        .forEach(
            (name, count) -> {
              // Only the operations' own counts, not a targeted rule's.
              if (!name.contains("@")) {
                calls.put(name, count.get());
              }
            });
    return calls;
  }

  void resetWrites() {
    plan.get().written.clear();
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    Plan current = plan.get();
    if (WRITES.contains(operation(attributes))) {
      current.written.addAll(partitionKeys(context.request()));
    }
    attributes.putAttribute(
        EXECUTION, counter(current.executions, operation(attributes)).incrementAndGet());
    attributes.putAttribute(
        TARGET_EXECUTION, targetCounts(current.executions, context.request(), attributes));
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Plan current = plan.get();
    int attempt = counter(current.attempts, operation(attributes)).incrementAndGet();
    attributes.putAttribute(ATTEMPT, attempt);
    attributes.putAttribute(
        TARGET_ATTEMPT, targetCounts(current.attempts, context.request(), attributes));
    strike(Phase.BEFORE_SEND, attributes, attempt, TARGET_ATTEMPT);
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    strike(Phase.AFTER_SEND, attributes, attributes.getAttribute(ATTEMPT), TARGET_ATTEMPT);
  }

  @Override
  public SdkResponse modifyResponse(
      Context.ModifyResponse context, ExecutionAttributes attributes) {
    strike(Phase.RESPONSE_LOST, attributes, attributes.getAttribute(EXECUTION), TARGET_EXECUTION);
    return context.response();
  }

  private void strike(
      Phase phase,
      ExecutionAttributes attributes,
      int call,
      ExecutionAttribute<Map<String, Integer>> targetCalls) {
    String op = operation(attributes);
    Plan current = plan.get();
    Map<String, Integer> targeted = attributes.getAttribute(targetCalls);
    for (Rule rule : current.rules) {
      if (rule.target() != null) {
        Integer targetCall = targeted == null ? null : targeted.get(rule.counter());
        if (targetCall != null && rule.matches(op, phase, targetCall)) {
          current.injected.add(rule.kind() + "@" + rule.counter() + "#" + targetCall + "/" + phase);
          throw fault(rule.kind());
        }
      } else if (rule.matches(op, phase, call)) {
        current.injected.add(rule.kind() + "@" + op + "#" + call + "/" + phase);
        throw fault(rule.kind());
      }
    }
  }

  /**
   * Counts this call for every armed rule whose operation it is and whose target it touches; the
   * counts, by {@link Rule#counter()}.
   */
  private Map<String, Integer> targetCounts(
      Map<String, AtomicInteger> counters, SdkRequest request, ExecutionAttributes attributes) {
    String op = operation(attributes);
    Map<String, Integer> counts = new java.util.HashMap<>();
    List<String> keys = null;
    for (Rule rule : plan.get().rules) {
      if (rule.target() == null || !rule.operation().equals(op)) {
        continue;
      }
      if (keys == null) {
        keys = partitionKeys(request);
      }
      if (!counts.containsKey(rule.counter())
          && keys.stream().anyMatch(pk -> pk.endsWith(rule.target()))) {
        counts.put(rule.counter(), counter(counters, rule.counter()).incrementAndGet());
      }
    }
    return counts;
  }

  /** The partition keys of the items {@code request} reads or writes. */
  static List<String> partitionKeys(SdkRequest request) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    if (request instanceof BatchGetItemRequest batch) {
      batch.requestItems().values().forEach(read -> keys.addAll(read.keys()));
    } else if (request instanceof GetItemRequest get) {
      keys.add(get.key());
    } else if (request instanceof PutItemRequest put) {
      keys.add(put.item());
    } else if (request instanceof UpdateItemRequest update) {
      keys.add(update.key());
    } else if (request instanceof DeleteItemRequest delete) {
      keys.add(delete.key());
    } else if (request instanceof TransactWriteItemsRequest transaction) {
      for (TransactWriteItem item : transaction.transactItems()) {
        if (item.put() != null) {
          keys.add(item.put().item());
        } else if (item.update() != null) {
          keys.add(item.update().key());
        } else if (item.delete() != null) {
          keys.add(item.delete().key());
        } else if (item.conditionCheck() != null) {
          keys.add(item.conditionCheck().key());
        }
      }
    }
    return keys.stream()
        .map(key -> key.get("pk"))
        .filter(pk -> pk != null && pk.s() != null)
        .map(AttributeValue::s)
        .toList();
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
