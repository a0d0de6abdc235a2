package com.voicecrm.contacts.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Runs the chains of a batch: the items of one chain one after another in index order, the chains
 * concurrently on at most {@code parallelism} threads of the invocation. An item starts only while
 * {@code timeToStart} says there is time left for it; every item not started by then is cut off, so
 * the batch answers before the function's time runs out, with the items already applied intact. An
 * item that fails (4xx) never stops its chain; one left unapplied (5xx) cuts the rest of it.
 */
public final class BatchExecution {

  /** What to do with one item; {@link #apply} handles its own failures and never throws. */
  public interface Items<R> {
    /** Applies item {@code index}; {@code firstOfChain} when no earlier item of its chain ran. */
    R apply(int index, boolean firstOfChain);

    /** The answer of an item that was never started because the time ran out. */
    R cutOff(int index);

    /**
     * Whether {@code result} leaves its item unapplied or its effect unknown (a 5xx, which a retry
     * runs again): the later items of its chain then do not run but answer {@link #chainCut}, so
     * that a retry applies them after it, in order.
     */
    default boolean cutsChain(R result) {
      return false;
    }

    /** The answer of an item not run because an earlier item of its chain {@link #cutsChain}. */
    default R chainCut(int index) {
      return cutOff(index);
    }
  }

  private BatchExecution() {}

  /**
   * The result of every item of {@code chains}, by index ({@code size} places; indexes of no chain
   * stay null).
   *
   * @param taskContext wraps each task run on another thread (the caller's log fields, say)
   */
  public static <R> List<R> run(
      List<List<Integer>> chains,
      int size,
      int parallelism,
      Items<R> items,
      BooleanSupplier timeToStart,
      UnaryOperator<Runnable> taskContext) {
    AtomicReferenceArray<R> results = new AtomicReferenceArray<>(size);
    List<Runnable> tasks = new ArrayList<>(chains.size());
    for (List<Integer> chain : chains) {
      tasks.add(() -> runChain(chain, items, timeToStart, results));
    }
    int threads = Math.min(parallelism, tasks.size());
    if (threads <= 1) {
      tasks.forEach(Runnable::run);
    } else {
      runConcurrently(tasks, threads, taskContext);
    }
    List<R> out = new ArrayList<>(Arrays.asList(newArray(size)));
    for (List<Integer> chain : chains) {
      for (int index : chain) {
        R result = results.get(index);
        // Only an interrupted wait leaves an item without a result: it was never started.
        out.set(index, result != null ? result : items.cutOff(index));
      }
    }
    return out;
  }

  private static <R> void runChain(
      List<Integer> chain,
      Items<R> items,
      BooleanSupplier timeToStart,
      AtomicReferenceArray<R> results) {
    boolean first = true;
    boolean cut = false;
    for (int index : chain) {
      if (cut) {
        results.set(index, items.chainCut(index));
      } else if (Thread.currentThread().isInterrupted() || !timeToStart.getAsBoolean()) {
        results.set(index, items.cutOff(index));
      } else {
        R result = items.apply(index, first);
        results.set(index, result);
        first = false;
        cut = items.cutsChain(result);
      }
    }
  }

  private static void runConcurrently(
      List<Runnable> tasks, int threads, UnaryOperator<Runnable> taskContext) {
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "batch-item-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Callable<Void>> callables = new ArrayList<>(tasks.size());
      for (Runnable task : tasks) {
        Runnable inContext = taskContext.apply(task);
        callables.add(
            () -> {
              inContext.run();
              return null;
            });
      }
      for (Future<Void> done : pool.invokeAll(callables)) {
        done.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Items handle their own failures; anything else is a bug to surface, not to hide.
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  @SuppressWarnings("unchecked")
  private static <R> R[] newArray(int size) {
    return (R[]) new Object[size];
  }
}
