package com.voicecrm.contacts.domain;

import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one retry engine of every use case: each attempt reads through the store bounded by the
 * request's {@link Deadline}, decides, and the loop carries the {@link Decision} out. A lost race
 * or an unavailable store means read and decide again, with jittered backoff, within the {@link
 * RetryPolicy} and the deadline; when they run out, 503 with {@code Retry-After}.
 *
 * <p>Was it my write? The store answers written or already written by this request (both a success)
 * or lost a race ({@link ContactStore.Conflict}: decide again). A write whose answer was lost to an
 * unavailable store is sent again as it was, so the store can recognise it; if the contact moved on
 * meanwhile, the next decision recognises this request's own effect from {@link Attempts}.
 *
 * <p>A write is sent only within the policy's commit window of its {@code updatedAt} stamp ({@link
 * RetryPolicy#commitMillisLeft}), and its store calls end with the window: one whose answer was
 * lost after the window passed is not sent again but decided again, and {@link Attempts} lets that
 * decision recognise the lost write's effect if it did land (201 stays 201). So no write commits
 * long after its stamp, which the list walk's settle horizon relies on (SPEC 9).
 */
public final class AttemptLoop {

  static final int RETRY_AFTER_SECONDS = 1;
  static final String CONTACT_TOO_LARGE =
      "The contact has reached the largest size that can be stored and cannot take more tags or"
          + " custom field values";

  private final ContactStore store;
  private final RetryPolicy retryPolicy;
  private final Metrics metrics;
  private final Clock clock;

  /** A loop on the system clock (the commit window is measured on the clock that stamps). */
  public AttemptLoop(ContactStore store, RetryPolicy retryPolicy, Metrics metrics) {
    this(store, retryPolicy, metrics, Clock.systemUTC());
  }

  /**
   * @param clock the clock the decisions stamp {@code updatedAt} with
   */
  public AttemptLoop(ContactStore store, RetryPolicy retryPolicy, Metrics metrics, Clock clock) {
    this.store = store;
    this.retryPolicy = retryPolicy;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One attempt of a write: reads what it needs and decides, knowing what earlier ones wrote. */
  public interface WriteAttempt {
    Decision decide(ContactStore store, Attempts earlier);
  }

  /**
   * What a write did: its contact, and how it changed; {@code recorded} when its transaction
   * carried the request's idempotency record. A replay (SPEC 11) has only {@code replayed}: the
   * record found, whose answer is given.
   */
  public record Outcome(
      Contact contact, Decision.Effect effect, boolean recorded, Idempotency.Record replayed) {

    public Outcome(Contact contact, Decision.Effect effect) {
      this(contact, effect, false, null);
    }

    public boolean created() {
      return effect == Decision.Effect.CREATED;
    }
  }

  /** Reads until the store answers, within the deadline. */
  public <T> T read(Deadline deadline, Function<ContactStore, T> read) {
    ContactStore bounded = store.within(deadline);
    return retrying(deadline, () -> read.apply(bounded));
  }

  /**
   * Calls {@code call} (a read of another port, say a batch's) until it answers, within the policy
   * and the deadline.
   */
  public <T> T retrying(Deadline deadline, Supplier<T> call) {
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        return call.get();
      } catch (ContactStore.Conflict | ContactStore.Unavailable e) {
        pauseBeforeRetry(attempt, deadline, e instanceof ContactStore.Conflict);
      }
    }
  }

  /** Decides and writes until one attempt's decision is carried out, within the deadline. */
  public Outcome write(Deadline deadline, WriteAttempt decide) {
    ContactStore bounded = store.within(deadline);
    Attempts attempts = Attempts.NONE;
    // A write whose answer was lost: sent again exactly as it was, so that the store can tell
    // "already written by this request" from the condition it fails on.
    Decision.Write unconfirmed = null;
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        Decision decision = unconfirmed != null ? unconfirmed : decide.decide(bounded, attempts);
        unconfirmed = null;
        if (decision instanceof Decision.Write write) {
          ContactStore committing = committing(bounded, write);
          // Recorded before the call: the call may be applied and still fail on the way back.
          attempts = attempts.and(write.contact(), write.write().expectedVersion() == null);
          try {
            committing.write(write.write());
          } catch (ContactStore.Unavailable e) {
            unconfirmed = write;
            throw e;
          }
          Outcome written = succeeded(write.contact(), write.effect());
          return write.write().idempotencyRecord() == null
              ? written
              : new Outcome(written.contact(), written.effect(), true, null);
        }
        if (decision instanceof Decision.Replay replay) {
          return new Outcome(null, null, false, replay.record());
        }
        if (decision instanceof Decision.Answer answer) {
          return succeeded(answer.contact(), answer.effect());
        }
        if (decision instanceof Decision.ReadAgain readAgain) {
          throw new ContactStore.Conflict(readAgain.why());
        }
        throw ((Decision.Rejection) decision).exception();
      } catch (ContactStore.Conflict | ContactStore.Unavailable e) {
        pauseBeforeRetry(attempt, deadline, e instanceof ContactStore.Conflict);
      } catch (ContactStore.TooLarge e) {
        // Tags and custom field values add up over many writes, each of them valid.
        throw new DomainException.Conflict(CONTACT_TOO_LARGE);
      }
    }
  }

  /**
   * {@code bounded} with the write's calls ending with its commit window.
   *
   * @throws ContactStore.Unavailable when the window has passed already: nothing is sent, and the
   *     next attempt decides again (sent now, a lost write could land behind a list walk's cursor;
   *     if it did land, that decision finds its effect in the attempts)
   */
  private ContactStore committing(ContactStore bounded, Decision.Write write) {
    Long left = retryPolicy.commitMillisLeft(write.contact(), clock.instant());
    if (left == null) {
      return bounded;
    }
    if (left <= 0) {
      throw new ContactStore.Unavailable(
          "the write's commit window passed before it was sent", null);
    }
    return bounded.committingBy(Deadline.afterMillis(left));
  }

  private Outcome succeeded(Contact contact, Decision.Effect effect) {
    switch (effect) {
      case CREATED -> metrics.written(Metrics.WriteOutcome.CREATED);
      case UPDATED -> metrics.written(Metrics.WriteOutcome.UPDATED);
      case UNCHANGED -> metrics.written(Metrics.WriteOutcome.UNCHANGED);
      case DELETED -> {
        // Deletes are counted by their route's status alone.
      }
    }
    return new Outcome(contact, effect);
  }

  private void pauseBeforeRetry(int attempt, Deadline deadline, boolean lostRace) {
    long delay = retryPolicy.delayAfter(attempt, deadline);
    if (delay < 0) {
      metrics.retriesExhausted(lostRace);
      throw new DomainException.Unavailable(
          "The service is busy; retry the request shortly.", RETRY_AFTER_SECONDS);
    }
    metrics.retried(lostRace);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DomainException.Unavailable("The request was interrupted.", RETRY_AFTER_SECONDS);
    }
  }
}
