package dev.signet.cli;

import static dev.signet.cli.LayoutCommandsTest.signet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cli.LayoutCommandsTest.Run;
import dev.signet.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes and messages of the command line that are not about one command's work. */
class CommandLineContractTest {
  @TempDir Path dir;

  @Test
  void signet_without_a_command_prints_its_usage_and_exits_2() {
    Run run = signet();
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("signet: a command is required").contains("Usage: signet", "verify", "serve");
  }

  @Test
  void referrer_without_a_command_prints_its_usage_and_exits_2() {
    Run run = signet("referrer");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("signet referrer: a command is required")
        .contains("show-manifest", "show-blob");
  }

  @Test
  void the_version_comes_from_the_build_and_every_command_prints_it() {
    Run root = signet("--version");
    assertThat(root.exit()).isZero();
    assertThat(root.out().strip()).matches("signet \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    for (String[] args :
        new String[][] {
          {"-V"}, {"verify", "--version"}, {"serve", "--version"}, {"referrer", "show-blob", "-V"}
        }) {
      Run run = signet(args);
      assertThat(run.exit()).as(String.join(" ", args)).isZero();
      assertThat(run.out()).as(String.join(" ", args)).isEqualTo(root.out());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"verify", "resolve", "discover", "referrer show-manifest"})
  void a_malformed_subject_is_a_usage_error_named_before_the_configuration_is_read(String command) {
    String[] words = command.split(" ");
    String[] args = new String[words.length + 6];
    System.arraycopy(words, 0, args, 0, words.length);
    System.arraycopy(
        new String[] {"--config", dir.resolve("absent.json").toString(), "--subject", "Local/App!:v1"},
        0, args, words.length, 4);
    args[words.length + 4] = "--digest";
    args[words.length + 5] = "sha256:" + "0".repeat(64);
    if (!command.startsWith("referrer")) {
      args = java.util.Arrays.copyOf(args, words.length + 4);
    }
    Run run = signet(args);
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("the subject \"Local/App!:v1\" is not a valid image reference")
        .doesNotContain("absent.json");
  }

  @Test
  void an_oci_layout_subject_may_be_a_tag() throws Exception {
    Path layout = Vectors.notary(LayoutCommandsTest.LAYOUT);
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"store\":{\"plugins\":[{\"name\":\"ocilayout\",\"path\":" + LayoutCommandsTest.quote(layout) + "}]},"
            + "\"policy\":{\"plugin\":{\"name\":\"configPolicy\"}},"
            + "\"verifier\":{\"plugins\":[{\"name\":\"notation\","
            + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\",\"verificationCerts\":["
            + LayoutCommandsTest.quote(
                Vectors.notary("notation/test/e2e/testdata/config/localkeys/e2e.crt"))
            + "],\"trustPolicyDoc\":{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"e2e\","
            + "\"registryScopes\":[\"local/e2e\"],\"signatureVerification\":{\"level\":\"strict\"},"
            + "\"trustStores\":[\"ca:certs\"],\"trustedIdentities\":[\"*\"]}]}}]}}");
    Run resolve = signet("resolve", "-c", config.toString(), "-s", "local/e2e:v1");
    assertThat(resolve.exit()).as(resolve.err()).isZero();
    assertThat(resolve.out().strip()).isEqualTo(LayoutCommandsTest.SUBJECT.substring(LayoutCommandsTest.SUBJECT.indexOf('@') + 1));
    Run verify = signet("verify", "-c", config.toString(), "-s", "local/e2e:v1");
    assertThat(verify.exit()).as(verify.err() + verify.out()).isZero();
  }
}
