package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cosign.CosignSigner;
import dev.signet.cosign.PublicKeys;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.oci.registry.RegistryPusher;
import dev.signet.reference.Reference;
import dev.signet.server.SignetServer;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code signet verify} of cosign-signed images in Debian's real docker-registry (distribution
 * 2.8.2): signatures are pushed as cosign does ({@code sha256-<hex>.sig} tag, simple-signing layer,
 * signature annotation), found through a store with {@code cosignEnabled}, and combined with
 * notation signatures under configPolicy.
 */
class CosignCommandsTest {
  @TempDir static Path dir;
  static DistributionRegistry registry;
  static KeyPair key;
  static Path anyConfig;
  static Path allConfig;
  static String cosigned;
  static String tampered;
  static String otherKey;
  static String both;
  static String notationOnly;

  @BeforeAll
  static void pushImages() throws Exception {
    registry = DistributionRegistry.start(dir.resolve("registry"), true, false);
    Path dockerConfig =
        registry.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD);
    key = ec();
    KeyPair stranger = ec();
    TestPki.Issued root = TestPki.root("CN=Cosign Test Root,O=Signet,C=US").selfSigned();
    TestPki.Issued leaf = TestPki.leaf("CN=Cosign Test Signer,O=Signet,C=US").issuedBy(root);
    Path configDir = Files.createDirectories(dir.resolve("config"));
    Files.writeString(configDir.resolve("cosign.pub"), PublicKeys.pem(key.getPublic()));
    Files.writeString(configDir.resolve("root.pem"), RegistryCommandsTest.pem(root.certificate()));
    Files.copy(dockerConfig, configDir.resolve("docker-config.json"));
    anyConfig = Files.writeString(configDir.resolve("cosign.json"),
        config("{\"application/vnd.dev.cosign.artifact.sig.v1+json\":\"any\"}"));
    allConfig = Files.writeString(configDir.resolve("both.json"),
        config("{\"application/vnd.cncf.notary.signature\":\"all\","
            + "\"application/vnd.dev.cosign.artifact.sig.v1+json\":\"all\"}"));

    try (RegistryPusher push = RegistryPusher.withDockerConfig(dockerConfig)) {
      cosigned = cosign(push, "signet/cosigned:v1", key, false).ref();
      tampered = cosign(push, "signet/tampered:v1", key, true).ref();
      otherKey = cosign(push, "signet/stranger:v1", stranger, false).ref();
      Pushed b = cosign(push, "signet/both:v1", key, false);
      both = b.ref();
      notation(push, b, leaf, root);
      Reference n = Reference.parse(registry.host() + "/signet/notation-only:v1");
      notationOnly = n.toString();
      notation(push, new Pushed(notationOnly, push.image(n, "notation only")), leaf, root);
    }
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  record Pushed(String ref, Descriptor image) {}

  /** Pushes an image and its cosign signature manifest under the {@code .sig} tag. */
  static Pushed cosign(RegistryPusher push, String repoTag, KeyPair signer, boolean tamper)
      throws Exception {
    Reference ref = Reference.parse(registry.host() + "/" + repoTag);
    Descriptor image = push.image(ref, "image " + repoTag);
    byte[] payload = CosignSigner.simpleSigning(ref.name(), image.digest());
    byte[] sig = CosignSigner.signature(signer.getPrivate(), payload);
    if (tamper) {
      payload = new String(payload, StandardCharsets.UTF_8).replace("\"optional\":null",
          "\"optional\":{\"note\":\"changed\"}").getBytes(StandardCharsets.UTF_8);
    }
    push.cosign(ref, CosignSigner.manifest(image.digest(), payload, sig));
    return new Pushed(ref.toString(), image);
  }

  static void notation(RegistryPusher push, Pushed pushed, TestPki.Issued leaf,
      TestPki.Issued root) throws Exception {
    Reference ref = Reference.parse(pushed.ref());
    Descriptor image = pushed.image();
    byte[] env = JwsTestSigner.of(leaf, root.certificate())
        .payloadDescriptor(image.mediaType(), image.digest().toString(), image.size())
        .sign().bytes();
    push.attach(ref, image, MediaTypes.NOTARY_SIGNATURE, MediaTypes.JWS_ENVELOPE, env);
  }

  /** A configuration with both verifiers and the given configPolicy artifact rules. */
  static String config(String rules) {
    String notationPolicy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"n\","
        + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:certs\"],\"trustedIdentities\":[\"*\"]}]}";
    // The tag cache is off, so the requests that resolve tags can be counted.
    return "{\"executor\":{\"verificationRequestTimeout\":60000},\"cache\":{\"tagTtl\":0},"
        + "\"store\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"oras\",\"useHttp\":true,"
        + "\"cosignEnabled\":true,\"authProvider\":{\"name\":\"dockerConfig\","
        + "\"configPath\":\"docker-config.json\"}}]},"
        + "\"policy\":{\"version\":\"1.0.0\",\"plugin\":{\"name\":\"configPolicy\","
        + "\"artifactVerificationPolicies\":" + rules + "}},"
        + "\"verifier\":{\"version\":\"1.0.0\",\"plugins\":["
        + "{\"name\":\"cosign\",\"artifactTypes\":\"application/vnd.dev.cosign.artifact.sig.v1+json\","
        + "\"trustPolicies\":[{\"name\":\"team\",\"scopes\":[\"" + "*" + "\"],"
        + "\"keys\":[{\"file\":\"cosign.pub\"}],\"tLogVerify\":false}]},"
        + "{\"name\":\"notation\",\"artifactTypes\":\"application/vnd.cncf.notary.signature\","
        + "\"verificationCerts\":[\"root.pem\"],\"trustPolicyDoc\":" + notationPolicy + "}]}}";
  }

  private static RegistryCommandsTest.Run verify(Path config, String subject) {
    return RegistryCommandsTest.signet("verify", "--config", config.toString(), "--subject",
        subject, "--output", "json");
  }

  @Test
  void cosignSignedImageIsVerifiedAndOthersAreNot() {
    RegistryCommandsTest.Run ok = verify(anyConfig, cosigned);
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    JsonNode report = ok.json().path("verifierReports").get(0);
    assertThat(report.path("verifierType").asString()).isEqualTo("cosign");
    assertThat(report.path("extensions").path("trustPolicy").asString()).isEqualTo("team");

    RegistryCommandsTest.Run altered = verify(anyConfig, tampered);
    assertThat(altered.exit()).isEqualTo(1);
    assertThat(altered.out()).contains("does not verify with any key");

    RegistryCommandsTest.Run stranger = verify(anyConfig, otherKey);
    assertThat(stranger.exit()).isEqualTo(1);
    assertThat(stranger.json().path("isSuccess").asBoolean()).isFalse();
  }

  /** As in Ratify, every artifact type the configPolicy names must be satisfied. */
  @Test
  void configPolicyCombinesNotationAndCosign() {
    RegistryCommandsTest.Run ok = verify(allConfig, both);
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.json().path("verifierReports")).hasSize(2);
    assertThat(verify(allConfig, notationOnly).exit()).as("the cosign signature is missing")
        .isEqualTo(1);
    assertThat(verify(allConfig, cosigned).exit()).as("the notation signature is missing")
        .isEqualTo(1);
    assertThat(verify(anyConfig, notationOnly).exit()).as("no cosign signature").isEqualTo(1);
  }

  /**
   * {@code signet serve} (TLS, Gatekeeper's external data request) decides cosign signatures as
   * notation ones: one report per image in Ratify's shape, the reason of a denial, and a repeated
   * request answered from the cache without asking the registry again.
   */
  @Test
  void servedOverTlsTheCosignSignedImageIsAllowedAndTheTamperedOneDenied() throws Exception {
    TestPki.Issued ca = TestPki.root("CN=Cosign Serve CA").selfSigned();
    Path certs = ServeCommandTest.certs(ca, Files.createDirectories(dir.resolve("serve")));
    ServeCommand command = new ServeCommand();
    CommandLine cli = new CommandLine(command);
    cli.setErr(new PrintWriter(new StringWriter()));
    cli.parseArgs("--config", anyConfig.toString(), "--http", "127.0.0.1:0", "--cert-dir",
        certs.toString(), "--metrics-port", "127.0.0.1:0");
    SignetServer server = command.start(Clock.systemUTC());
    try {
      HttpClient tls = HttpClient.newBuilder().sslContext(TestTls.context(null, ca)).build();
      JsonNode items = gatekeeper(tls, server);
      assertThat(items).hasSize(2);
      JsonNode allowed = items.get(0).path("value");
      assertThat(items.get(0).path("key").asString()).isEqualTo(cosigned);
      assertThat(allowed.path("isSuccess").asBoolean()).as(allowed.toString()).isTrue();
      JsonNode report = allowed.path("verifierReports").get(0);
      assertThat(report.path("verifierType").asString()).isEqualTo("cosign");
      assertThat(report.path("extensions").path("trustPolicy").asString()).isEqualTo("team");
      JsonNode denied = items.get(1).path("value");
      assertThat(items.get(1).path("key").asString()).isEqualTo(tampered);
      assertThat(denied.path("isSuccess").asBoolean()).isFalse();
      assertThat(denied.toString()).contains("does not verify with any key");

      long registryCalls = registryRequests(server);
      assertThat(registryCalls).isPositive();
      JsonNode again = gatekeeper(tls, server);
      assertThat(again.get(0).path("value").path("isSuccess").asBoolean()).isTrue();
      assertThat(again.get(1).path("value").path("isSuccess").asBoolean()).isFalse();
      // Each tag is resolved to its digest again (no tag cache here); the decisions are cached.
      assertThat(registryRequests(server)).as("only the two tags are resolved again")
          .isEqualTo(registryCalls + 2);
    } finally {
      server.stop();
    }
  }

  private static JsonNode gatekeeper(HttpClient tls, SignetServer server) throws Exception {
    String body = "{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\","
        + "\"kind\":\"ProviderRequest\",\"request\":{\"keys\":[\"" + cosigned + "\",\""
        + tampered + "\"]}}";
    HttpResponse<String> r = tls.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + server.port() + "/ratify/gatekeeper/v1/verify"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return StrictJson.MAPPER.readTree(r.body()).path("response").path("items");
  }

  private static long registryRequests(SignetServer server) throws Exception {
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^ratify_registry_request_count\\S*\\s+([0-9.]+)$")
        .matcher(metrics);
    assertThat(m.find()).as(metrics).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  @Test
  void humanOutputNamesTheCosignSigner() {
    RegistryCommandsTest.Run ok = RegistryCommandsTest.signet("verify", "--config",
        anyConfig.toString(), "--subject", cosigned);
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("VERIFIED").contains("cosign signature verification success");
  }
}
