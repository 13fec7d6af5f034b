package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.json.StrictJson;
import dev.signet.reference.Digest;
import dev.signet.testkit.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The browsing commands on an {@code ocilayout} store: notation's e2e layout (real notation
 * output), read in place. Other stores than registries list direct referrers only.
 */
class LayoutCommandsTest {
  static final String LAYOUT = "notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature";
  static final String SUBJECT =
      "local/e2e@sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";
  static final String SIGNATURE =
      "sha256:90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f";
  static final String ENVELOPE =
      "sha256:c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50";

  @TempDir Path dir;
  Path config;

  @BeforeEach
  void writeConfig() throws Exception {
    Path layout = Vectors.notary(LAYOUT);
    Path cert = Vectors.notary("notation/test/e2e/testdata/config/localkeys/e2e.crt");
    config = dir.resolve("config.json");
    Files.writeString(config, "{\"store\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"ocilayout\",\"path\":"
        + quote(layout) + "}]},"
        + "\"policy\":{\"version\":\"1.0.0\",\"plugin\":{\"name\":\"configPolicy\"}},"
        + "\"verifier\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"notation\","
        + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\",\"verificationCerts\":[" + quote(cert) + "],"
        + "\"trustPolicyDoc\":{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"e2e\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
        + "\"trustedIdentities\":[\"*\"]}]}}]}}");
  }

  static String quote(Path p) {
    return "\"" + p.toString().replace("\\", "\\\\") + "\"";
  }

  record Run(int exit, String out, String err) {}

  static Run signet(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void resolveAndDiscoverReadTheLayout() throws Exception {
    Run resolve = signet("resolve", "-c", config.toString(), "-s", SUBJECT);
    assertThat(resolve.exit()).as(resolve.err()).isZero();
    assertThat(resolve.out().strip()).isEqualTo(SUBJECT.substring(SUBJECT.indexOf('@') + 1));

    Run discover = signet("discover", "-c", config.toString(), "-s", SUBJECT);
    assertThat(discover.out().lines().toList())
        .containsExactly(SUBJECT, "`-- application/vnd.cncf.notary.signature  " + SIGNATURE);

    Run json = signet("discover", "-c", config.toString(), "-s", SUBJECT, "-o", "json");
    JsonNode tree = StrictJson.parseObject(json.out().getBytes(StandardCharsets.UTF_8), 1 << 20, "stdout");
    assertThat(tree.get("referrers").get(0).get("digest").asString()).isEqualTo(SIGNATURE);
    assertThat(tree.get("referrers").get(0).get("size").asLong()).isEqualTo(728);
  }

  @Test
  void showManifestAndShowBlobWriteTheCheckedBytes() throws Exception {
    Run manifest = signet("referrer", "show-manifest", "-c", config.toString(), "-s", SUBJECT, "-d", SIGNATURE);
    assertThat(manifest.exit()).as(manifest.err()).isZero();
    assertThat(Digest.sha256(manifest.out().getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo(SIGNATURE);

    Path file = dir.resolve("envelope.jws");
    Run blob = signet("referrer", "show-blob", "-c", config.toString(), "-s", SUBJECT, "-d", ENVELOPE,
        "--output-file", file.toString());
    assertThat(blob.exit()).as(blob.err()).isZero();
    assertThat(Digest.sha256(Files.readAllBytes(file)).toString()).isEqualTo(ENVELOPE);
  }

  @Test
  void aSubjectTheLayoutDoesNotHoldIsExitOne() {
    Run run = signet("resolve", "-c", config.toString(), "-s",
        "local/e2e@sha256:0000000000000000000000000000000000000000000000000000000000000000");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("could not resolve");
  }

  @Test
  void referrerAloneAndUnknownOptionsAreUsageErrors() {
    assertThat(signet("referrer", "show-blob", "-c", config.toString(), "-s", SUBJECT).exit()).isEqualTo(2);
    assertThat(signet("discover", "-c", config.toString(), "-s", SUBJECT, "--depth", "0").exit()).isEqualTo(2);
    assertThat(signet("resolve", "-c", config.toString(), "-s", SUBJECT, "-o", "yaml").exit()).isEqualTo(2);
  }
}
