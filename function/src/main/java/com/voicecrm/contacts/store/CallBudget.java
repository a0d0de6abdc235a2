package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Deadline;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * The request's remaining time, less the margin to answer, as the timeout of the next call: the
 * SDK's own timeouts (several seconds with its retries) could otherwise outlast the function.
 */
final class CallBudget {

  /** Calls bounded by the client's own timeouts only. */
  static final CallBudget NONE = new CallBudget(null);

  /** Time kept after the last call of a request to answer it, a 503 included. */
  static final long ANSWER_MARGIN_MILLIS = ServiceContract.TIMEOUTS.answerMargin().toMillis();

  static final long MIN_CALL_MILLIS = ServiceContract.TIMEOUTS.minimumCall().toMillis();

  private final Deadline deadline;

  private CallBudget(Deadline deadline) {
    this.deadline = deadline;
  }

  static CallBudget of(Deadline deadline) {
    return new CallBudget(deadline);
  }

  /**
   * The override for the next call, null when unbounded.
   *
   * @throws ContactStore.Unavailable when too little time is left to start a call
   */
  AwsRequestOverrideConfiguration next() {
    if (deadline == null) {
      return null;
    }
    long budget = deadline.remainingMillis() - ANSWER_MARGIN_MILLIS;
    if (budget < MIN_CALL_MILLIS) {
      throw new ContactStore.Unavailable("no time left for another DynamoDB call", null);
    }
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(Duration.ofMillis(budget))
        .build();
  }
}
