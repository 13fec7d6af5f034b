package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.result.VerificationResult;
import dev.signet.server.admission.AdmissionMode;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.TestTls;
import dev.signet.verify.ImageResolver;
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
import tools.jackson.databind.node.ObjectNode;

/** The composition root: the server's budgets come from the configuration as it is reloaded. */
class DecisionServerTest {
  @TempDir Path dir;

  /** A working configuration; only its budget matters here. */
  private static String config(long timeoutMs) throws Exception {
    ObjectNode root = OciLayoutProviderTest.e2eConfig("e2e-valid-signature");
    root.putObject("executor").put("verificationRequestTimeout", timeoutMs);
    return StrictJson.MAPPER.writeValueAsString(root);
  }

  private void write(Path file, String json) throws Exception {
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aReloadChangingTheRequestTimeoutIsHonouredByTheNextRequest() throws Exception {
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
            ImageResolver.firstOf(java.util.List.of(), Duration.ofSeconds(1)));
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
