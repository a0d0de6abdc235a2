package com.voicecrm.contacts.domain;

import static com.voicecrm.contacts.domain.DecisionFixtures.A;
import static com.voicecrm.contacts.domain.DecisionFixtures.T0;
import static com.voicecrm.contacts.domain.DecisionFixtures.contact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one retry engine: carrying decisions out, retrying, the deadline, lost responses. */
class AttemptLoopTest {

  private static final RetryPolicy FAST = new RetryPolicy(3, 1, 2, 0);
  private static final Deadline PLENTY = Deadline.afterMillis(10_000);
  private static final Contact ANN = contact(A, "+14155551234", null);
  private static final Decision.Write CREATE =
      new Decision.Write(Writes.create(ANN, java.util.Set.of(), T0), Decision.Effect.CREATED);

  /** A store port whose writes fail as scripted; it reads nothing (the attempts do not read). */
  private static final class ScriptedWrites implements ContactStore {
    final Deque<RuntimeException> failures = new ArrayDeque<>();
    final Deque<WriteResult> results = new ArrayDeque<>();
    final List<ContactWrite> written = new ArrayList<>();
    final List<Deadline> deadlines = new ArrayList<>();
    final List<Long> commitMillis = new ArrayList<>();
    Runnable duringWrite = () -> {};

    @Override
    public ContactStore within(Deadline deadline) {
      deadlines.add(deadline);
      return this;
    }

    @Override
    public ContactStore committingBy(Deadline commitBy) {
      commitMillis.add(commitBy.remainingMillis());
      return this;
    }

    @Override
    public WriteResult write(ContactWrite write) {
      written.add(write);
      duringWrite.run();
      if (!failures.isEmpty()) {
        throw failures.pop();
      }
      return results.isEmpty() ? WriteResult.WRITTEN : results.pop();
    }

    @Override
    public Optional<Workspace> findWorkspace(String workspaceId) {
      throw new AssertionError("not read");
    }

    @Override
    public UpsertSnapshot readForUpsert(
        String workspaceId, Identifier phone, Identifier email, Collection<String> tags) {
      throw new AssertionError("not read");
    }

    @Override
    public Optional<Contact> findContact(String contactId) {
      throw new AssertionError("not read");
    }
  }

  private final ScriptedWrites store = new ScriptedWrites();
  private final List<String> events = new ArrayList<>();
  private final Metrics metrics =
      new Metrics() {
        @Override
        public void written(WriteOutcome outcome) {
          events.add(outcome.name());
        }

        @Override
        public void retried(boolean lostRace) {
          events.add(lostRace ? "retried:lostRace" : "retried:unavailable");
        }

        @Override
        public void retriesExhausted(boolean lostRace) {
          events.add(lostRace ? "exhausted:lostRace" : "exhausted:unavailable");
        }
      };
  private final AttemptLoop loop = new AttemptLoop(store, FAST, metrics);

  /** ANN's stamp is T0: its write may commit until T0 + 500 ms. */
  private final ManualClock clock = new ManualClock(T0);

  private final AttemptLoop windowed =
      new AttemptLoop(store, FAST.withCommitWindow(Duration.ofMillis(500)), metrics, clock);

  @Test
  void aWriteDecision_isWritten_andAnswersItsContact() {
    AttemptLoop.Outcome outcome = loop.write(PLENTY, (s, earlier) -> CREATE);

    assertEquals(new AttemptLoop.Outcome(ANN, Decision.Effect.CREATED), outcome);
    assertEquals(List.of(CREATE.write()), store.written);
    assertEquals(List.of("CREATED"), events);
  }

  @Test
  void aLostRace_isDecidedAgain_fromAFreshAttempt() {
    store.failures.add(new ContactStore.Conflict("lost"));
    List<Attempts> seen = new ArrayList<>();

    loop.write(
        PLENTY,
        (s, earlier) -> {
          seen.add(earlier);
          return CREATE;
        });

    assertEquals(2, store.written.size());
    assertEquals(List.of("retried:lostRace", "CREATED"), events);
    // The second attempt knows the first tried to create ANN: its response may have been lost.
    assertEquals(Attempts.NONE, seen.get(0));
    assertTrue(seen.get(1).created(A).isPresent());
  }

  @Test
  void aWriteWhoseAnswerWasLost_isSentAgainAsItWas_andAlreadyWrittenIsItsSuccess() {
    store.failures.add(new ContactStore.Unavailable("timed out after DynamoDB applied it", null));
    store.results.add(ContactStore.WriteResult.ALREADY_WRITTEN);
    int[] decisions = {0};

    AttemptLoop.Outcome outcome =
        loop.write(
            PLENTY,
            (s, earlier) -> {
              decisions[0]++;
              return CREATE;
            });

    // Decided once: the retry sends the same write, and the store recognises it as this request's.
    assertEquals(1, decisions[0]);
    assertEquals(List.of(CREATE.write(), CREATE.write()), store.written);
    assertEquals(new AttemptLoop.Outcome(ANN, Decision.Effect.CREATED), outcome);
    assertEquals(List.of("retried:unavailable", "CREATED"), events);
  }

  @Test
  void aLostWrite_withinItsCommitWindow_isSentAgainAsItWas_boundToWhatIsLeftOfIt() {
    store.failures.add(new ContactStore.Unavailable("timed out", null));
    store.results.add(ContactStore.WriteResult.ALREADY_WRITTEN);
    store.duringWrite = () -> clock.advance(Duration.ofMillis(100));
    int[] decisions = {0};

    AttemptLoop.Outcome outcome =
        windowed.write(
            PLENTY,
            (s, earlier) -> {
              decisions[0]++;
              return CREATE;
            });

    assertEquals(1, decisions[0]);
    assertEquals(List.of(CREATE.write(), CREATE.write()), store.written);
    assertEquals(Decision.Effect.CREATED, outcome.effect());
    // Each call ends with the window: 500 ms from the stamp, then the 400 ms left of it.
    assertEquals(2, store.commitMillis.size());
    assertTrue(store.commitMillis.get(0) <= 500 && store.commitMillis.get(0) > 400);
    assertTrue(store.commitMillis.get(1) <= 400 && store.commitMillis.get(1) > 0);
  }

  @Test
  void aLostWrite_pastItsCommitWindow_isDecidedAgain_notSentAgain() {
    store.failures.add(new ContactStore.Unavailable("timed out after DynamoDB applied it", null));
    store.duringWrite = () -> clock.advance(Duration.ofMillis(600));
    List<Attempts> seen = new ArrayList<>();

    AttemptLoop.Outcome outcome =
        windowed.write(
            PLENTY,
            (s, earlier) -> {
              seen.add(earlier);
              // As UpsertDecision does: finding the contact its own lost create made, it answers.
              return earlier.created(A).isPresent()
                  ? new Decision.Answer(ANN, Decision.Effect.CREATED)
                  : CREATE;
            });

    assertEquals(List.of(CREATE.write()), store.written);
    assertEquals(2, seen.size());
    assertTrue(seen.get(1).created(A).isPresent(), "the decision knows the lost write");
    assertEquals(new AttemptLoop.Outcome(ANN, Decision.Effect.CREATED), outcome);
  }

  @Test
  void aWriteWhoseWindowPassedBeforeItWasSent_isNotSent_butDecidedAgain() {
    Contact later = contact(A, "+14155551234", null);
    Decision.Write fresh =
        new Decision.Write(
            Writes.create(
                new Contact(
                    later.id(),
                    later.workspaceId(),
                    later.accountId(),
                    null,
                    null,
                    null,
                    later.phone(),
                    null,
                    List.of(),
                    java.util.Map.of(),
                    T0,
                    T0.plusMillis(700),
                    null,
                    1),
                java.util.Set.of(),
                T0.plusMillis(700)),
            Decision.Effect.CREATED);
    int[] decisions = {0};

    windowed.write(
        PLENTY,
        (s, earlier) -> {
          // The first decision took longer than the window (a stalled thread, say).
          clock.advance(Duration.ofMillis(decisions[0]++ == 0 ? 600 : 0));
          return decisions[0] == 1 ? CREATE : fresh;
        });

    assertEquals(List.of(fresh.write()), store.written);
    assertEquals(List.of("retried:unavailable", "CREATED"), events);
  }

  @Test
  void aLostSoftDelete_isSentAgainEvenLate_itAddsNoIndexEntry() {
    Decision.Write delete = new Decision.Write(Writes.delete(ANN, T0), Decision.Effect.DELETED);
    store.failures.add(new ContactStore.Unavailable("timed out", null));
    store.duringWrite = () -> clock.advance(Duration.ofSeconds(5));
    int[] decisions = {0};

    windowed.write(
        PLENTY,
        (s, earlier) -> {
          decisions[0]++;
          return delete;
        });

    assertEquals(1, decisions[0]);
    assertEquals(List.of(delete.write(), delete.write()), store.written);
    assertTrue(store.commitMillis.isEmpty(), "no window bounds a delete");
  }

  @Test
  void aResentWriteThatLosesARace_isDecidedAgain() {
    store.failures.add(new ContactStore.Unavailable("timed out", null));
    store.failures.add(new ContactStore.Conflict("someone else changed the contact"));
    int[] decisions = {0};

    loop.write(
        PLENTY,
        (s, earlier) -> {
          decisions[0]++;
          return CREATE;
        });

    assertEquals(2, decisions[0]);
    assertEquals(3, store.written.size());
  }

  @Test
  void readAgain_isRetriedLikeALostRace_andAnAnswerWritesNothing() {
    Deque<Decision> decisions =
        new ArrayDeque<>(
            List.of(
                new Decision.ReadAgain("moved"),
                new Decision.Answer(ANN, Decision.Effect.UNCHANGED)));

    AttemptLoop.Outcome outcome = loop.write(PLENTY, (s, earlier) -> decisions.pop());

    assertEquals(Decision.Effect.UNCHANGED, outcome.effect());
    assertTrue(store.written.isEmpty());
    assertEquals(List.of("retried:lostRace", "UNCHANGED"), events);
  }

  @Test
  void aRejection_isThrownAtOnce_neverRetried() {
    int[] attempts = {0};
    DomainException.PreconditionFailed e =
        assertThrows(
            DomainException.PreconditionFailed.class,
            () ->
                loop.write(
                    PLENTY,
                    (s, earlier) -> {
                      attempts[0]++;
                      return new Decision.PreconditionFailed();
                    }));

    assertEquals(1, attempts[0]);
    assertTrue(e.getMessage().contains("If-Match"));
  }

  @Test
  void exhaustedRetries_are503WithRetryAfter_andReportedOnce() {
    for (int i = 0; i < 10; i++) {
      store.failures.add(new ContactStore.Unavailable("throttled", null));
    }

    DomainException.Unavailable e =
        assertThrows(DomainException.Unavailable.class, () -> loop.write(PLENTY, (s, x) -> CREATE));

    assertEquals(1, e.retryAfterSeconds());
    // FAST allows 3 attempts: 2 retries, then the third failure ends it.
    assertEquals(
        List.of("retried:unavailable", "retried:unavailable", "exhausted:unavailable"), events);
  }

  @Test
  void aPassedDeadline_stopsRetryingAtOnce() {
    store.failures.add(new ContactStore.Conflict("lost"));

    assertThrows(
        DomainException.Unavailable.class,
        () -> loop.write(Deadline.afterMillis(0), (s, x) -> CREATE));
    assertEquals(1, store.written.size());
  }

  @Test
  void aContactTooLargeToStore_is409_notRetried() {
    store.failures.add(new ContactStore.TooLarge("400 KB"));

    DomainException.Conflict e =
        assertThrows(DomainException.Conflict.class, () -> loop.write(PLENTY, (s, x) -> CREATE));

    assertEquals(AttemptLoop.CONTACT_TOO_LARGE, e.getMessage());
    assertEquals(1, store.written.size());
  }

  @Test
  void everyAttempt_readsThroughTheStoreBoundByTheOneDeadline() {
    Deadline deadline = Deadline.afterMillis(4_321);
    List<ContactStore> stores = new ArrayList<>();

    loop.read(deadline, s -> stores.add(s));
    loop.write(deadline, (s, earlier) -> CREATE);

    assertEquals(List.of(deadline, deadline), store.deadlines);
    assertSame(store, stores.get(0));
  }
}
