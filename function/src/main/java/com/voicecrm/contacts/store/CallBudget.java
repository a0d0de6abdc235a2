package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Deadline;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * The request's remaining time, less the margin to answer, as the timeout of the next call: the
 * SDK's own timeouts (several seconds with its retries) could otherwise outlast the function. A
 * write's calls may also have to end by the end of its commit window ({@link #endingBy}).
 */
final class CallBudget {

  /** Calls bounded by the client's own timeouts only. */
  static final CallBudget NONE = new CallBudget(null, null);

  /** Time kept after the last call of a request to answer it, a 503 included. */
  static final long ANSWER_MARGIN_MILLIS = ServiceContract.TIMEOUTS.answerMargin().toMillis();

  static final long MIN_CALL_MILLIS = ServiceContract.TIMEOUTS.minimumCall().toMillis();

  private final Deadline deadline;
  private final Deadline endsBy;

  private CallBudget(Deadline deadline, Deadline endsBy) {
    this.deadline = deadline;
    this.endsBy = endsBy;
  }

  static CallBudget of(Deadline deadline) {
    return new CallBudget(deadline, null);
  }

  /**
   * This budget with every call also ending by {@code endsBy} (no margin kept: what must end then
   * is the call itself, the SDK's retries included).
   */
  CallBudget endingBy(Deadline endsBy) {
    return new CallBudget(deadline, endsBy);
  }

  /**
   * The override for the next call, null when unbounded.
   *
   * @throws ContactStore.Unavailable when too little time is left to start a call
   */
  AwsRequestOverrideConfiguration next() {
    if (deadline == null && endsBy == null) {
      return null;
    }
    long budget =
        deadline == null ? Long.MAX_VALUE : deadline.remainingMillis() - ANSWER_MARGIN_MILLIS;
    if (endsBy != null) {
      budget = Math.min(budget, endsBy.remainingMillis());
    }
    if (budget < MIN_CALL_MILLIS) {
      throw new ContactStore.Unavailable("no time left for another DynamoDB call", null);
    }
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(Duration.ofMillis(budget))
        .build();
  }
}
