package dev.signet.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waits for something a test cannot be told about directly (a server that reloads a file, a log
 * line written after a response, a port that frees up): asks {@code probe} again, with a short
 * growing pause, until {@code done} holds for its answer or the guard runs out, and returns the last
 * answer. The test then asserts on that answer, so a wait that gives up fails with the test's own
 * message. The guard only prevents a hang; nothing here measures time.
 */
public final class Eventually {
  /** Long enough for a loaded build machine; only reached when the condition never comes. */
  public static final Duration GUARD = Duration.ofSeconds(30);

  private static final long FIRST_PAUSE_MILLIS = 10;
  private static final long LONGEST_PAUSE_MILLIS = 200;

  private Eventually() {}

  /** The first answer of {@code probe} that {@code done} accepts, else the last one after {@link #GUARD}. */
  public static <T> T until(Callable<T> probe, Predicate<? super T> done) throws Exception {
    return until(GUARD, probe, done);
  }

  /** As {@link #until(Callable, Predicate)}, with another guard. */
  public static <T> T until(Duration guard, Callable<T> probe, Predicate<? super T> done)
      throws Exception {
    long end = System.nanoTime() + guard.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    T answer = probe.call();
    while (!done.test(answer) && System.nanoTime() - end < 0) {
      Thread.sleep(pause);
      pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
      answer = probe.call();
    }
    return answer;
  }
}
