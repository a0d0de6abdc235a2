package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.Idempotency.Answer;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import java.time.Instant;
import java.util.Optional;

/**
 * A write sent with an {@code Idempotency-Key} (SPEC 11): its claim, the request that sends it, and
 * how the api layer renders the answer a decided write will give. Every attempt replays a live
 * record of the same request before deciding anything; a decided write carries its rendered answer
 * as the record committed in the write's own transaction.
 */
public record IdempotentWrite(Claim claim, String requestId, AnswerRenderer renderer) {

  /** The answer a write gives, as the client will receive it; opaque to the domain. */
  @FunctionalInterface
  public interface AnswerRenderer {
    Answer render(Contact contact, Workspace workspace, Decision.Effect effect);
  }

  /**
   * A replay of {@code found} when it is a live record of this request; empty when the request must
   * be decided.
   *
   * @throws DomainException.IdempotencyKeyReused when the key answered another request
   */
  public Optional<Decision> replayOf(Optional<Record> found, Instant now) {
    return claim.replayFrom(found, now).map(Decision.Replay::new);
  }

  /** {@code decision} with this request's answer committed in its write, when it writes. */
  public Decision recordedIn(Decision decision, Workspace workspace, Instant now) {
    if (!(decision instanceof Decision.Write write)) {
      return decision;
    }
    Answer answer = renderer.render(write.contact(), workspace, write.effect());
    return new Decision.Write(
        write.write().withRecord(claim.recording(answer, requestId, now)), write.effect());
  }
}
