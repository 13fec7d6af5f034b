package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatekeeperProviderTest {
  @Test
  void keys_may_carry_a_namespace_prefix() {
    assertThat(GatekeeperProvider.Key.parse("[team-a]registry.test/app:1"))
        .isEqualTo(new GatekeeperProvider.Key("team-a", "registry.test/app:1"));
    assertThat(GatekeeperProvider.Key.parse("registry.test/app:1"))
        .isEqualTo(new GatekeeperProvider.Key("", "registry.test/app:1"));
    assertThat(GatekeeperProvider.Key.parse("[]nginx")).isEqualTo(new GatekeeperProvider.Key("", "nginx"));
  }

  @Test
  void durations_read_as_go_prints_them() {
    assertThat(GatekeeperProvider.goDuration(Duration.ofMillis(4900))).isEqualTo("4.9s");
    assertThat(GatekeeperProvider.goDuration(Duration.ofMillis(950))).isEqualTo("950ms");
    assertThat(GatekeeperProvider.goDuration(Duration.ofSeconds(2))).isEqualTo("2s");
  }

  @Test
  void requests_are_checked_for_shape() throws Exception {
    assertThat(GatekeeperProvider.parse(bytes("{\"apiVersion\":\"externaldata.gatekeeper.sh/v1alpha1\",\"request\":{\"keys\":[\"a\"]}}")))
        .isEqualTo(new GatekeeperProvider.ProviderRequest("externaldata.gatekeeper.sh/v1alpha1", java.util.List.of("a")));
    assertThatThrownBy(() -> GatekeeperProvider.parse(bytes("[]"))).hasMessageStartingWith("malformed ProviderRequest");
    assertThatThrownBy(() -> GatekeeperProvider.parse(bytes("{\"kind\":\"AdmissionReview\",\"request\":{\"keys\":[]}}")))
        .hasMessageContaining("kind must be \"ProviderRequest\"");
    assertThatThrownBy(() -> GatekeeperProvider.parse(bytes("{\"request\":{\"keys\":[1]}}")))
        .hasMessageContaining("must be a string");
    assertThatThrownBy(() -> GatekeeperProvider.parse(bytes("{}"))).hasMessageContaining("\"request\" must be an object");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @org.junit.jupiter.api.Test
  void timestamps_print_as_go_prints_rfc3339_nano() {
    assertThat(GatekeeperProvider.goTime(java.time.Instant.parse("2025-01-30T15:04:15Z"))).isEqualTo("2025-01-30T15:04:15Z");
    assertThat(GatekeeperProvider.goTime(java.time.Instant.parse("2025-01-30T15:04:15.500Z"))).isEqualTo("2025-01-30T15:04:15.5Z");
    assertThat(GatekeeperProvider.goTime(java.time.Instant.parse("2025-01-30T15:04:15.682247974Z")))
        .isEqualTo("2025-01-30T15:04:15.682247974Z");
    assertThat(GatekeeperProvider.goTime(java.time.Instant.parse("2025-01-30T15:04:15.000000010Z")))
        .isEqualTo("2025-01-30T15:04:15.00000001Z");
  }
}
