package dev.signet.deadline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The moment by which a verification must have answered. Every step that waits (registry I/O,
 * revocation fetches) spends from it and never waits past it.
 */
public record Deadline(Clock clock, Instant at) {

  public static Deadline after(Clock clock, Duration budget) {
    return new Deadline(clock, clock.instant().plus(budget));
  }

  /** A deadline so far away it never expires; for offline work such as OCI layouts. */
  public static Deadline none(Clock clock) {
    return new Deadline(clock, Instant.MAX);
  }

  /** Time left, zero when passed. */
  public Duration remaining() {
    if (at.equals(Instant.MAX)) {
      return Duration.ofDays(365);
    }
    Duration left = Duration.between(clock.instant(), at);
    return left.isNegative() ? Duration.ZERO : left;
  }

  public boolean expired() {
    return remaining().isZero();
  }

  /** The smaller of the remaining time and {@code cap}, for one network call. */
  public Duration remainingAtMost(Duration cap) {
    Duration left = remaining();
    return left.compareTo(cap) < 0 ? left : cap;
  }

  /**
   * Throws when the deadline has passed.
   *
   * @param step what was about to run, for the message
   */
  public void check(String step) throws DeadlineExceededException {
    if (expired()) {
      throw new DeadlineExceededException(step);
    }
  }
}
