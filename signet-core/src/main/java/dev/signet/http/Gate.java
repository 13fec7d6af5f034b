package dev.signet.http;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.net.URI;
import java.time.Duration;

/**
 * What a request waits for before it is sent (a connection slot to its host, a throttling pause
 * the host asked for). The default gate lets everything through at once.
 */
public interface Gate {
  /** A gate that never waits. */
  Gate OPEN = new Gate() {};

  /** Taken before a request is sent, released when its answer is read. */
  interface Pass extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits until a request to {@code uri} may be sent.
   *
   * @param what the request, for messages
   * @throws DeadlineExceededException when the wait would pass the deadline
   */
  default Pass enter(URI uri, String what, Deadline deadline)
      throws DeadlineExceededException, InterruptedException {
    return () -> {};
  }

  /**
   * The host of {@code uri} answered 429 and asks for {@code pause}. True when this gate makes the
   * requests to it wait (the retry included), so the retry itself does not sleep.
   */
  default boolean throttled(URI uri, Duration pause) {
    return false;
  }
}
