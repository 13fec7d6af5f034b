package dev.signet.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The generic single flight; the registry's and the decisions' own tests cover their use of it. */
class SingleFlightTest {
  private static Deadline deadline(Duration budget) {
    return Deadline.after(Clock.systemUTC(), budget);
  }

  /** Until {@code t} waits for the leader (the only timed wait on its way). */
  private static void awaitWaiting(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.TIMED_WAITING) {
      Thread.sleep(5);
    }
  }

  /** Waits for {@code release}; an interruption there is the work's failure. */
  private static void hold(CountDownLatch release) throws IOException {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new IOException("interrupted");
    }
  }

  final SingleFlight<String, String, IOException> flight = new SingleFlight<>(IOException.class);
  final CountDownLatch release = new CountDownLatch(1);

  /** Starts a leader that holds until {@code release}, then ends with {@code end}. */
  private FutureTask<String> leader(SingleFlight.Work<String, IOException> end) throws Exception {
    CountDownLatch leading = new CountDownLatch(1);
    FutureTask<String> leader = new FutureTask<>(() -> flight.run("k", deadline(Duration.ofSeconds(30)), "x", () -> {
      leading.countDown();
      hold(release);
      return end.run();
    }));
    Thread.ofVirtual().start(leader);
    leading.await();
    return leader;
  }

  @Test
  void aLeaderThatAnswersAfterItsCallerStoppedWaitingAnswersOnlyThatCaller() throws Exception {
    FutureTask<String> leader = leader(() -> {
      Thread.currentThread().interrupt(); // its caller stopped waiting meanwhile
      return "cut short";
    });
    AtomicInteger joinerRuns = new AtomicInteger();
    FutureTask<String> joiner = new FutureTask<>(() -> flight.run("k", deadline(Duration.ofSeconds(30)), "x", () -> {
      joinerRuns.incrementAndGet();
      return "own";
    }));
    awaitWaiting(Thread.ofVirtual().start(joiner));
    release.countDown();
    assertThat(leader.get(30, TimeUnit.SECONDS)).isEqualTo("cut short");
    assertThat(joiner.get(30, TimeUnit.SECONDS)).isEqualTo("own");
    assertThat(joinerRuns).hasValue(1);
    assertThat(flight.size()).isZero();
  }

  @Test
  void aJoinerStopsWaitingAtItsOwnDeadlineAndGetsTheWorksFailureType() throws Exception {
    leader(() -> {
      throw new IOException("store down");
    });
    assertThatThrownBy(() -> flight.run("k", deadline(Duration.ofMillis(50)), "the shared work", () -> "own"))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("the shared work");
    FutureTask<String> joiner = new FutureTask<>(() -> flight.run("k", deadline(Duration.ofSeconds(30)), "x", () -> "own"));
    awaitWaiting(Thread.ofVirtual().start(joiner));
    release.countDown();
    assertThatThrownBy(() -> joiner.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class)
        .hasRootCauseMessage("store down");
  }
}
