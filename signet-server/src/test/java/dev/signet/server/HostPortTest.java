package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void accepts_port_colon_port_host_port_and_bracketed_ipv6() {
    assertThat(HostPort.parse("9099", "0.0.0.0")).isEqualTo(new HostPort("0.0.0.0", 9099));
    assertThat(HostPort.parse(":6001", "0.0.0.0")).isEqualTo(new HostPort("0.0.0.0", 6001));
    assertThat(HostPort.parse("127.0.0.1:8888", "0.0.0.0")).isEqualTo(new HostPort("127.0.0.1", 8888));
    assertThat(HostPort.parse("[::1]:0", "0.0.0.0")).isEqualTo(new HostPort("::1", 0));
    assertThat(new HostPort("::1", 443).toString()).isEqualTo("[::1]:443");
  }

  @Test
  void rejects_what_is_not_an_address() {
    assertThatThrownBy(() -> HostPort.parse("http", "0.0.0.0")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostPort.parse(":70000", "0.0.0.0")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> HostPort.parse("::1:80", "0.0.0.0")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> HostPort.parse(" ", "0.0.0.0")).hasMessageContaining("empty");
  }
}
