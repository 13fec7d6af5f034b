package dev.signet.cli;

// Where crl.cache.enabled keeps CRLs (docs/configuration.md, "crl"): $SIGNET_CRL_CACHE_DIR, else
// ~/.signet/crl-cache. Environment variables cannot be set in-process, so this test starts the
// command line in a child JVM on this test's class path (the home-directory default is covered
// in-process by CrlCacheConfigTest).

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testing.SignedLayouts;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.OciLayout;
import dev.signet.testkit.TestCrl;
import dev.signet.testkit.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlCacheDirectoryTest {
  @TempDir Path dir;

  private LocalHttpServer crls;
  private String subject;
  private Path config;
  private Path home;

  @BeforeEach
  void layoutSignedByALeafWithACrl() throws Exception {
    crls = new LocalHttpServer();
    TestPki.Issued root =
        TestPki.root("CN=Cache Root,O=Signet,ST=WA,C=US").keyType(TestPki.KeyType.EC_P256).selfSigned();
    TestPki.Issued leaf =
        TestPki.leaf("CN=Cache Leaf,O=Signet,ST=WA,C=US")
            .keyType(TestPki.KeyType.EC_P256)
            .crl(crls.url("/root.crl"))
            .issuedBy(root);
    crls.serve("/root.crl", "application/pkix-crl", TestCrl.revoking(root));
    String image =
        SignedLayouts.signedImage(new OciLayout(dir.resolve("layout")), "app", leaf, root);
    Files.write(dir.resolve("root.der"), root.certificate().getEncoded());
    subject = "local/app@" + image;
    config = dir.resolve("config.json");
    Files.writeString(
        config,
        // A cold child JVM fetches and checks the CRL: a deadline for a loaded build machine.
        "{\"executor\":{\"verificationRequestTimeout\":60000},\"crl\":{\"cache\":{\"enabled\":true}},"
            + "\"store\":{\"plugins\":[{\"name\":\"ocilayout\",\"path\":\"layout\"}]},"
            + "\"policy\":{\"plugin\":{\"name\":\"configPolicy\"}},"
            + "\"verifier\":{\"plugins\":[{\"name\":\"notation\","
            + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\","
            + "\"verificationCertStores\":{\"ca\":{\"certs\":[\"root.der\"]}},"
            + "\"trustPolicyDoc\":{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"all\","
            + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
            + "\"trustStores\":[\"ca:certs\"],\"trustedIdentities\":[\"*\"]}]}}]}}",
        StandardCharsets.UTF_8);
    home = dir.resolve("home");
  }

  @AfterEach
  void stopServer() {
    crls.close();
  }

  @Test
  void the_environment_variable_chooses_the_cache_directory() throws Exception {
    Path cache = dir.resolve("env-cache");
    assertThat(signetVerify(cache)).isZero();
    assertThat(crlFiles(cache)).hasSize(1);
    assertThat(home.resolve(".signet")).doesNotExist();
  }

  /** Runs {@code signet verify} in a child JVM with user.home in the temp dir; returns the exit code. */
  private int signetVerify(Path cacheDirEnv) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Duser.home=" + home);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of("verify", "--config", config.toString(), "--subject", subject));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("child-output.txt").toFile());
    pb.environment().remove("SIGNET_CRL_CACHE_DIR");
    if (cacheDirEnv != null) {
      pb.environment().put("SIGNET_CRL_CACHE_DIR", cacheDirEnv.toString());
    }
    Process p = pb.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("signet verify finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    int exit = p.exitValue();
    assertThat(exit).as(Files.readString(dir.resolve("child-output.txt"))).isZero();
    return exit;
  }

  private static List<String> crlFiles(Path directory) throws IOException {
    assertThat(directory).isDirectory();
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".crl")).toList();
    }
  }
}
