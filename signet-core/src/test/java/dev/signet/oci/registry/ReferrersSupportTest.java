package dev.signet.oci.registry;

import dev.signet.testkit.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReferrersSupportTest {
  @Test
  void whatWasLearntExpiresSoThatAnUpgradedRegistryIsAskedBothWaysAgain() {
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    ReferrersSupport support = new ReferrersSupport(clock, Duration.ofMinutes(10), 2);
    assertThat(support.known("a.example")).isNull();
    support.learn("a.example", ReferrersSupport.Way.TAG_SCHEMA);
    clock.advance(Duration.ofMinutes(9));
    assertThat(support.known("a.example")).isEqualTo(ReferrersSupport.Way.TAG_SCHEMA);
    clock.advance(Duration.ofMinutes(1));
    assertThat(support.known("a.example")).isNull();
  }

  @Test
  void atMostTheBoundOfRegistriesIsRemembered() {
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    ReferrersSupport support = new ReferrersSupport(clock, Duration.ofMinutes(10), 2);
    support.learn("a.example", ReferrersSupport.Way.REFERRERS_API);
    support.learn("b.example", ReferrersSupport.Way.TAG_SCHEMA);
    support.known("a.example"); // a is now the most recently used
    support.learn("c.example", ReferrersSupport.Way.TAG_SCHEMA);
    assertThat(support.size()).isEqualTo(2);
    assertThat(support.known("b.example")).isNull();
    assertThat(support.known("a.example")).isEqualTo(ReferrersSupport.Way.REFERRERS_API);
  }
}
