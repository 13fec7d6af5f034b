package dev.signet.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Work on several inputs at once under one budget: each on its own virtual thread, at most {@code
 * maxParallel} at a time, and each answered on its own. An input whose work has not finished when
 * the budget ends is answered {@link TimedOut} (its thread is interrupted and abandoned), so one
 * slow input never takes the others' answers with it. Results are in input order.
 */
public final class Parallel {
  private Parallel() {}

  /** How one input's work ended. */
  public sealed interface Outcome<T> permits Done, Failed, TimedOut {}

  /** The work returned {@code value}. */
  public record Done<T>(T value) implements Outcome<T> {}

  /** The work threw {@code cause}. */
  public record Failed<T>(Throwable cause) implements Outcome<T> {}

  /**
   * The work had not finished (or not started: no free slot) when the budget ended, or the caller
   * was interrupted.
   */
  public record TimedOut<T>() implements Outcome<T> {}

  /**
   * Runs {@code work} for every input and waits at most until {@code endNanos} ({@link
   * System#nanoTime()} scale).
   */
  public static <I, T> List<Outcome<T>> run(
      List<I> inputs, Function<I, T> work, int maxParallel, long endNanos) {
    Semaphore slots = new Semaphore(maxParallel);
    ExecutorService threads =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("signet-parallel-", 0).factory());
    List<Future<T>> futures = new ArrayList<>(inputs.size());
    boolean interrupted = false;
    try {
      for (I input : inputs) {
        boolean slot = false;
        if (!interrupted) {
          try {
            slot = slots.tryAcquire(Math.max(endNanos - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (!slot) {
          futures.add(null);
          continue;
        }
        futures.add(
            threads.submit(
                () -> {
                  try {
                    return work.apply(input);
                  } finally {
                    slots.release();
                  }
                }));
      }
      List<Outcome<T>> outcomes = new ArrayList<>(inputs.size());
      for (Future<T> f : futures) {
        if (f == null || interrupted) {
          outcomes.add(new TimedOut<>());
          continue;
        }
        try {
          outcomes.add(new Done<>(f.get(Math.max(endNanos - System.nanoTime(), 0), TimeUnit.NANOSECONDS)));
        } catch (TimeoutException e) {
          outcomes.add(new TimedOut<>());
        } catch (ExecutionException e) {
          outcomes.add(new Failed<>(e.getCause() == null ? e : e.getCause()));
        } catch (InterruptedException e) {
          interrupted = true;
          outcomes.add(new TimedOut<>());
        }
      }
      return outcomes;
    } finally {
      // Not close(): it would wait for work that ignores interruption.
      threads.shutdownNow();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
