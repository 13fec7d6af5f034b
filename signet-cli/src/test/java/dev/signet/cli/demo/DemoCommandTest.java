package dev.signet.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** The command line's class path has no API server: the signet-demo module brings it. */
  @Test
  void theKubernetesDemoWithoutTheDemoModuleSaysHowToBuildItAndExits2() {
    Run run = run("demo", "--kubernetes");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.out()).contains("the signet-demo module provides fabric8's mock API server")
        .contains("./mvnw -B -DskipTests package");
  }

  @Test
  void theDemoServesOverTlsAdmitsTheSignedImageAndDeniesTheOthersWithTheirReasons() {
    Run run = run("demo");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    String out = run.out();
    assertThat(out).containsPattern("server: https://127\\.0\\.0\\.1:[1-9][0-9]* ");
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
    // cosign's format through the same server path: the .sig tag found by the layout store.
    assertThat(out)
        .containsPattern(
            "pod/cosigned created .*demo\\.signet\\.local/cosigned@sha256:[0-9a-f]{64}");
    assertThat(out)
        .containsPattern(
            "Error from server: admission webhook \"validate\\.signet\\.dev\" denied the request:"
                + " image \"demo\\.signet\\.local/tampered@sha256:[0-9a-f]{64}\" failed"
                + " verification: cosign signature verification failed: the signature does not"
                + " verify with any key of trust policy \"demo-key\"");
    assertThat(out)
        .containsPattern("(?m)^gatekeeper: demo\\.signet\\.local/signed:v1 isSuccess=true$")
        .containsPattern("(?m)^gatekeeper: demo\\.signet\\.local/cosigned:v1 isSuccess=true$")
        .containsPattern("(?m)^gatekeeper: demo\\.signet\\.local/tampered:v1 isSuccess=false$")
        .containsPattern("(?m)^gatekeeper: demo\\.signet\\.local/unsigned:v1 isSuccess=false$")
        .containsPattern("(?m)^gatekeeper: demo\\.signet\\.local/untrusted:v1 isSuccess=false$");
    assertThat(out).doesNotContain("unexpected").contains("demo passed");
  }

  @Test
  void theDemoKeepsItsFilesWhenGivenADirectory() {
    Path kept = dir.resolve("walkthrough");

    Run run = run("demo", "--dir", kept.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(kept.resolve("config.json")).isRegularFile();
    assertThat(kept.resolve("certs/demo-ca.pem")).isRegularFile();
    assertThat(kept.resolve("cosign.pub")).content().startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(kept.resolve("oci-layout/index.json")).content().containsPattern(
        "demo\\.signet\\.local/cosigned:sha256-[0-9a-f]{64}\\.sig");
    assertThat(kept.resolve("oci-layout/index.json")).isRegularFile();
    assertThat(Files.exists(kept.resolve("oci-layout/oci-layout"))).isTrue();
    assertThat(kept.resolve("tls/tls.crt")).isRegularFile();
    assertThat(kept.resolve("tls/tls.key")).isRegularFile();
    // The server's JSON log: one decision line per image it verified.
    assertThat(kept.resolve("server.log"))
        .content()
        .contains("server started: https://127.0.0.1:", "verification response for subject");
  }
}
