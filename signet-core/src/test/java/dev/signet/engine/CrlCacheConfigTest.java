package dev.signet.engine;

// Ratify's crl.cache.enabled (ratify-reference §1.4, §2.1): a file cache of CRLs when enabled,
// memory only otherwise.

import dev.signet.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.StrictJson;
import dev.signet.testing.SignedLayouts;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.OciLayout;
import dev.signet.testkit.TestCrl;
import dev.signet.testkit.TestPki;
import dev.signet.result.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class CrlCacheConfigTest {
  @TempDir Path dir;

  private LocalHttpServer crlServer;
  private String subject;
  private Path cacheDir;

  @BeforeEach
  void signedLayoutWithACrlDistributionPoint() throws Exception {
    crlServer = new LocalHttpServer();
    TestPki.Issued root = TestPki.root("CN=CRL Cache Root,O=Signet,ST=WA,C=US")
            .keyType(TestPki.KeyType.EC_P256)
            .selfSigned();
    TestPki.Issued leaf =
        TestPki.leaf("CN=CRL Cache Leaf,O=Signet,ST=WA,C=US")
            .keyType(TestPki.KeyType.EC_P256)
            .crl(crlServer.url("/root.crl"))
            .issuedBy(root);
    crlServer.serve("/root.crl", "application/pkix-crl", TestCrl.revoking(root));
    Files.write(dir.resolve("root.der"), root.certificate().getEncoded());

    String image =
        SignedLayouts.signedImage(new OciLayout(dir.resolve("layout")), "app", leaf, root);
    subject = "local/app@" + image;
    cacheDir = dir.resolve("crl-cache");
  }

  @AfterEach
  void stopServer() {
    crlServer.close();
  }

  @Test
  void crl_cache_enabled_must_be_a_boolean() {
    assertThatThrownBy(() -> load("{\"cache\":{\"enabled\":\"yes\"}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("crl.cache.enabled must be true or false, found a string");
    assertThatThrownBy(() -> load("{\"cache\":true}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("crl.cache must be an object, found a boolean");
    assertThatThrownBy(() -> load("[]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("crl must be an object, found an array");
    assertThat(cacheDir).doesNotExist();
  }

  @Test
  void unknown_crl_keys_are_warned_about() throws Exception {
    VerificationConfig c = load("{\"cache\":{\"enabled\":false,\"ttl\":5},\"fetch\":true}");
    assertThat(c.warnings())
        .containsExactlyInAnyOrder(
            "unknown key crl.fetch is ignored", "unknown key crl.cache.ttl is ignored");
  }

  @Test
  void an_enabled_cache_keeps_the_fetched_crl_in_the_directory() throws Exception {
    VerificationResult result = load("{\"cache\":{\"enabled\":true}}").executor().verify(subject);

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(crlServer.requests()).isEqualTo(1);
    assertThat(files(cacheDir)).anyMatch(name -> name.endsWith(".crl"));
  }

  @Test
  void the_directory_cache_answers_a_later_run_while_the_distribution_point_is_down()
      throws Exception {
    assertThat(load("{\"cache\":{\"enabled\":true}}").executor().verify(subject).isSuccess())
        .isTrue();
    crlServer.close();

    // A new runtime stands for a new process: only the directory carries the CRL over.
    VerificationResult cached = load("{\"cache\":{\"enabled\":true}}").executor().verify(subject);
    assertThat(cached.isSuccess()).as(cached.toString()).isTrue();

    VerificationResult uncached = load("{\"cache\":{\"enabled\":false}}").executor().verify(subject);
    assertThat(uncached.isSuccess()).isFalse();
    assertThat(uncached.verifierReports().get(0).errorReason())
        .contains("signing certificate with subject \"CN=CRL Cache Leaf")
        .contains("revocation status is unknown");
  }

  @Test
  void a_disabled_or_absent_cache_writes_no_files() throws Exception {
    assertThat(load("{\"cache\":{\"enabled\":false}}").executor().verify(subject).isSuccess())
        .isTrue();
    assertThat(load(null).executor().verify(subject).isSuccess()).isTrue();
    assertThat(crlServer.requests()).isEqualTo(2);
    assertThat(cacheDir).doesNotExist();
  }

  @Test
  void an_unusable_cache_directory_is_a_configuration_error() throws Exception {
    Files.writeString(cacheDir, "a file, not a directory");
    assertThatThrownBy(() -> load("{\"cache\":{\"enabled\":true}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot use the CRL cache directory " + cacheDir)
        .hasMessageContaining(VerificationConfig.CRL_CACHE_DIR_ENV);
  }

  @Test
  void the_cache_directory_is_the_variable_when_set_else_under_the_home_directory() {
    Map<String, String> env = new HashMap<>();
    assertThat(VerificationConfig.Runtime.crlCacheDirectory(env::get, "/home/u"))
        .isEqualTo(Path.of("/home/u", ".signet", "crl-cache"));
    env.put("SIGNET_CRL_CACHE_DIR", " ");
    assertThat(VerificationConfig.Runtime.crlCacheDirectory(env::get, "/home/u"))
        .isEqualTo(Path.of("/home/u", ".signet", "crl-cache"));
    env.put("SIGNET_CRL_CACHE_DIR", "/var/cache/signet-crl");
    assertThat(VerificationConfig.Runtime.crlCacheDirectory(env::get, "/home/u"))
        .isEqualTo(Path.of("/var/cache/signet-crl"));
  }

  private static List<String> files(Path directory) throws Exception {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** Loads a config for the layout, with {@code crlJson} as the crl section (null: none). */
  private VerificationConfig load(String crlJson) throws Exception {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    if (crlJson != null) {
      root.set("crl", StrictJson.MAPPER.readTree(crlJson));
    }
    root.putObject("store").putArray("plugins").addObject()
        .put("name", "ocilayout").put("path", "layout");
    root.putObject("policy").putObject("plugin").put("name", "configPolicy");
    ObjectNode notation = root.putObject("verifier").putArray("plugins").addObject();
    notation.put("name", "notation").put("artifactTypes", "application/vnd.cncf.notary.signature");
    notation.putObject("verificationCertStores").putObject("ca").putArray("certs").add("root.der");
    notation.set(
        "trustPolicyDoc",
        StrictJson.MAPPER.readTree(
            "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"all\",\"registryScopes\":[\"*\"],"
                + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
                + "\"trustedIdentities\":[\"*\"]}]}"));
    Path file = dir.resolve("config.json");
    Files.write(file, StrictJson.MAPPER.writeValueAsBytes(root));
    return VerificationConfig.load(file, VerificationConfig.Runtime.standard(Clock.systemUTC(), cacheDir));
  }
}
