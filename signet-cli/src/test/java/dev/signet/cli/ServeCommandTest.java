package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.config.ConfigException;
import dev.signet.server.DecisionServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.signet.engine.ConfigReloader;
import dev.signet.engine.CountingStores;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.server.HostPort;
import dev.signet.server.admission.AdmissionMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import dev.signet.server.SignetServer;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.Eventually;
import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ServeCommandTest {
  private static final String E2E = "notation/test/e2e/testdata/";
  private static final String IMAGE =
      "sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";

  private static final long CHILD_GUARD_SECONDS = 60;

  @TempDir Path dir;

  @Test
  void a_missing_configuration_is_a_usage_error() {
    assertThat(Main.run("serve", "--config", dir.resolve("none.json").toString(), "--cert-dir", dir.toString()))
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void a_shared_cache_without_its_url_or_key_with_a_timeout_out_of_range_or_of_an_unknown_type_is_a_usage_error() throws Exception {
    Path config = config();
    ObjectNode root = (ObjectNode) StrictJson.MAPPER.readTree(Files.readAllBytes(config));
    root.putObject("cache").put("type", "redis");
    Files.write(config, StrictJson.MAPPER.writeValueAsBytes(root));
    Path key = dir.resolve("hmac.key");
    Files.writeString(key, "0123456789abcdef0123456789abcdef\n");
    StringWriter err = new StringWriter();
    assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "serve", "--config",
            config.toString(), "--cert-dir", dir.toString(), "--http", "127.0.0.1:0",
            "--cache-hmac-key-file", key.toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--redis-url");
    Files.writeString(key, "too short");
    err = new StringWriter();
    assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "serve", "--config",
            config.toString(), "--cert-dir", dir.toString(), "--http", "127.0.0.1:0",
            "--redis-url", "redis://127.0.0.1:1", "--cache-hmac-key-file", key.toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("at least 32").doesNotContain("too short");
    Files.writeString(key, "0123456789abcdef0123456789abcdef\n");
    err = new StringWriter();
    assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "serve", "--config",
            config.toString(), "--cert-dir", dir.toString(), "--http", "127.0.0.1:0",
            "--redis-url", "redis://127.0.0.1:1", "--cache-hmac-key-file", key.toString(),
            "--redis-timeout-ms", "0"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("the Redis timeout must be more than 0 and at most 60000 ms, found 0 ms");

    root.putObject("cache").put("type", "dapr");
    Files.write(config, StrictJson.MAPPER.writeValueAsBytes(root));
    err = new StringWriter();
    assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "serve", "--config",
            config.toString(), "--cert-dir", dir.toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("cache.type must be \"memory\" or \"redis\"");
  }

  @Test
  void a_bad_port_is_a_usage_error() throws Exception {
    Path config = config();
    assertThat(Main.run("serve", "--config", config.toString(), "--cert-dir", dir.toString(), "--health-port", "health"))
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void missing_tls_files_are_a_usage_error() throws Exception {
    Path config = config();
    assertThat(Main.run("serve", "--config", config.toString(), "--cert-dir", dir.resolve("nothing").toString(),
            "--http", "127.0.0.1:0"))
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void serves_decisions_health_and_metrics_from_the_flags() throws Exception {
    TestPki.Issued ca = TestPki.root("CN=Serve CA").selfSigned();
    Path certs = certs(ca, dir);

    ServeCommand command = new ServeCommand();
    CommandLine cli = new CommandLine(command);
    cli.setErr(new PrintWriter(new StringWriter()));
    cli.parseArgs("--config", config().toString(), "--http", "127.0.0.1:0", "--cert-dir", certs.toString(),
        "--health-port", "127.0.0.1:0", "--metrics-port", "127.0.0.1:0");
    SignetServer server = command.start(Clock.systemUTC());
    try {
      HttpClient plain = HttpClient.newHttpClient();
      assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.healthPort() + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);

      SSLContext ctx = TestTls.context(null, ca);
      String body =
          "{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\","
              + "\"request\":{\"keys\":[\"local/e2e@" + IMAGE + "\"]}}";
      HttpResponse<String> r =
          HttpClient.newBuilder().sslContext(ctx).build()
              .send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/ratify/gatekeeper/v1/verify"))
                      .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode value = StrictJson.MAPPER.readTree(r.body()).path("response").path("items").get(0).path("value");
      assertThat(value.path("isSuccess").asBoolean()).as(r.body()).isTrue();

      // The admission webhook decides through the same engine: the signed image is allowed, an
      // image that is not in the store is denied with its reason.
      String review =
          "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
              + "\"uid\":\"u-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
              + "\"operation\":\"CREATE\",\"object\":{\"spec\":{\"containers\":["
              + "{\"name\":\"a\",\"image\":\"local/e2e:v1\"},"
              + "{\"name\":\"b\",\"image\":\"local/e2e:missing\"}]}}}}";
      HttpResponse<String> admission =
          HttpClient.newBuilder().sslContext(ctx).build()
              .send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/admission/validate"))
                      .POST(HttpRequest.BodyPublishers.ofString(review)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(admission.statusCode()).isEqualTo(200);
      JsonNode response = StrictJson.MAPPER.readTree(admission.body()).path("response");
      assertThat(response.path("uid").asString()).isEqualTo("u-1");
      assertThat(response.path("allowed").asBoolean()).as(admission.body()).isFalse();
      assertThat(response.path("status").path("message").asString())
          .contains("local/e2e:missing")
          .doesNotContain("\"local/e2e:v1\"");

      String metrics =
          plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("ratify_verification_request_count 1").contains("ratify_registry_request_count");
    } finally {
      server.stop();
    }
  }

  @Test
  void stopping_the_server_closes_every_store_it_decided_with() throws Exception {
    Path certs = certs(TestPki.root("CN=Serve CA").selfSigned(), dir);
    CountingStores counting = new CountingStores();
    ConfigReloader reloader =
        ConfigReloader.load(
            config(), VerificationConfig.Runtime.standard(Clock.systemUTC()).withStores(counting));
    SignetServer server =
        DecisionServer.builder(reloader, AdmissionMode.DENY, Clock.systemUTC())
            .http(new HostPort("127.0.0.1", 0))
            .certDir(certs)
            .logStream(new PrintStream(new ByteArrayOutputStream()))
            .build()
            .start();
    try {
      // The first load may be repeated once to fingerprint the files it names; one store stays open.
      assertThat(counting.open()).isEqualTo(1);
    } finally {
      server.stop();
    }

    assertThat(counting.open()).isZero();
    assertThatThrownBy(reloader::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed");
  }

  @Test
  void a_port_in_use_is_one_line_naming_the_address_and_exit_2() throws Exception {
    Path certs = certs(TestPki.root("CN=Serve CA").selfSigned(), dir);
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      for (String[] flags : List.of(
          new String[] {"--http", address},
          new String[] {"--http", "127.0.0.1:0", "--health-port", address})) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("serve", "--config", config().toString(), "--cert-dir", certs.toString()));
        args.addAll(List.of(flags));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines().toList())
            .containsExactly("signet: cannot listen on " + address
                + ": address already in use (another process listens there; choose another port or stop it)");
        assertThat(out.toString()).isEmpty();
      }
    }
  }

  @Test
  void in_its_own_process_a_port_in_use_exits_2_with_one_line_naming_the_address() throws Exception {
    Path certs = certs(TestPki.root("CN=Serve CA").selfSigned(), dir);
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      Process child = serve(certs, "--http", address);
      assertThat(child.waitFor(CHILD_GUARD_SECONDS, TimeUnit.SECONDS)).as("serve exited").isTrue();
      String stderr = Files.readString(dir.resolve("serve-stderr.txt"));
      assertThat(child.exitValue()).as(stderr).isEqualTo(ExitCodes.USAGE);
      assertThat(stderr.lines().toList())
          .containsExactly("signet: cannot listen on " + address
              + ": address already in use (another process listens there; choose another port or stop it)");
    }
  }

  @Test
  void in_its_own_process_a_listener_that_dies_exits_1_after_saying_why() throws Exception {
    Path prlimit = Path.of("/usr/bin/prlimit");
    if (!Files.isExecutable(prlimit) || !Files.isDirectory(Path.of("/proc/self/fd"))) {
      String why = "SKIPPED: needs /usr/bin/prlimit and /proc (Linux) to lower a child's descriptor limit";
      System.out.println(why);
      Assumptions.abort(why);
    }
    Path certs = certs(TestPki.root("CN=Serve CA").selfSigned(), dir);
    Path stderrFile = dir.resolve("serve-stderr.txt");
    Process child = serve(certs, "--http", "127.0.0.1:0");
    List<Socket> held = new ArrayList<>();
    try {
      Pattern started = Pattern.compile("server started: https://127\\.0\\.0\\.1:(\\d+)");
      String startup =
          Eventually.until(
              Duration.ofSeconds(CHILD_GUARD_SECONDS),
              () -> Files.readString(stderrFile),
              text -> started.matcher(text).find() || !child.isAlive());
      Matcher m = started.matcher(startup);
      assertThat(m.find()).as("serve started; stderr:\n" + startup).isTrue();
      int https = Integer.parseInt(m.group(1));

      // A few descriptors more than the child holds; then connections until accepting one fails.
      long open;
      try (var fds = Files.list(Path.of("/proc", Long.toString(child.pid()), "fd"))) {
        open = fds.count();
      }
      Process p = new ProcessBuilder(prlimit.toString(), "--pid", Long.toString(child.pid()), "--nofile=" + (open + 24))
          .redirectErrorStream(true).start();
      assertThat(p.waitFor(CHILD_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_GUARD_SECONDS);
      while (child.isAlive()) {
        assertThat(System.nanoTime()).as("serve exited; stderr:\n" + Files.readString(stderrFile)).isLessThan(end);
        if (held.size() < 4 * (open + 24)) {
          Socket s = new Socket();
          held.add(s);
          try {
            s.connect(new InetSocketAddress("127.0.0.1", https), 10_000);
          } catch (IOException e) {
            // The listener is gone already.
          }
        } else {
          Thread.sleep(50);
        }
      }
      String stderr = Files.readString(stderrFile);
      assertThat(child.exitValue()).as(stderr).isEqualTo(ExitCodes.FAILED);
      assertThat(stderr.lines().filter(l -> l.contains("a listener stopped accepting connections")).toList())
          .as(stderr)
          .singleElement()
          .satisfies(l -> assertThat(l).startsWith("{").contains("\"level\":\"error\"").contains("Too many open files"));
    } finally {
      for (Socket s : held) {
        s.close();
      }
      if (!child.waitFor(CHILD_GUARD_SECONDS, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  /** {@code signet serve} in a child JVM with these flags; its stderr goes to serve-stderr.txt. */
  private Process serve(Path certs, String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName(),
        "serve", "--config", config().toString(), "--cert-dir", certs.toString()));
    command.addAll(List.of(flags));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve("serve-stdout.txt").toFile())
        .redirectError(dir.resolve("serve-stderr.txt").toFile())
        .start();
  }

  @Test
  void the_logger_section_sets_format_level_and_trace_headers() throws Exception {
    Path file = dir.resolve("logger.json");
    Files.writeString(file, "{\"logger\": {\"formatter\": \"Logstash\", \"level\": \"warn\","
        + " \"requestHeaders\": {\"traceIDHeaderName\": [\"x-ms-correlation-request-id\", \"\"]}}}");
    LoggerSettings s = LoggerSettings.read(file, null);
    assertThat(s.format()).isEqualTo(dev.signet.server.JsonLog.Format.LOGSTASH);
    assertThat(s.level()).isEqualTo("warning");
    assertThat(s.traceIdHeaders()).containsExactly("x-ms-correlation-request-id");
    // RATIFY_LOG_LEVEL wins; the chart's quoted list form is read too.
    Files.writeString(file, "{\"logger\": {\"formatter\": \"text\", \"requestHeaders\":"
        + " {\"traceIDHeaderName\": \"[x-a x-b]\"}}}");
    s = LoggerSettings.read(file, "debug");
    assertThat(s.format()).isEqualTo(dev.signet.server.JsonLog.Format.TEXT);
    assertThat(s.level()).isEqualTo("debug");
    assertThat(s.traceIdHeaders()).containsExactly("x-a", "x-b");
    // Defaults: JSON at info, no headers.
    Files.writeString(file, "{}");
    assertThat(LoggerSettings.read(file, null))
        .isEqualTo(new LoggerSettings(dev.signet.server.JsonLog.Format.JSON, "info", List.of()));
    // A misspelt value names the key.
    Files.writeString(file, "{\"logger\": {\"level\": \"verbose\"}}");
    assertThatThrownBy(() -> LoggerSettings.read(file, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logger.level must be debug, info, warning or error; found \"verbose\"");
    Files.writeString(file, "{\"logger\": {\"formatter\": \"xml\"}}");
    assertThatThrownBy(() -> LoggerSettings.read(file, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("logger.formatter must be text, json or logstash");
  }

  /** tls.crt and tls.key for localhost, issued by {@code ca}, in {@code dir}/certs. */
  static Path certs(TestPki.Issued ca, Path dir) throws Exception {
    TestPki.Issued leaf =
        TestPki.leaf("CN=localhost").keyUsage(KeyUsage.digitalSignature)
            .extendedKeyUsage(false, KeyPurposeId.id_kp_serverAuth).issuedBy(ca);
    Path certs = Files.createDirectories(dir.resolve("certs"));
    Files.writeString(certs.resolve("tls.crt"), TestTls.pem(leaf.certificate()));
    Files.writeString(certs.resolve("tls.key"), TestTls.pem(leaf.privateKey()));
    return certs;
  }

  private Path config() throws Exception {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.putObject("store").putArray("plugins").addObject()
        .put("name", "ocilayout")
        .put("path", Vectors.notary(E2E + "registry/oci_layout/e2e-valid-signature").toString());
    root.putObject("policy").putObject("plugin").put("name", "configPolicy");
    ObjectNode notation = root.putObject("verifier").putArray("plugins").addObject();
    notation.put("name", "notation").put("artifactTypes", "application/vnd.cncf.notary.signature");
    notation.putArray("verificationCerts").add(Vectors.notary(E2E + "config/localkeys/e2e.crt").toString());
    notation.set("trustPolicyDoc", StrictJson.MAPPER.readTree(
        Files.readAllBytes(Vectors.notary(E2E + "config/trustpolicies/trustpolicy.json"))));
    root.putObject("executor").put("verificationRequestTimeout", 30000).put("mutationRequestTimeout", 10000);
    Path file = dir.resolve("config.json");
    Files.write(file, StrictJson.MAPPER.writeValueAsBytes(root));
    return file;
  }
}
