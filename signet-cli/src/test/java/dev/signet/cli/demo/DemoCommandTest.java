package dev.signet.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try {
      System.setOut(both);
      System.setErr(both);
      int exit = Main.run(args);
      return new Run(exit, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void theDemoAdmitsTheSignedImageAndDeniesTheOthersWithTheirReasons() {
    Run run = run("demo");

    assertThat(run.exit()).as(run.out()).isZero();
    String out = run.out();
    assertThat(out)
        .containsPattern("pod/signed created .*demo\\.signet\\.local/signed@sha256:[0-9a-f]{64}");
    assertThat(out)
        .containsPattern(
            "Error from server: admission webhook \"validate\\.signet\\.dev\" denied the request:"
                + " image \"demo\\.signet\\.local/unsigned@sha256:[0-9a-f]{64}\" failed"
                + " verification: no signature was found");
    assertThat(out)
        .containsPattern(
            "Error from server: admission webhook \"validate\\.signet\\.dev\" denied the request:"
                + " image \"demo\\.signet\\.local/untrusted@sha256:[0-9a-f]{64}\" failed"
                + " verification: .+");
    assertThat(out).contains("demo passed");
  }

  @Test
  void theDemoKeepsItsFilesWhenGivenADirectory() {
    Path kept = dir.resolve("walkthrough");

    Run run = run("demo", "--dir", kept.toString());

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(kept.resolve("config.json")).isRegularFile();
    assertThat(kept.resolve("certs/demo-ca.pem")).isRegularFile();
    assertThat(kept.resolve("oci-layout/index.json")).isRegularFile();
    assertThat(Files.exists(kept.resolve("oci-layout/oci-layout"))).isTrue();
  }
}
