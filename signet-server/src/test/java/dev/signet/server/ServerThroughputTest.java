package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import dev.signet.verify.ConfiguredExecutor;
import dev.signet.verify.DecisionService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Warm verify throughput and latency against {@code /healthz} of the same server in the same run,
 * over TLS on loopback, with notation's signed e2e OCI layout behind the provider. The smoke test
 * runs always with tiny counts (it checks the generator, not the speed); the measurement runs with
 * {@code -Dsignet.load=true} and prints a Markdown table for docs/performance.md.
 */
class ServerThroughputTest {
  private static final String E2E = "notation/test/e2e/testdata/";
  private static final String SUBJECT =
      "local/e2e@sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";

  @TempDir Path dir;

  @Test
  void the_generator_sends_what_it_is_told_and_every_answer_is_right() throws Exception {
    List<LoopbackLoad.Stats> stats = measure(4, 40, Duration.ofSeconds(60), 10);
    for (LoopbackLoad.Stats s : stats) {
      assertThat(s.sent()).as(s.name()).isEqualTo(40);
      assertThat(s.failed()).as(s.name()).isZero();
      assertThat(s.latencyNanos()).hasSize(40);
      assertThat(s.percentileMillis(99)).isGreaterThanOrEqualTo(s.percentileMillis(50));
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "signet.load", matches = "true")
  void measure_for_the_performance_notes() throws Exception {
    int clients = Integer.getInteger("signet.load.clients", 16);
    int requests = Integer.getInteger("signet.load.requests", 20000);
    List<LoopbackLoad.Stats> stats = measure(clients, requests, Duration.ofSeconds(30), 3000);
    StringBuilder out = new StringBuilder();
    out.append("clients=").append(clients).append(" requests=").append(requests)
        .append(" cores=").append(Runtime.getRuntime().availableProcessors())
        .append(" java=").append(System.getProperty("java.version")).append('\n');
    out.append("| Endpoint | Requests | Failed | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n");
    stats.forEach(s -> out.append(s.row()).append('\n'));
    System.out.println(out);
    Files.writeString(Path.of("target", "server-throughput.md"), out);
    stats.forEach(s -> assertThat(s.failed()).as(s.name()).isZero());
  }

  /** healthz, verify through the engine, verify through the decision cache (warm), in turn. */
  private List<LoopbackLoad.Stats> measure(int clients, int requests, Duration cap, int warmup) throws Exception {
    Clock clock = Clock.systemUTC();
    VerificationConfig loaded = VerificationConfig.load(config(), VerificationConfig.Runtime.standard(clock));
    TestPki.Issued ca = TestTls.ca("Load CA");
    TestTls.write(dir.resolve("certs"), TestTls.server(ca), ca, false);
    DecisionService decisions =
        new DecisionService(
            () -> ConfiguredExecutor.local(1, loaded.executor()), new CaffeineResultCache(), clock);
    boolean[] cached = {false};
    SignetServer server =
        SignetServer.builder()
            .http(new HostPort("127.0.0.1", 0))
            .certDir(dir.resolve("certs"))
            .decisions(s -> cached[0] ? decisions.decide(s) : loaded.executor().verify(s))
            .logStream(new PrintStream(new ByteArrayOutputStream()))
            .build()
            .start();
    try {
      HttpClient client = TestTls.client(null, null, ca);
      String base = "https://localhost:" + server.port();
      HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/healthz")).build();
      HttpRequest verify =
          HttpRequest.newBuilder(URI.create(base + SignetServer.VERIFY_PATH))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(SignetServerTest.providerRequest(List.of(SUBJECT))))
              .build();
      java.util.function.Predicate<HttpResponse<String>> healthy = r -> r.statusCode() == 200;
      java.util.function.Predicate<HttpResponse<String>> allowed =
          r -> r.statusCode() == 200 && StrictJson.MAPPER.readTree(r.body())
              .path("response").path("items").get(0).path("value").path("isSuccess").asBoolean();
      // Warm up both paths (JIT, TLS sessions, connection pool) before measuring.
      LoopbackLoad.run("warmup", client, health, healthy, clients, warmup, cap);
      LoopbackLoad.run("warmup", client, verify, allowed, clients, warmup, cap);
      LoopbackLoad.Stats h = LoopbackLoad.run("GET /healthz", client, health, healthy, clients, requests, cap);
      LoopbackLoad.Stats v =
          LoopbackLoad.run("POST verify (full verification each time)", client, verify, allowed, clients, requests, cap);
      cached[0] = true;
      LoopbackLoad.run("warmup", client, verify, allowed, clients, warmup, cap);
      LoopbackLoad.Stats c =
          LoopbackLoad.run("POST verify (DecisionService, warm cache)", client, verify, allowed, clients, requests, cap);
      return List.of(h, v, c);
    } finally {
      server.stop();
    }
  }

  private Path config() throws Exception {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.putObject("store").putArray("plugins").addObject()
        .put("name", "ocilayout")
        .put("path", Vectors.notary(E2E + "registry/oci_layout/e2e-valid-signature").toString());
    root.putObject("policy").putObject("plugin").put("name", "configPolicy");
    ObjectNode notation = root.putObject("verifier").putArray("plugins").addObject();
    notation.put("name", "verifier-notation").put("type", "notation")
        .put("artifactTypes", "application/vnd.cncf.notary.signature");
    notation.putArray("verificationCerts").add(Vectors.notary(E2E + "config/localkeys/e2e.crt").toString());
    notation.set("trustPolicyDoc", StrictJson.MAPPER.readTree(
        Files.readAllBytes(Vectors.notary(E2E + "config/trustpolicies/trustpolicy.json"))));
    Path file = dir.resolve("config.json");
    Files.write(file, StrictJson.MAPPER.writeValueAsBytes(root));
    return file;
  }
}
