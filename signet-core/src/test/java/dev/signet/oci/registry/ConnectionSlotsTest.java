package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConnectionSlotsTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aFreedSlotGoesToTheEarliestDeadlineNotTheFirstToAsk() throws Exception {
    ConnectionSlots slots = new ConnectionSlots(1);
    assertThat(slots.acquire(T, Duration.ZERO)).isTrue();
    List<String> order = new CopyOnWriteArrayList<>();
    Thread late = waiter(slots, T.plusSeconds(5), "late deadline", order);
    SingleFlightTest.awaitWaiting(late);
    Thread early = waiter(slots, T.plusSeconds(1), "early deadline", order);
    SingleFlightTest.awaitWaiting(early);
    slots.release();
    late.join(30_000);
    early.join(30_000);
    assertThat(order).containsExactly("early deadline", "late deadline");
  }

  @Test
  void aWaiterGivesUpAtItsTimeout() throws Exception {
    ConnectionSlots slots = new ConnectionSlots(1);
    assertThat(slots.acquire(T, Duration.ZERO)).isTrue();
    assertThat(slots.acquire(T, Duration.ofMillis(20))).isFalse();
    slots.release();
    assertThat(slots.acquire(T, Duration.ZERO)).isTrue();
  }

  private static Thread waiter(ConnectionSlots slots, Instant deadline, String name, List<String> order) {
    return Thread.ofVirtual().start(() -> {
      try {
        if (slots.acquire(deadline, Duration.ofSeconds(30))) {
          order.add(name);
          slots.release();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
