package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Chains in order, chains concurrently within the bound, and the deadline's cut-off. */
class BatchExecutionTest {

  private static final UnaryOperator<Runnable> NO_CONTEXT = UnaryOperator.identity();

  /** Records what ran; {@code gate} runs inside each applied item (for latches). */
  private static final class Recorder implements BatchExecution.Items<String> {
    final List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final List<Integer> firsts = Collections.synchronizedList(new ArrayList<>());
    final IntPredicate gate;

    Recorder(IntPredicate gate) {
      this.gate = gate;
    }

    @Override
    public String apply(int index, boolean firstOfChain) {
      order.add(index);
      threads.add(Thread.currentThread().getName());
      if (firstOfChain) {
        firsts.add(index);
      }
      return gate.test(index) ? "applied " + index : "failed " + index;
    }

    @Override
    public String cutOff(int index) {
      return "cut " + index;
    }
  }

  @Test
  void aChain_runsInIndexOrder_andOnlyItsFirstItemIsFirst() {
    Recorder recorder = new Recorder(i -> true);
    List<String> results =
        BatchExecution.run(List.of(List.of(0, 2, 3)), 4, 8, recorder, () -> true, NO_CONTEXT);
    assertEquals(List.of(0, 2, 3), recorder.order);
    assertEquals(List.of(0), recorder.firsts);
    assertEquals(java.util.Arrays.asList("applied 0", null, "applied 2", "applied 3"), results);
  }

  @Test
  void aFailedItem_doesNotStopTheRestOfItsChain() {
    Recorder recorder = new Recorder(i -> i != 1);
    List<String> results =
        BatchExecution.run(List.of(List.of(0, 1, 2)), 3, 4, recorder, () -> true, NO_CONTEXT);
    assertEquals(List.of("applied 0", "failed 1", "applied 2"), results);
  }

  @Test
  void anItemLeftUnapplied_cutsTheRestOfItsChainOnly_soARetryAppliesThemInOrder() {
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    BatchExecution.Items<String> items =
        new BatchExecution.Items<>() {
          @Override
          public String apply(int index, boolean firstOfChain) {
            ran.add(index);
            return index == 1 ? "unavailable 1" : "applied " + index;
          }

          @Override
          public String cutOff(int index) {
            return "cut " + index;
          }

          @Override
          public boolean cutsChain(String result) {
            return result.startsWith("unavailable");
          }

          @Override
          public String chainCut(int index) {
            return "after an unapplied item " + index;
          }
        };
    List<String> results =
        BatchExecution.run(
            List.of(List.of(0, 1, 2, 4), List.of(3)), 5, 1, items, () -> true, NO_CONTEXT);
    assertEquals(List.of(0, 1, 3), ran);
    assertEquals(
        List.of(
            "applied 0",
            "unavailable 1",
            "after an unapplied item 2",
            "applied 3",
            "after an unapplied item 4"),
        results);
  }

  @Test
  void independentChains_runAtTheSameTime() throws Exception {
    // Each of the three chains waits until all three have started: only concurrent runs finish.
    CountDownLatch allStarted = new CountDownLatch(3);
    Recorder recorder =
        new Recorder(
            i -> {
              allStarted.countDown();
              try {
                return allStarted.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    List<String> results =
        BatchExecution.run(
            List.of(List.of(0), List.of(1), List.of(2)), 3, 3, recorder, () -> true, NO_CONTEXT);
    assertEquals(List.of("applied 0", "applied 1", "applied 2"), results);
    assertEquals(3, recorder.threads.size());
  }

  @Test
  void parallelism_boundsTheThreadsInUse() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Recorder recorder =
        new Recorder(
            i -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              running.decrementAndGet();
              return true;
            });
    List<List<Integer>> chains = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      chains.add(List.of(i));
    }
    BatchExecution.run(chains, 40, 4, recorder, () -> true, NO_CONTEXT);
    assertTrue(recorder.threads.size() <= 4, "threads " + recorder.threads);
    assertTrue(most.get() <= 4, "at most 4 items at once, saw " + most.get());
    assertEquals(40, recorder.order.size());
  }

  @Test
  void whenTheTimeRunsOut_theItemsNotStartedAreCutOff_andTheAppliedOnesKept() {
    // The clock says "no time left" once two items have been applied.
    AtomicInteger applied = new AtomicInteger();
    Recorder recorder = new Recorder(i -> applied.incrementAndGet() > 0);
    List<String> results =
        BatchExecution.run(
            List.of(List.of(0, 1, 2, 3, 4)), 5, 1, recorder, () -> applied.get() < 2, NO_CONTEXT);
    assertEquals(List.of("applied 0", "applied 1", "cut 2", "cut 3", "cut 4"), results);
  }

  @Test
  void aSingleChain_runsOnTheCallersThread_withoutAPool() {
    Recorder recorder = new Recorder(i -> true);
    BatchExecution.run(List.of(List.of(0, 1)), 2, 8, recorder, () -> true, NO_CONTEXT);
    assertEquals(Set.of(Thread.currentThread().getName()), recorder.threads);
  }

  @Test
  void everyTaskOnAnotherThread_runsInTheCallersContext() {
    AtomicBoolean wrapped = new AtomicBoolean();
    ThreadLocal<String> context = new ThreadLocal<>();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    BatchExecution.Items<String> items =
        new BatchExecution.Items<>() {
          @Override
          public String apply(int index, boolean firstOfChain) {
            seen.add(context.get());
            return "ok";
          }

          @Override
          public String cutOff(int index) {
            return "cut";
          }
        };
    BatchExecution.run(
        List.of(List.of(0), List.of(1)),
        2,
        2,
        items,
        () -> true,
        task ->
            () -> {
              wrapped.set(true);
              context.set("request-1");
              try {
                task.run();
              } finally {
                context.remove();
              }
            });
    assertTrue(wrapped.get());
    assertEquals(List.of("request-1", "request-1"), seen);
  }
}
