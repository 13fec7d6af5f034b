package dev.signet.oci.registry;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.Gate;
import dev.signet.http.Retry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a registry request waits for before it is sent: the end of a throttling pause its host
 * asked for with a 429 ({@link ThrottleGate}), then a free connection slot to the host
 * ({@link ConnectionSlots}). A pause that another request extends while this one waits for a slot
 * is waited for too.
 */
final class HostGate implements Gate {
  private final Clock clock;
  private final Retry.Sleeper sleeper;
  private final int slots;
  private final Duration requestTimeout;
  private final Map<String, ConnectionSlots> permits = new ConcurrentHashMap<>();
  private final ThrottleGate throttles;

  HostGate(Clock clock, Retry.Sleeper sleeper, int slots, Duration requestTimeout) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.slots = slots;
    this.requestTimeout = requestTimeout;
    this.throttles = new ThrottleGate(clock);
  }

  @Override
  public boolean throttled(URI uri, Duration pause) {
    throttles.close(uri.getRawAuthority(), pause);
    return true;
  }

  @Override
  public Pass enter(URI uri, String what, Deadline deadline)
      throws DeadlineExceededException, InterruptedException {
    String host = uri.getRawAuthority();
    ConnectionSlots permit = permits.computeIfAbsent(host, k -> new ConnectionSlots(slots));
    Instant waited = null;
    while (true) {
      Instant until = throttles.closedUntil(host);
      if (until != null && (waited == null || until.isAfter(waited))) {
        Duration pause = Duration.between(clock.instant(), until);
        if (pause.compareTo(deadline.remaining()) >= 0) {
          throw new DeadlineExceededException(what + " (" + host + " is throttling requests"
              + " (HTTP 429); the " + pause.toMillis() + " ms pause it asked for would pass the"
              + " deadline)");
        }
        sleeper.sleep(pause);
        waited = until;
      }
      Duration budget = deadline.remainingAtMost(requestTimeout);
      if (!permit.acquire(deadline.at(), budget)) {
        throw new DeadlineExceededException(what + " (waiting for a free connection slot to "
            + host + ")");
      }
      Instant now = throttles.closedUntil(host);
      if (now == null || (waited != null && !now.isAfter(waited))) {
        return permit::release;
      }
      permit.release();
    }
  }
}
