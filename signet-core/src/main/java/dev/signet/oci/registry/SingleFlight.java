package dev.signet.oci.registry;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Identical registry calls in flight at the same time share one run: the first caller runs it, the
 * others wait for its outcome (value or failure) within their own deadline. Nothing is kept once
 * the run ends, so this never answers from the past.
 */
final class SingleFlight<T> {

  /** The shared work. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws StoreException, DeadlineExceededException;
  }

  private final ConcurrentHashMap<String, CompletableFuture<T>> running = new ConcurrentHashMap<>();

  T run(String key, Deadline deadline, String what, Work<T> work)
      throws StoreException, DeadlineExceededException {
    while (true) {
      CompletableFuture<T> mine = new CompletableFuture<>();
      CompletableFuture<T> leader = running.putIfAbsent(key, mine);
      if (leader != null) {
        try {
          return await(leader, deadline, what);
        } catch (LeaderStopped stopped) {
          continue; // not this caller's answer; lead or join anew
        }
      }
      try {
        T value = work.run();
        mine.complete(value);
        return value;
      } catch (StoreException | DeadlineExceededException | RuntimeException | Error e) {
        // A leader cut short (its caller stopped waiting, or its own deadline passed) says nothing
        // to callers with time left: they run the work again.
        mine.completeExceptionally(
            Thread.currentThread().isInterrupted() || e instanceof DeadlineExceededException
                ? new LeaderStopped() : e);
        throw e;
      } finally {
        running.remove(key, mine);
      }
    }
  }

  /** The leader was cut short: the callers waiting for it run the work again. */
  private static final class LeaderStopped extends RuntimeException {
    LeaderStopped() {
      super("the leading caller stopped waiting", null, false, false);
    }
  }

  /** The outcome of {@code running} as its own failure, waiting at most until the deadline. */
  static <T> T await(Future<T> running, Deadline deadline, String what)
      throws StoreException, DeadlineExceededException {
    try {
      return running.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new DeadlineExceededException(what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(what + ": interrupted");
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case StoreException s -> throw s;
        case DeadlineExceededException d -> throw d;
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new StoreException(what + ": " + e.getCause(), e.getCause());
      }
    }
  }
}
