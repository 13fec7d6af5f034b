package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.Manifest;
import dev.signet.oci.MediaTypes;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.oci.registry.RegistryPusher;
import dev.signet.reference.Reference;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.Eventually;
import dev.signet.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code signet verify|resolve|discover|referrer} against Debian's real {@code docker-registry}
 * (distribution 2.8.2) with htpasswd basic auth over plain HTTP on 127.0.0.1. The registry has no
 * referrers API, so signatures are found through the referrers tag schema the test pushes.
 */
class RegistryCommandsTest {
  static final String SBOM = "application/spdx+json";

  @TempDir static Path dir;
  static DistributionRegistry registry;
  static Path config;

  /** A pushed image and, when signed, its signature referrer and envelope bytes. */
  record Image(Reference tag, Descriptor subject, Descriptor signature, byte[] envelope) {
    String byTag() {
      return tag.toString();
    }

    String byDigest() {
      return tag.name() + "@" + subject.digest();
    }
  }

  static Image signed;
  static Image unsigned;
  static Image untrusted;
  static Image tree;
  static Descriptor treeSbom;
  static byte[] sbomBytes = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
  static Descriptor sbomSignature;
  static Image binary;
  static final byte[] BINARY_LAYER = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80, '\n'};
  static final String BINARY_TYPE = "application/vnd.example.binary";

  @BeforeAll
  static void pushImages() throws Exception {
    registry = DistributionRegistry.start(dir.resolve("registry"), true, false);
    Path dockerConfig = registry.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD);

    TestPki.Issued root = TestPki.root("CN=Signet CLI Test Root,O=Signet,C=US").selfSigned();
    TestPki.Issued leaf = TestPki.leaf("CN=Signet CLI Signer,O=Signet,C=US").issuedBy(root);
    TestPki.Issued otherRoot = TestPki.root("CN=Someone Else Root,O=Elsewhere,C=US").selfSigned();
    TestPki.Issued otherLeaf = TestPki.leaf("CN=Someone Else,O=Elsewhere,C=US").issuedBy(otherRoot);

    Path configDir = Files.createDirectories(dir.resolve("config"));
    Files.createDirectories(configDir.resolve("certs"));
    Files.writeString(configDir.resolve("certs/root.pem"), pem(root.certificate()));
    Files.copy(dockerConfig, configDir.resolve("docker-config.json"));
    config = configDir.resolve("config.json");
    Files.writeString(config, config("docker-config.json"));

    try (RegistryPusher push = RegistryPusher.withDockerConfig(dockerConfig)) {
      signed = sign(push, registry.host() + "/signet/signed:v1", "signed image", leaf, root);
      untrusted = sign(push, registry.host() + "/signet/untrusted:v1", "untrusted image", otherLeaf, otherRoot);
      Reference u = Reference.parse(registry.host() + "/signet/unsigned:v1");
      unsigned = new Image(u, push.image(u, "unsigned image"), null, null);
      // A tree: image <- signature, image <- SBOM <- signature of the SBOM.
      tree = sign(push, registry.host() + "/signet/tree:v1", "image with an SBOM", leaf, root);
      treeSbom = push.attach(tree.tag(), tree.subject(), SBOM, SBOM, sbomBytes);
      sbomSignature = push.attach(tree.tag(), treeSbom, MediaTypes.NOTARY_SIGNATURE,
          MediaTypes.JWS_ENVELOPE, envelope(leaf, root, treeSbom));
      Reference b = Reference.parse(registry.host() + "/signet/binary:v1");
      Descriptor bImage = push.image(b, "image with a binary attachment");
      binary = new Image(b, bImage, push.attach(b, bImage, BINARY_TYPE, "application/octet-stream", BINARY_LAYER), null);
    }
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  static Image sign(RegistryPusher push, String ref, String text, TestPki.Issued leaf, TestPki.Issued root)
      throws Exception {
    Reference tag = Reference.parse(ref);
    Descriptor subject = push.image(tag, text);
    byte[] env = envelope(leaf, root, subject);
    Descriptor sig = push.attach(tag, subject, MediaTypes.NOTARY_SIGNATURE, MediaTypes.JWS_ENVELOPE, env);
    return new Image(tag, subject, sig, env);
  }

  static byte[] envelope(TestPki.Issued leaf, TestPki.Issued root, Descriptor target) {
    return JwsTestSigner.of(leaf, root.certificate())
        .payloadDescriptor(target.mediaType(), target.digest().toString(), target.size())
        .sign()
        .bytes();
  }

  static String config(String dockerConfigPath) {
    String policy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"cli\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
        + "\"trustedIdentities\":[\"*\"]}]}";
    return "{\"executor\":{\"verificationRequestTimeout\":60000},"
        + "\"store\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"oras\",\"useHttp\":true,"
        + "\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":\"" + dockerConfigPath + "\"}}]},"
        + "\"policy\":{\"version\":\"1.0.0\",\"plugin\":{\"name\":\"configPolicy\","
        + "\"artifactVerificationPolicies\":{\"application/vnd.cncf.notary.signature\":\"any\"}}},"
        + "\"verifier\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"notation\","
        + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\",\"verificationCerts\":[\"certs/root.pem\"],"
        + "\"trustPolicyDoc\":" + policy + "}]}}";
  }

  static String pem(X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  /** One run of the command line with its exit code and captured output. */
  record Run(int exit, String out, String err) {
    /** Stdout as exactly one JSON object (anything else on stdout fails the parse). */
    JsonNode json() {
      try {
        return StrictJson.parseObject(out.getBytes(StandardCharsets.UTF_8), 1 << 20, "stdout");
      } catch (JsonFormatException e) {
        throw new AssertionError("stdout is not one JSON object: " + out, e);
      }
    }
  }

  static Run signet(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Run verify(String subject, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "verify";
    args[1] = "--config=" + config;
    args[2] = "--subject";
    args[3] = subject;
    System.arraycopy(more, 0, args, 4, more.length);
    return signet(args);
  }

  // ---------------------------------------------------------------- verify

  @Test
  void aSignedImageVerifiesByTagAndByDigest() {
    for (String ref : new String[] {signed.byTag(), signed.byDigest()}) {
      Run text = verify(ref);
      assertThat(text.exit()).as(text.out() + text.err()).isZero();
      assertThat(text.out()).startsWith("VERIFIED").contains(signed.signature().digest().toString());

      Run json = verify(ref, "--output", "json");
      assertThat(json.exit()).as(json.out() + json.err()).isZero();
      JsonNode result = json.json();
      assertThat(result.get("isSuccess").asBoolean()).isTrue();
      JsonNode report = result.get("verifierReports").get(0);
      assertThat(report.get("isSuccess").asBoolean()).isTrue();
      assertThat(report.get("referenceDigest").asString()).isEqualTo(signed.signature().digest().toString());
      assertThat(report.get("artifactType").asString()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    }
  }

  @Test
  void anUnsignedImageFailsByTagAndByDigest() {
    for (String ref : new String[] {unsigned.byTag(), unsigned.byDigest()}) {
      Run text = verify(ref);
      assertThat(text.exit()).as(text.out() + text.err()).isEqualTo(1);
      assertThat(text.out()).startsWith("FAILED").contains("no signature was found");

      Run json = verify(ref, "--output", "json");
      assertThat(json.exit()).isEqualTo(1);
      assertThat(json.json().get("isSuccess").asBoolean()).isFalse();
      assertThat(json.json().get("verifierReports").get(0).get("message").asString())
          .contains("no signature was found");
    }
  }

  @Test
  void anImageSignedByAnUntrustedCertificateFailsByTagAndByDigest() {
    for (String ref : new String[] {untrusted.byTag(), untrusted.byDigest()}) {
      Run text = verify(ref);
      assertThat(text.exit()).as(text.out() + text.err()).isEqualTo(1);
      assertThat(text.out()).startsWith("FAILED").contains("authenticity");

      Run json = verify(ref, "--output", "json");
      assertThat(json.exit()).isEqualTo(1);
      JsonNode report = json.json().get("verifierReports").get(0);
      assertThat(report.get("isSuccess").asBoolean()).isFalse();
      assertThat(report.get("referenceDigest").asString()).isEqualTo(untrusted.signature().digest().toString());
      assertThat(report.get("message").asString()).contains("authenticity");
    }
  }

  @Test
  void aRegistryThatDeniesAccessIsAFailureNotAConfigurationError() throws Exception {
    Path wrongCreds = registry.dockerConfig("intruder", "not-the-password");
    Path wrongConfig = dir.resolve("config/wrong-credentials.json");
    Files.writeString(wrongConfig, config(wrongCreds.toString()));
    Run run = signet("verify", "--config", wrongConfig.toString(), "--subject", signed.byTag(), "--output", "json");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.json().get("isSuccess").asBoolean()).isFalse();
    assertThat(run.out() + run.err()).doesNotContain("not-the-password");
  }

  // ---------------------------------------------------------------- resolve

  @Test
  void resolvePrintsOnlyTheDigest() {
    Run byTag = signet("resolve", "--config", config.toString(), "--subject", signed.byTag());
    assertThat(byTag.exit()).as(byTag.err()).isZero();
    assertThat(byTag.out()).isEqualTo(signed.subject().digest() + System.lineSeparator());

    Run byDigest = signet("resolve", "-c", config.toString(), "-s", signed.byDigest(), "-o", "json");
    assertThat(byDigest.exit()).as(byDigest.err()).isZero();
    JsonNode json = byDigest.json();
    assertThat(json.get("digest").asString()).isEqualTo(signed.subject().digest().toString());
    assertThat(json.get("mediaType").asString()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(json.get("size").asLong()).isEqualTo(signed.subject().size());
    assertThat(json.get("reference").asString()).isEqualTo(signed.byDigest());
  }

  @Test
  void resolveExitCodesForMissingSubjectsBadReferencesAndBadConfigurations() throws Exception {
    Run missing = signet("resolve", "--config", config.toString(), "--subject", registry.host() + "/signet/signed:nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).contains("could not resolve").contains("signet/signed:nope");

    Run badRef = signet("resolve", "--config", config.toString(), "--subject", "Not A Reference!");
    assertThat(badRef.exit()).isEqualTo(2);
    assertThat(badRef.err()).contains("not a valid image reference");

    Path bad = dir.resolve("config/bad.json");
    Files.writeString(bad, "{\"store\":{\"plugins\":[{\"name\":\"oras\",\"useHttp\":\"yes\"}]}}");
    Run badConfig = signet("resolve", "--config", bad.toString(), "--subject", signed.byTag());
    assertThat(badConfig.exit()).isEqualTo(2);
    assertThat(badConfig.err()).contains(bad.toString());

    assertThat(signet("resolve", "--subject", signed.byTag()).exit()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- discover

  @Test
  void discoverPrintsTheReferrerTree() {
    Run text = signet("discover", "--config", config.toString(), "--subject", tree.byTag());
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out().lines().toList()).containsExactly(
        tree.byDigest(),
        "|-- " + MediaTypes.NOTARY_SIGNATURE + "  " + tree.signature().digest(),
        "`-- " + SBOM + "  " + treeSbom.digest(),
        "    `-- " + MediaTypes.NOTARY_SIGNATURE + "  " + sbomSignature.digest());

    Run shallow = signet("discover", "--config", config.toString(), "--subject", tree.byTag(), "--depth", "1");
    assertThat(shallow.out().lines()).hasSize(3);
  }

  @Test
  void discoverJsonNestsReferrers() {
    Run run = signet("discover", "--config", config.toString(), "--subject", tree.byDigest(), "--output", "json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = run.json();
    assertThat(json.get("digest").asString()).isEqualTo(tree.subject().digest().toString());
    JsonNode referrers = json.get("referrers");
    assertThat(referrers.size()).isEqualTo(2);
    assertThat(referrers.get(0).get("digest").asString()).isEqualTo(tree.signature().digest().toString());
    assertThat(referrers.get(0).get("artifactType").asString()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    assertThat(referrers.get(0).get("referrers").size()).isZero();
    JsonNode sbom = referrers.get(1);
    assertThat(sbom.get("artifactType").asString()).isEqualTo(SBOM);
    assertThat(sbom.get("size").asLong()).isEqualTo(treeSbom.size());
    assertThat(sbom.get("referrers").get(0).get("digest").asString()).isEqualTo(sbomSignature.digest().toString());
  }

  @Test
  void discoverOfAnUnsignedImageIsAnEmptyTree() {
    Run run = signet("discover", "--config", config.toString(), "--subject", unsigned.byTag(), "-o", "json");
    assertThat(run.exit()).isZero();
    assertThat(run.json().get("referrers").size()).isZero();
  }

  // ---------------------------------------------------------------- referrer show-*

  @Test
  void showManifestWritesTheSignatureManifestBytes() throws Exception {
    Run run = signet("referrer", "show-manifest", "--config", config.toString(), "--subject", signed.byTag(),
        "--digest", signed.signature().digest().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    byte[] bytes = run.out().getBytes(StandardCharsets.UTF_8);
    assertThat(Digest.sha256(bytes)).isEqualTo(signed.signature().digest());
    Manifest m = Manifest.parse(bytes, null);
    assertThat(m.subject().digest()).isEqualTo(signed.subject().digest());

    // The subject's own manifest, and a manifest of the repository that is no referrer (by digest).
    Run subject = signet("referrer", "show-manifest", "-c", config.toString(), "-s", signed.byTag(),
        "-d", signed.subject().digest().toString());
    assertThat(Digest.sha256(subject.out().getBytes(StandardCharsets.UTF_8))).isEqualTo(signed.subject().digest());
    Run nested = signet("referrer", "show-manifest", "-c", config.toString(), "-s", tree.byTag(),
        "-d", sbomSignature.digest().toString());
    assertThat(nested.exit()).as(nested.err()).isZero();
    assertThat(Digest.sha256(nested.out().getBytes(StandardCharsets.UTF_8))).isEqualTo(sbomSignature.digest());

    Run absent = signet("referrer", "show-manifest", "-c", config.toString(), "-s", signed.byTag(),
        "-d", Digest.sha256("nothing".getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(absent.exit()).isEqualTo(1);
    assertThat(absent.out()).isEmpty();
  }

  @Test
  void showBlobWritesTheEnvelopeBytes() throws Exception {
    Digest envelope = Digest.sha256(signed.envelope());
    Run run = signet("referrer", "show-blob", "--config", config.toString(), "--subject", signed.byDigest(),
        "--digest", envelope.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().getBytes(StandardCharsets.UTF_8)).isEqualTo(signed.envelope());

    Path file = dir.resolve("sbom.json");
    Run toFile = signet("referrer", "show-blob", "-c", config.toString(), "-s", tree.byTag(),
        "-d", Digest.sha256(sbomBytes).toString(), "--output-file", file.toString());
    assertThat(toFile.exit()).as(toFile.err()).isZero();
    assertThat(toFile.out()).isEmpty();
    assertThat(Files.readAllBytes(file)).isEqualTo(sbomBytes);

    // The subject's own layer is not a referrer's blob.
    Run notAReferrerBlob = signet("referrer", "show-blob", "-c", config.toString(), "-s", signed.byTag(),
        "-d", Digest.sha256("signed image".getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(notAReferrerBlob.exit()).isEqualTo(1);
    assertThat(notAReferrerBlob.err()).contains("no referrer of");

    Run badDigest = signet("referrer", "show-blob", "-c", config.toString(), "-s", signed.byTag(), "-d", "md5:abc");
    assertThat(badDigest.exit()).isEqualTo(2);
  }

  @Test
  void binaryBlobsGoToAFileWhenStdoutIsOnlyAWriter() throws Exception {
    String digest = Digest.sha256(BINARY_LAYER).toString();
    Run toWriter = signet("referrer", "show-blob", "-c", config.toString(), "-s", binary.byTag(), "-d", digest);
    assertThat(toWriter.exit()).isEqualTo(2);
    assertThat(toWriter.out()).isEmpty();
    assertThat(toWriter.err()).contains("--output-file");

    Path file = dir.resolve("binary.bin");
    Run toFile = signet("referrer", "show-blob", "-c", config.toString(), "-s", binary.byTag(), "-d", digest,
        "--output-file", file.toString());
    assertThat(toFile.exit()).as(toFile.err()).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(BINARY_LAYER);
  }

  // ---------------------------------------------------------------- request count

  static final Pattern REQUESTS = Pattern.compile("store 1 \\(oras\\): (\\d+) registry request");
  static final Pattern ACCESS = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ");

  /** What one cold {@code signet verify --verbose} sent, by its own count and by the registry's log. */
  record Cold(long counted, List<String> seen) {}

  static Cold cold(String subject) throws Exception {
    int before = registry.accessLog().size();
    Run run = verify(subject, "--verbose", "--output", "json");
    Matcher m = REQUESTS.matcher(run.err());
    assertThat(m.find()).as(run.err()).isTrue();
    assertThat(run.json().has("isSuccess")).isTrue(); // the count went to stderr, stdout stays one object
    long counted = Long.parseLong(m.group(1));
    // The registry writes its access log line after answering; give the last line a moment.
    List<String> log = Eventually.until(registry::accessLog, l -> l.size() >= before + counted);
    List<String> seen = log.subList(before, log.size()).stream()
        .map(line -> {
          Matcher a = ACCESS.matcher(line);
          assertThat(a.find()).isTrue();
          return a.group(1) + " " + a.group(2) + " " + a.group(3);
        })
        .toList();
    System.err.println("cold verify " + subject + ": " + counted + " request(s)\n  " + String.join("\n  ", seen));
    return new Cold(counted, seen);
  }

  @Test
  void oneColdVerificationSendsAtMostSevenRequests() throws Exception {
    // Each run of the command line has a new store: cold content cache, no credentials learnt yet.
    String repo = "/v2/signet/signed/";
    String subject = signed.subject().digest().toString();
    String hex = signed.subject().digest().hex();
    String signature = signed.signature().digest().toString();
    String envelope = Digest.sha256(signed.envelope()).toString();
    // The registry is not known to the new store: the referrers API and the tag-schema index are
    // asked at the same time, so their two lines come in either order.
    List<String> listing = List.of(
        "GET " + repo + "referrers/" + subject + " 404", // 2.8.2 has no referrers API
        "GET " + repo + "manifests/sha256-" + hex + " 200"); // the referrers tag-schema index
    List<String> content = List.of(
        "GET " + repo + "manifests/" + signature + " 200", // the signature manifest
        "GET " + repo + "blobs/" + envelope + " 200"); // the JWS envelope

    Cold byTag = cold(signed.byTag());
    assertThat(byTag.counted()).isLessThanOrEqualTo(7).isEqualTo(byTag.seen().size()).isEqualTo(6);
    assertThat(byTag.seen().subList(0, 2)).containsExactly(
        "HEAD " + repo + "manifests/v1 401", // the basic-auth challenge
        "HEAD " + repo + "manifests/v1 200"); // the subject: its digest from Docker-Content-Digest
    assertThat(byTag.seen().subList(2, 4)).containsExactlyInAnyOrderElementsOf(listing);
    assertThat(byTag.seen().subList(4, 6)).containsExactlyElementsOf(content);

    Cold byDigest = cold(signed.byDigest());
    assertThat(byDigest.counted()).isLessThanOrEqualTo(7).isEqualTo(byDigest.seen().size()).isEqualTo(6);
    assertThat(byDigest.seen().subList(0, 2)).containsExactly(
        "HEAD " + repo + "manifests/" + subject + " 401",
        "HEAD " + repo + "manifests/" + subject + " 200");
    assertThat(byDigest.seen().subList(2, 4)).containsExactlyInAnyOrderElementsOf(listing);
    assertThat(byDigest.seen().subList(4, 6)).containsExactlyElementsOf(content);

    Cold untrustedByTag = cold(untrusted.byTag());
    assertThat(untrustedByTag.counted()).isEqualTo(byTag.counted());

    Cold none = cold(unsigned.byTag());
    assertThat(none.counted()).isEqualTo(none.seen().size()).isEqualTo(4);
    assertThat(none.seen().subList(2, 4))
        .anySatisfy(l -> assertThat(l).endsWith("manifests/sha256-" + unsigned.subject().digest().hex() + " 404"));
  }

}
