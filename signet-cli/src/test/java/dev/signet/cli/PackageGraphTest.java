package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.PackageGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packages of signet-cli's main sources form no cycle (see signet-core's PackageGraphTest). */
class PackageGraphTest {
  @Test
  void packagesFormNoCycle() {
    PackageGraph main = PackageGraph.read(Path.of("src", "main", "java"));

    assertThat(main.packages()).contains("cli", "cli.demo", "cli.kubernetes");
    assertThat(main.cycles()).isEmpty();
  }
}
