package dev.signet.http;

// RFC 9110 section 10.2.3 (Retry-After: delay-seconds or an HTTP date).

import dev.signet.deadline.Deadline;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a {@link HttpPipeline} sends a request again: after an I/O failure, a 429 or a 5xx (but
 * 501 and 505, which a retry cannot change), at most {@code maxRetries} times, waiting what
 * {@code Retry-After} asks or else an exponential backoff with jitter, and only while the wait
 * leaves time for the request itself before the deadline.
 */
public record Retry(int maxRetries, Clock clock, Sleeper sleeper, RandomGenerator random) {
  private static final Duration BASE = Duration.ofMillis(200);
  private static final Duration CAP = Duration.ofSeconds(2);
  /** Time left for the request itself after a wait. */
  private static final Duration MARGIN = Duration.ofMillis(100);

  /** Waits between attempts; replaced in tests so that they do not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * @param maxRetries the most attempts after the first
   * @param clock reads {@code Retry-After} dates
   * @param random jitter; must be safe to use from the calling threads
   */
  public Retry {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
    }
  }

  /** Whether an answer with {@code status} is worth asking again. */
  public static boolean retryable(int status) {
    return status == 429 || (status >= 500 && status != 501 && status != 505);
  }

  /** The wait before attempt {@code attempt + 1}: the server's {@code Retry-After}, else backoff. */
  Duration delay(int attempt, HttpHeaders headers) {
    Optional<Duration> asked = headers == null ? Optional.empty() : retryAfter(headers);
    if (asked.isPresent()) {
      return asked.get();
    }
    long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt, 10));
    return Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; empty when absent or invalid. */
  public Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("retry-after").map(String::trim);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get();
    if (v.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether waiting {@code wait} still leaves time for a request before the deadline. */
  static boolean fits(Duration wait, Deadline deadline) {
    return wait.plus(MARGIN).compareTo(deadline.remaining()) < 0;
  }
}
