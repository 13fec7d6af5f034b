package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.result.VerificationResult;
import dev.signet.server.admission.AdmissionMode;
import dev.signet.testing.TestPki;
import dev.signet.testing.Vectors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root: the server's budgets come from the configuration as it is reloaded. */
class DecisionServerTest {
  private static final String TRUST_POLICY =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"e2e\",\"registryScopes\":[\"*\"],"
          + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
          + "\"trustedIdentities\":[\"*\"]}]}";

  @TempDir Path dir;

  private static String config(long timeoutMs) {
    String layout =
        Vectors.notary("notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature")
            .toString()
            .replace("\\", "\\\\");
    return "{\"executor\":{\"verificationRequestTimeout\":" + timeoutMs + "},"
        + "\"store\":{\"plugins\":[{\"name\":\"ocilayout\",\"path\":\"" + layout + "\"}]},"
        + "\"policy\":{\"plugin\":{\"name\":\"configPolicy\",\"artifactVerificationPolicies\":"
        + "{\"application/vnd.cncf.notary.signature\":\"any\"}}},"
        + "\"verifier\":{\"plugins\":[{\"name\":\"notation\","
        + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\","
        + "\"verificationCerts\":[\"certs\"],\"trustPolicyDoc\":" + TRUST_POLICY + "}]}}";
  }

  private void write(Path file, String json) throws Exception {
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aReloadChangingTheRequestTimeoutIsHonouredByTheNextRequest() throws Exception {
    Path certs = dir.resolve("certs");
    Files.createDirectories(certs);
    Files.copy(
        Vectors.notary("notation/test/e2e/testdata/config/localkeys/e2e.crt"),
        certs.resolve("e2e.crt"));
    Path file = dir.resolve("config.json");
    write(file, config(300));
    Clock clock = Clock.systemUTC();
    ConfigReloader reloader =
        ConfigReloader.load(file, VerificationConfig.Runtime.standard(clock), Duration.ofDays(1));
    // Decisions that never answer in time: every request ends at the server's budget, and its
    // answer names that budget.
    CountDownLatch never = new CountDownLatch(1);
    DecisionSource blocked =
        new DecisionSource(
            subject -> {
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new VerificationResult(subject, false, java.util.List.of());
            },
            reloader::config,
            image -> {
              throw new dev.signet.oci.StoreException("not used");
            });
    TestPki.Issued ca = TestTls.ca("Server CA");
    Path tls = dir.resolve("tls");
    TestTls.write(tls, TestTls.server(ca), ca, false);
    SignetServer server =
        DecisionServer.builder(blocked, new CaffeineResultCache(), AdmissionMode.DENY, clock)
            .onStop(reloader::close)
            .http(new HostPort("127.0.0.1", 0))
            .certDir(tls)
            .logStream(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .build();
    server.start();
    try {
      HttpClient client = TestTls.client(null, null, ca);
      assertThat(verify(client, server)).contains("operation timed out after duration 300ms");

      write(file, config(400));
      assertThat(reloader.reloadIfChanged()).isTrue();

      assertThat(verify(client, server)).contains("operation timed out after duration 400ms");
    } finally {
      never.countDown();
      server.stop();
    }
  }

  private static String verify(HttpClient client, SignetServer server) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + SignetServer.VERIFY_PATH))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    SignetServerTest.providerRequest(java.util.List.of("registry.test/app:1"))))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(500);
    return response.body();
  }
}
