package dev.signet.oci.registry;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.StoreException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Identical registry calls in flight at the same time share one run ({@link
 * dev.signet.deadline.SingleFlight}), with the registry's failures: a caller interrupted while
 * waiting gets a {@link StoreException}.
 */
final class SingleFlight<T> {
  private final dev.signet.deadline.SingleFlight<String, T, StoreException> flight =
      new dev.signet.deadline.SingleFlight<>(StoreException.class);

  T run(
      String key,
      Deadline deadline,
      String what,
      dev.signet.deadline.SingleFlight.Work<T, StoreException> work)
      throws StoreException, DeadlineExceededException {
    try {
      return flight.run(key, deadline, what, work);
    } catch (InterruptedException e) {
      throw interrupted(what);
    }
  }

  /** The outcome of {@code running} as its own failure, waiting at most until the deadline. */
  static <T> T await(Future<T> running, Deadline deadline, String what)
      throws StoreException, DeadlineExceededException {
    try {
      return dev.signet.deadline.SingleFlight.await(running, deadline, what);
    } catch (InterruptedException e) {
      throw interrupted(what);
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

  private static StoreException interrupted(String what) {
    Thread.currentThread().interrupt();
    return new StoreException(what + ": interrupted");
  }
}
