package dev.signet.deadline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Identical work in flight at the same time runs once: the first caller (the leader) runs it, the
 * others join and wait for its outcome, value or failure, within their own deadline. A leader cut
 * short (its caller stopped waiting, or its own deadline passed) says nothing to those with time
 * left: they run the work again, within their own deadline. Nothing is kept once a run ends, so
 * this never answers from the past.
 *
 * @param <K> what makes two runs identical
 * @param <V> the work's value
 * @param <E> the failure the work reports (rethrown to those who joined)
 */
public final class SingleFlight<K, V, E extends Exception> {

  /** The shared work. */
  @FunctionalInterface
  public interface Work<V, E extends Exception> {
    V run() throws E, DeadlineExceededException;
  }

  private final Class<E> failures;
  private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

  /** @param failures the class of the failures the work reports */
  public SingleFlight(Class<E> failures) {
    this.failures = failures;
  }

  /**
   * Runs {@code work}, or joins the identical run in flight.
   *
   * @param what names the work in a deadline failure
   * @throws E the work's failure (the leader's, for a caller who joined)
   * @throws DeadlineExceededException when {@code deadline} passed while waiting or working
   * @throws InterruptedException when this caller was interrupted while waiting (its interrupt
   *     flag is cleared, as usual for this exception)
   */
  public V run(K key, Deadline deadline, String what, Work<V, E> work)
      throws E, DeadlineExceededException, InterruptedException {
    while (true) {
      CompletableFuture<V> mine = new CompletableFuture<>();
      CompletableFuture<V> leader = running.putIfAbsent(key, mine);
      if (leader != null) {
        try {
          return await(leader, deadline, what);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof LeaderStopped) {
            continue; // not this caller's answer; lead or join anew
          }
          throw rethrown(e.getCause());
        }
      }
      try {
        V value = work.run();
        if (Thread.currentThread().isInterrupted()) {
          // Made while its caller stopped waiting: its own answer, but not one to share.
          mine.completeExceptionally(new LeaderStopped());
        } else {
          mine.complete(value);
        }
        return value;
      } catch (Exception | Error e) {
        mine.completeExceptionally(
            Thread.currentThread().isInterrupted() || e instanceof DeadlineExceededException
                ? new LeaderStopped() : e);
        throw e;
      } finally {
        running.remove(key, mine);
      }
    }
  }

  /** How many distinct runs are in flight now. */
  public int size() {
    return running.size();
  }

  /** The failure a joined caller rethrows: the leader's own. */
  private IllegalStateException rethrown(Throwable cause) throws E, DeadlineExceededException {
    if (failures.isInstance(cause)) {
      throw failures.cast(cause);
    }
    switch (cause) {
      case DeadlineExceededException d -> throw d;
      case RuntimeException r -> throw r;
      case Error err -> throw err;
      default -> {
        return new IllegalStateException("the shared work failed unexpectedly", cause);
      }
    }
  }

  /** The leader was cut short: the callers waiting for it run the work again. */
  private static final class LeaderStopped extends RuntimeException {
    LeaderStopped() {
      super("the leading caller stopped waiting", null, false, false);
    }
  }

  /**
   * The value of {@code running}, waiting at most until the deadline.
   *
   * @throws ExecutionException with the failure of {@code running}
   */
  public static <T> T await(Future<T> running, Deadline deadline, String what)
      throws ExecutionException, DeadlineExceededException, InterruptedException {
    try {
      // remaining() is capped (a year for Deadline.none), so this cannot overflow.
      return running.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new DeadlineExceededException(what);
    }
  }
}
