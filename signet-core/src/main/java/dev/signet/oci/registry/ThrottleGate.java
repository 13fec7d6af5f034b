package dev.signet.oci.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per registry host, the instant before which no request is sent because the host answered HTTP
 * 429: the pause it asked for ({@code Retry-After}) or the client's backoff, at most {@link
 * #MAX_PAUSE}. Every request to that host waits for it (or fails at once when the pause would pass
 * its deadline), so a throttled registry sees one request, not one per waiting verification. At most
 * {@link #MAX_HOSTS} hosts are remembered; pauses already over are dropped first.
 */
final class ThrottleGate {
  static final Duration MAX_PAUSE = Duration.ofMinutes(1);
  static final int MAX_HOSTS = 1024;

  private final Clock clock;
  private final ConcurrentHashMap<String, Instant> closedUntil = new ConcurrentHashMap<>();

  ThrottleGate(Clock clock) {
    this.clock = clock;
  }

  /** The end of the pause asked by {@code host}; null when it never asked or the pause is over. */
  Instant closedUntil(String host) {
    Instant until = closedUntil.get(host);
    if (until != null && !until.isAfter(clock.instant())) {
      closedUntil.remove(host, until);
      return null;
    }
    return until;
  }

  /** Closes the gate of {@code host} for {@code pause} (kept when it is already closed longer). */
  void close(String host, Duration pause) {
    Duration bounded = pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    Instant until = clock.instant().plus(bounded);
    closedUntil.merge(host, until, (a, b) -> a.isAfter(b) ? a : b);
    if (closedUntil.size() > MAX_HOSTS) {
      Instant now = clock.instant();
      closedUntil.values().removeIf(u -> !u.isAfter(now));
      if (closedUntil.size() > MAX_HOSTS) {
        closedUntil.keySet().removeIf(h -> !h.equals(host));
      }
    }
  }
}
