package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderMessagesTest {
  @Test
  void keys_may_carry_a_namespace_prefix() {
    assertThat(ProviderMessages.Key.parse("[team-a]registry.test/app:1"))
        .isEqualTo(new ProviderMessages.Key("team-a", "registry.test/app:1"));
    assertThat(ProviderMessages.Key.parse("registry.test/app:1"))
        .isEqualTo(new ProviderMessages.Key("", "registry.test/app:1"));
    assertThat(ProviderMessages.Key.parse("[]nginx")).isEqualTo(new ProviderMessages.Key("", "nginx"));
  }

  @Test
  void durations_read_as_go_prints_them() {
    assertThat(ProviderMessages.goDuration(Duration.ofMillis(4900))).isEqualTo("4.9s");
    assertThat(ProviderMessages.goDuration(Duration.ofMillis(950))).isEqualTo("950ms");
    assertThat(ProviderMessages.goDuration(Duration.ofSeconds(2))).isEqualTo("2s");
  }

  @Test
  void requests_are_checked_for_shape() throws Exception {
    assertThat(ProviderMessages.parse(bytes("{\"apiVersion\":\"externaldata.gatekeeper.sh/v1alpha1\",\"request\":{\"keys\":[\"a\"]}}")))
        .isEqualTo(new ProviderMessages.ProviderRequest("externaldata.gatekeeper.sh/v1alpha1", java.util.List.of("a")));
    assertThatThrownBy(() -> ProviderMessages.parse(bytes("[]"))).hasMessageStartingWith("malformed ProviderRequest");
    assertThatThrownBy(() -> ProviderMessages.parse(bytes("{\"kind\":\"AdmissionReview\",\"request\":{\"keys\":[]}}")))
        .hasMessageContaining("kind must be \"ProviderRequest\"");
    assertThatThrownBy(() -> ProviderMessages.parse(bytes("{\"request\":{\"keys\":[1]}}")))
        .hasMessageContaining("must be a string");
    assertThatThrownBy(() -> ProviderMessages.parse(bytes("{}"))).hasMessageContaining("\"request\" must be an object");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @org.junit.jupiter.api.Test
  void timestamps_print_as_go_prints_rfc3339_nano() {
    assertThat(ProviderMessages.goTime(java.time.Instant.parse("2025-01-30T15:04:15Z"))).isEqualTo("2025-01-30T15:04:15Z");
    assertThat(ProviderMessages.goTime(java.time.Instant.parse("2025-01-30T15:04:15.500Z"))).isEqualTo("2025-01-30T15:04:15.5Z");
    assertThat(ProviderMessages.goTime(java.time.Instant.parse("2025-01-30T15:04:15.682247974Z")))
        .isEqualTo("2025-01-30T15:04:15.682247974Z");
    assertThat(ProviderMessages.goTime(java.time.Instant.parse("2025-01-30T15:04:15.000000010Z")))
        .isEqualTo("2025-01-30T15:04:15.00000001Z");
  }
}
