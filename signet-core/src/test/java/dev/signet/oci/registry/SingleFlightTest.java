package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.oci.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** Until {@code t} waits for the leader (the only timed wait on its way). */
  static void awaitWaiting(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.TIMED_WAITING) {
      Thread.sleep(5);
    }
  }

  @Test
  void aJoinerGetsTheLeadersFailure() throws Exception {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch leading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FutureTask<String> leader = new FutureTask<>(() -> flight.run("k", deadline(), "x", () -> {
      leading.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new StoreException("interrupted");
      }
      throw new StoreException("registry down");
    }));
    Thread.ofVirtual().start(leader);
    leading.await();
    AtomicInteger joinerRuns = new AtomicInteger();
    FutureTask<String> joiner = new FutureTask<>(() -> flight.run("k", deadline(), "x", () -> {
      joinerRuns.incrementAndGet();
      return "own";
    }));
    awaitWaiting(Thread.ofVirtual().start(joiner)); // a late joiner would run its own: "own"
    release.countDown();
    assertThatThrownBy(() -> joiner.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("registry down");
    assertThat(joinerRuns).hasValue(0);
  }

  @Test
  void whenTheLeadersCallerStopsWaitingTheJoinersRunTheWorkAgain() throws Exception {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch leading = new CountDownLatch(1);
    Thread leader = Thread.ofVirtual().start(() -> {
      try {
        flight.run("k", deadline(), "x", () -> {
          leading.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("x: interrupted");
          }
          return "leader";
        });
      } catch (Exception expected) {
        // the leader's own caller sees its interruption
      }
    });
    leading.await();
    FutureTask<String> joiner = new FutureTask<>(() -> flight.run("k", deadline(), "x", () -> "again"));
    awaitWaiting(Thread.ofVirtual().start(joiner));
    leader.interrupt();
    assertThat(joiner.get(30, TimeUnit.SECONDS)).isEqualTo("again");
  }

  @Test
  void aLeaderWhoseDeadlinePassedDoesNotAnswerForAJoinerWithTimeLeft() throws Exception {
    SingleFlight<String> flight = new SingleFlight<>();
    CountDownLatch leading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FutureTask<String> leader = new FutureTask<>(() -> flight.run("k", deadline(), "x", () -> {
      leading.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new StoreException("interrupted");
      }
      throw new dev.signet.deadline.DeadlineExceededException("x");
    }));
    Thread.ofVirtual().start(leader);
    leading.await();
    FutureTask<String> joiner = new FutureTask<>(() -> flight.run("k", deadline(), "x", () -> "own"));
    awaitWaiting(Thread.ofVirtual().start(joiner));
    release.countDown();
    assertThat(joiner.get(30, TimeUnit.SECONDS)).isEqualTo("own");
    assertThatThrownBy(() -> leader.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(dev.signet.deadline.DeadlineExceededException.class);
  }
}
