package dev.signet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
  @Test
  void returnsTheFirstAnswerThatIsDone() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    int answer = Eventually.until(asked::incrementAndGet, n -> n == 3);
    assertThat(answer).isEqualTo(3);
    assertThat(asked.get()).isEqualTo(3);
  }

  @Test
  void givesUpWithTheLastAnswerWhenTheConditionNeverComes() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    int answer = Eventually.until(Duration.ofMillis(50), asked::incrementAndGet, n -> false);
    assertThat(answer).isEqualTo(asked.get()).isPositive();
  }
}
