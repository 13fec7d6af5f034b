package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.json.StrictJson;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.Eventually;
import dev.signet.testkit.TestPki;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Digest;
import dev.signet.reference.Reference;
import dev.signet.verify.Failure;
import dev.signet.verify.ImageResolver;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The server over real TLS and mTLS, driven the way Gatekeeper drives Ratify. */
class SignetServerTest {
  private static TestPki.Issued serverCa;
  private static TestPki.Issued clientCa;
  private static TestPki.Issued client;

  @TempDir Path dir;
  private final List<SignetServer> servers = new ArrayList<>();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

  @BeforeAll
  static void pki() {
    serverCa = TestTls.ca("Server CA");
    clientCa = TestTls.ca("Gatekeeper CA");
    client = TestTls.client(clientCa);
  }

  @AfterEach
  void stopServers() {
    servers.forEach(SignetServer::stop);
  }

  /** Allows subjects whose repository is "good", denies the rest, like a trust policy would. */
  static VerificationResult fakeDecision(String subject) {
    boolean ok = subject.startsWith("registry.test/good");
    VerifierReport report =
        VerifierReport.about(subject)
            .verifier("verifier-notation", "notation")
            .referrer("sha256:" + "ab".repeat(32), "application/vnd.cncf.notary.signature")
            .success(ok)
            .message(ok ? "Notation signature verification success" : "Failed to validate the Notation signature")
            .errorReason(ok ? "" : "signature is not produced by a trusted signer")
            .remediation(ok ? "" : "Add the signer's CA to the trust store.")
            .errorCode(ok ? null : ErrorCode.VERIFY_REFERENCE_FAILURE)
            .build();
    return new VerificationResult(subject, ok, List.of(report));
  }

  private SignetServer.Builder builder(boolean mtls) throws Exception {
    Path certs = dir.resolve("certs");
    TestTls.write(certs, TestTls.server(serverCa), serverCa, false);
    SignetServer.Builder b =
        SignetServer.builder()
            .http(new HostPort("127.0.0.1", 0))
            .certDir(certs)
            .decisions(SignetServerTest::fakeDecision)
            .resolver(ImageResolver.firstOf(List.of(new PinningStore()), Duration.ofSeconds(2)))
            .reloadInterval(Duration.ofMillis(100))
            .traceIdHeaders(List.of("X-Trace-Id"))
            .logStream(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    if (mtls) {
      b.clientCaFile(TestTls.writeCa(dir.resolve("client-ca.crt"), clientCa));
    }
    return b;
  }

  private SignetServer start(SignetServer.Builder b) throws Exception {
    SignetServer s = b.build();
    servers.add(s);
    return s.start();
  }

  private static HttpResponse<String> post(HttpClient c, SignetServer s, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("https://localhost:" + s.port() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      r.headers(headers);
    }
    return c.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String providerRequest(List<String> keys) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("apiVersion", "externaldata.gatekeeper.sh/v1beta1");
    root.put("kind", "ProviderRequest");
    ArrayNode k = root.putObject("request").putArray("keys");
    keys.forEach(k::add);
    return StrictJson.MAPPER.writeValueAsString(root);
  }

  static JsonNode json(HttpResponse<String> r) {
    return StrictJson.MAPPER.readTree(r.body());
  }

  @Test
  void generated_trace_ids_are_distinct_version_4_uuids() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = TraceIds.newTraceId();
      java.util.UUID uuid = java.util.UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(uuid.toString()).isEqualTo(id);
      ids.add(id);
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void verify_answers_each_key_in_request_order_with_ratify_results() throws Exception {
    SignetServer s = start(builder(true));
    HttpClient c = TestTls.client(client, null, serverCa);
    List<String> keys = List.of("registry.test/bad:1", "[default]registry.test/good:1", "registry.test/good:2");

    HttpResponse<String> r =
        post(c, s, SignetServer.VERIFY_PATH, providerRequest(keys), "X-Trace-Id", "trace-123");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.path("kind").asString()).isEqualTo("ProviderResponse");
    assertThat(body.path("apiVersion").asString()).isEqualTo("externaldata.gatekeeper.sh/v1beta1");
    assertThat(body.path("response").has("idempotent")).isFalse();
    assertThat(body.path("response").path("systemError").asString()).isEmpty();
    JsonNode items = body.path("response").path("items");
    assertThat(items).hasSize(3);
    for (int i = 0; i < keys.size(); i++) {
      assertThat(items.get(i).path("key").asString()).isEqualTo(keys.get(i));
    }
    JsonNode bad = items.get(0).path("value");
    assertThat(bad.path("isSuccess").asBoolean()).isFalse();
    assertThat(bad.path("version").asString()).isEqualTo("0.2.0");
    assertThat(bad.path("traceID").asString()).isEqualTo("trace-123");
    assertThat(bad.path("verifierReports").get(0).path("errorReason").asString())
        .isEqualTo("signature is not produced by a trusted signer");
    // The namespace prefix is not part of the subject.
    JsonNode good = items.get(1).path("value");
    assertThat(good.path("isSuccess").asBoolean()).isTrue();
    assertThat(good.path("verifierReports").get(0).path("subject").asString()).isEqualTo("registry.test/good:1");
    assertThat(items.get(1).has("error")).isFalse();

    String log = logBytes.toString(StandardCharsets.UTF_8);
    JsonNode line =
        log.lines().map(l -> StrictJson.MAPPER.readTree(l))
            .filter(l -> l.path("subject").asString("").equals("registry.test/bad:1"))
            .findFirst().orElseThrow();
    assertThat(line.path("msg").asString()).isEqualTo("verification response for subject registry.test/bad:1");
    assertThat(line.path("trace-id").asString()).isEqualTo("trace-123");
    assertThat(line.path("isSuccess").asBoolean()).isFalse();
    assertThat(line.path("errorReason").asString()).isEqualTo("signature is not produced by a trusted signer");
    assertThat(line.path("level").asString()).isEqualTo("info");
    assertThat(line.has("time")).isTrue();
  }

  @Test
  void answers_have_ratify_shape_where_a_policy_can_see_it() throws Exception {
    java.time.Instant at = java.time.Instant.parse("2025-01-30T15:04:15.682247900Z");
    SignetServer s = start(builder(false).clock(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)));
    HttpClient c = TestTls.client(null, null, serverCa);
    HttpResponse<String> r =
        post(c, s, SignetServer.VERIFY_PATH, providerRequest(List.of("Not A Ref", "registry.test/good:1", "registry.test/bad:1")));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode response = json(r).path("response");
    // Gatekeeper's omitempty: no systemError when there is none.
    assertThat(response.has("systemError")).as(r.body()).isFalse();
    JsonNode items = response.path("items");
    // A key that is not an image reference is the item's error (Ratify's policies: "Error
    // validating one or more images"), not a failed decision.
    assertThat(items.get(0).has("value")).isFalse();
    assertThat(items.get(0).path("error").asString()).startsWith("REFERENCE_INVALID: ");
    JsonNode good = items.get(1).path("value");
    assertThat(good.path("timestamp").asString()).isEqualTo("2025-01-30T15:04:15.6822479Z");
    assertThat(good.path("traceID").asString()).isNotEmpty();
    JsonNode report = good.path("verifierReports").get(0);
    // Empty report fields are left out, as Ratify's omitempty does; isSuccess always stays.
    assertThat(report.has("errorReason")).isFalse();
    assertThat(report.has("remediation")).isFalse();
    assertThat(report.has("errorCode")).isFalse();
    assertThat(report.has("extensions")).isFalse();
    assertThat(report.path("isSuccess").asBoolean()).isTrue();
    JsonNode bad = items.get(2).path("value").path("verifierReports").get(0);
    assertThat(bad.path("isSuccess").isBoolean()).isTrue();
    assertThat(bad.path("isSuccess").asBoolean()).isFalse();
    assertThat(bad.path("errorCode").asString()).isEqualTo("VERIFY_REFERENCE_FAILURE");
    assertThat(bad.path("remediation").asString()).isNotEmpty();

    // A request-level error has a systemError and no items.
    HttpResponse<String> broken = post(c, s, SignetServer.VERIFY_PATH, "{\"request\": 1}");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(json(broken).path("response").has("items")).isFalse();
    assertThat(json(broken).path("response").path("systemError").asString()).startsWith("malformed ProviderRequest");
  }

  @Test
  void two_hundred_keys_come_back_in_order() throws Exception {
    SignetServer s = start(builder(false));
    HttpClient c = TestTls.client(null, null, serverCa);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add((i % 3 == 0 ? "registry.test/bad:" : "registry.test/good:") + i);
    }
    HttpResponse<String> r = post(c, s, SignetServer.VERIFY_PATH, providerRequest(keys));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode items = json(r).path("response").path("items");
    assertThat(items).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(items.get(i).path("key").asString()).isEqualTo(keys.get(i));
      assertThat(items.get(i).path("value").path("isSuccess").asBoolean()).isEqualTo(i % 3 != 0);
    }
  }

  @Test
  void mutate_pins_tags_and_keeps_digests() throws Exception {
    SignetServer s = start(builder(false));
    HttpClient c = TestTls.client(null, null, serverCa);
    String pinned = "registry.test/app@sha256:" + "ef".repeat(32);
    List<String> keys = List.of("registry.test/app:1.0", "[ns1]nginx:latest", "registry.test/app:2@sha256:" + "ef".repeat(32), "Not A Ref");
    HttpResponse<String> r = post(c, s, SignetServer.MUTATE_PATH, providerRequest(keys));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode response = json(r).path("response");
    assertThat(response.path("idempotent").asBoolean()).isTrue();
    JsonNode items = response.path("items");
    assertThat(items.get(0).path("value").asString()).isEqualTo("registry.test/app@sha256:" + "cd".repeat(32));
    assertThat(items.get(1).path("key").asString()).isEqualTo("[ns1]nginx:latest");
    assertThat(items.get(1).path("value").asString()).isEqualTo("docker.io/library/nginx@sha256:" + "cd".repeat(32));
    assertThat(items.get(2).path("value").asString()).isEqualTo(pinned);
    assertThat(items.get(3).path("value").asString()).isEqualTo("Not A Ref");
    assertThat(items.get(3).path("error").asString()).startsWith("REFERENCE_INVALID: ");
  }

  @Test
  void mutate_reports_a_store_failure_per_key() throws Exception {
    SignetServer s =
        start(builder(false).resolver((image, deadline) -> new ImageResolver.Unresolved(
            Failure.of(FailureKind.TRANSIENT, ErrorCode.REFERRER_STORE_FAILURE,
                "could not resolve the image in any store", "manifest unknown", "Check the store."))));
    HttpResponse<String> r =
        post(TestTls.client(null, null, serverCa), s, SignetServer.MUTATE_PATH, providerRequest(List.of("registry.test/x:1")));
    JsonNode item = json(r).path("response").path("items").get(0);
    assertThat(item.path("value").asString()).isEqualTo("registry.test/x:1");
    assertThat(item.path("error").asString())
        .startsWith("GET_SUBJECT_DESCRIPTOR_FAILURE: ")
        .contains("manifest unknown");
  }

  @Test
  void without_a_client_certificate_the_handshake_is_refused() throws Exception {
    SignetServer s = start(builder(true));
    HttpClient anonymous = TestTls.client(null, null, serverCa);
    assertThatThrownBy(() -> post(anonymous, s, SignetServer.VERIFY_PATH, providerRequest(List.of("a/b:1"))))
        .isInstanceOf(IOException.class);

    TestPki.Issued stranger = TestTls.client(TestTls.ca("Other CA"));
    HttpClient untrusted = TestTls.client(stranger, null, serverCa);
    assertThatThrownBy(() -> post(untrusted, s, SignetServer.VERIFY_PATH, providerRequest(List.of("a/b:1"))))
        .isInstanceOf(IOException.class);

    HttpClient gatekeeper = TestTls.client(client, null, serverCa);
    assertThat(post(gatekeeper, s, SignetServer.VERIFY_PATH, providerRequest(List.of("a/b:1"))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void tls_1_3_is_the_default_minimum_and_1_2_can_be_allowed() throws Exception {
    SignetServer strict = start(builder(false));
    assertThatThrownBy(() -> TestTls.client(null, "TLSv1.2", serverCa)
            .send(HttpRequest.newBuilder(URI.create("https://localhost:" + strict.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);

    Path certs = dir.resolve("certs12");
    TestTls.write(certs, TestTls.server(serverCa), serverCa, true);
    SignetServer lenient = start(builder(false).certDir(certs).minimumTlsVersion("1.2"));
    HttpResponse<String> r =
        TestTls.client(null, "TLSv1.2", serverCa)
            .send(HttpRequest.newBuilder(URI.create("https://localhost:" + lenient.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
  }

  @Test
  void replaced_certificate_files_are_served_to_new_connections() throws Exception {
    SignetServer s = start(builder(false));
    TestPki.Issued otherCa = TestTls.ca("Rotated CA");
    BigInteger before = servedCertificate(s, serverCa, otherCa).getSerialNumber();

    TestPki.Issued rotated = TestTls.server(otherCa);
    TestTls.write(dir.resolve("certs"), rotated, otherCa, true);

    BigInteger now =
        Eventually.until(
            () -> servedCertificate(s, serverCa, otherCa).getSerialNumber(), n -> !n.equals(before));
    assertThat(now).isEqualTo(rotated.certificate().getSerialNumber());
    assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("TLS certificate reloaded");
  }

  @Test
  void after_a_reload_client_certificates_are_still_required() throws Exception {
    SignetServer s = start(builder(true));
    TestPki.Issued otherCa = TestTls.ca("Rotated CA");
    TestPki.Issued rotated = TestTls.server(otherCa);
    TestTls.write(dir.resolve("certs"), rotated, otherCa, false);
    HttpResponse<String> r =
        Eventually.until(
            () -> {
              // A new client each time: a client that met the old certificate keeps failing.
              HttpClient gatekeeper = TestTls.client(client, null, otherCa);
              try {
                return post(gatekeeper, s, SignetServer.VERIFY_PATH, providerRequest(List.of("a/b:1")));
              } catch (IOException notYet) {
                return null; // still the old certificate
              }
            },
            response -> response != null);
    assertThat(r).isNotNull();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber())
        .isEqualTo(rotated.certificate().getSerialNumber());
    HttpClient anonymous = TestTls.client(null, null, otherCa);
    assertThatThrownBy(() -> post(anonymous, s, SignetServer.VERIFY_PATH, providerRequest(List.of("a/b:1"))))
        .isInstanceOf(IOException.class);
  }

  @Test
  void a_broken_replacement_keeps_the_previous_certificate() throws Exception {
    SignetServer s = start(builder(false));
    BigInteger before = servedCertificate(s, serverCa).getSerialNumber();
    java.nio.file.Files.writeString(dir.resolve("certs/tls.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Eventually.until(() -> logBytes.toString(StandardCharsets.UTF_8), log -> log.contains("not reloaded"));
    assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("still serving the previous certificate");
    assertThat(servedCertificate(s, serverCa).getSerialNumber()).isEqualTo(before);
  }

  private static X509Certificate servedCertificate(SignetServer s, TestPki.Issued... trusted) throws Exception {
    HttpClient fresh = TestTls.client(null, null, trusted); // a new client: a new connection
    HttpResponse<String> r =
        fresh.send(HttpRequest.newBuilder(URI.create("https://localhost:" + s.port() + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    return (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  @Test
  void an_oversized_body_is_413() throws Exception {
    SignetServer s = start(builder(false).maxBodyBytes(4096));
    HttpClient c = TestTls.client(null, null, serverCa);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      keys.add("registry.test/good:" + i);
    }
    HttpResponse<String> r = post(c, s, SignetServer.VERIFY_PATH, providerRequest(keys));
    assertThat(r.statusCode()).isEqualTo(413);
    // Sent without a length (chunked), the limit holds too.
    HttpResponse<String> chunked =
        c.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + s.port() + SignetServer.VERIFY_PATH))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(providerRequest(keys).getBytes(StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
  }

  @Test
  void malformed_json_is_400_with_a_message() throws Exception {
    SignetServer s = start(builder(false));
    HttpClient c = TestTls.client(null, null, serverCa);
    HttpResponse<String> r = post(c, s, SignetServer.VERIFY_PATH, "{\"request\": {\"keys\": [");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("response").path("systemError").asString()).startsWith("malformed ProviderRequest");

    HttpResponse<String> noKeys = post(c, s, SignetServer.MUTATE_PATH, "{\"request\": {\"keys\": \"x\"}}");
    assertThat(noKeys.statusCode()).isEqualTo(400);
    assertThat(json(noKeys).path("response").path("systemError").asString()).contains("request.keys");

    HttpResponse<String> dup = post(c, s, SignetServer.VERIFY_PATH, "{\"request\": {\"keys\": []}, \"request\": {}}");
    assertThat(dup.statusCode()).isEqualTo(400);
  }

  @Test
  void a_store_that_hangs_fails_only_its_own_key_never_an_allow() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    SignetServer s =
        start(builder(false)
            // The good key must be answered within it, also on a loaded machine.
            .verifyTimeout(Duration.ofSeconds(2))
            .decisions(subject -> {
              if (subject.contains("hang")) {
                try {
                  never.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return fakeDecision(subject);
            }));
    HttpClient c = TestTls.client(null, null, serverCa);
    HttpResponse<String> r =
        post(c, s, SignetServer.VERIFY_PATH, providerRequest(List.of("registry.test/good:1", "registry.test/good/hang:1")));

    // One slow image does not take the batch with it: the other key is answered.
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode items = json(r).path("response").path("items");
    assertThat(items.get(0).path("value").path("isSuccess").asBoolean()).isTrue();
    JsonNode hung = items.get(1);
    assertThat(hung.path("key").asString()).isEqualTo("registry.test/good/hang:1");
    assertThat(hung.has("value")).as("an error item carries no value, as in Ratify").isFalse();
    assertThat(hung.path("error").asString())
        .startsWith("DEADLINE_EXCEEDED: ")
        .contains("within 2s")
        .contains("step \"verify\"");

    // Nothing to answer at all: a system error, as before.
    HttpResponse<String> only =
        post(c, s, SignetServer.VERIFY_PATH, providerRequest(List.of("registry.test/good/hang:2")));
    assertThat(only.statusCode()).isEqualTo(500);
    JsonNode response = json(only).path("response");
    assertThat(response.path("systemError").asString())
        .isEqualTo("operation failed with error operation timed out after duration 2s");
    assertThat(response.path("items")).isEmpty();
    assertThat(only.body()).doesNotContain("\"isSuccess\":true");
    assertThat(metrics(s)).contains("ratify_system_error_count_total 1.0");
  }

  @Test
  void many_slow_keys_share_the_budget_and_those_left_time_out_one_by_one() throws Exception {
    // 300 distinct keys of 200 ms each, at most 64 at a time, cannot finish in 500 ms.
    SignetServer s =
        start(builder(false)
            .verifyTimeout(Duration.ofMillis(500))
            .decisions(subject -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return fakeDecision(subject);
            }));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      keys.add("registry.test/good:" + i);
    }
    HttpResponse<String> r = post(TestTls.client(null, null, serverCa), s, SignetServer.VERIFY_PATH, providerRequest(keys));
    JsonNode items = json(r).path("response").path("items");
    if (r.statusCode() == 500) {
      // A machine so loaded that not one key finished: the whole request timed out.
      assertThat(json(r).path("response").path("systemError").asString()).contains("timed out after duration 500ms");
      return;
    }
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(items).hasSize(300);
    long timedOut = 0;
    for (JsonNode item : items) {
      if (!item.has("value")) {
        assertThat(item.path("error").asString()).startsWith("DEADLINE_EXCEEDED: ");
        timedOut++;
      } else {
        assertThat(item.path("value").path("isSuccess").asBoolean()).isTrue();
      }
    }
    assertThat(timedOut).isPositive();
  }


  @Test
  void a_decision_that_throws_is_a_per_key_error() throws Exception {
    SignetServer s =
        start(builder(false).decisions(subject -> {
          throw new IllegalStateException("boom");
        }));
    HttpResponse<String> r =
        post(TestTls.client(null, null, serverCa), s, SignetServer.VERIFY_PATH, providerRequest(List.of("registry.test/good:1")));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode item = json(r).path("response").path("items").get(0);
    assertThat(item.path("error").asString()).startsWith("EXECUTOR_FAILURE: ").contains("boom");
    // Gatekeeper's Item has value omitempty: an item with an error carries no value.
    assertThat(item.has("value")).isFalse();
  }

  @Test
  void health_readiness_and_metrics_listen_on_plain_http() throws Exception {
    SignetServer s =
        start(builder(false)
            .healthAddress(new HostPort("127.0.0.1", 0))
            .metricsAddress(new HostPort("127.0.0.1", 0))
            .registryRequests(() -> 7));
    HttpClient plain = HttpClient.newHttpClient();
    for (String path : List.of("/healthz", "/readyz")) {
      HttpResponse<String> r =
          plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.healthPort() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
    }
    post(TestTls.client(null, null, serverCa), s, SignetServer.VERIFY_PATH, providerRequest(List.of("registry.test/good:1")));
    post(TestTls.client(null, null, serverCa), s, SignetServer.MUTATE_PATH, providerRequest(List.of("registry.test/good:1")));
    String text = metrics(s);
    assertThat(text)
        .contains("ratify_verification_request_count 1")
        .contains("ratify_mutation_request_count 1")
        .contains("ratify_verifier_duration_bucket{success=\"true\",verifier=\"verifier-notation\"")
        .contains("ratify_system_error_count_total 0.0")
        .contains("ratify_registry_request_count_total 7.0");
    assertThat(s.ready()).isTrue();
    s.stop();
    assertThat(s.ready()).isFalse();
  }

  @Test
  void health_and_metrics_may_share_one_port() throws Exception {
    SignetServer s =
        start(builder(false).healthAddress(new HostPort("127.0.0.1", 0)).metricsAddress(new HostPort("127.0.0.1", 0)));
    // Two port-0 addresses are equal: one listener serves both.
    assertThat(s.healthPort()).isEqualTo(s.metricsPort());
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.healthPort() + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(metrics(s)).contains("ratify_verification_request");
  }

  @Test
  void key_management_provider_fetches_are_counted_by_provider_type_and_outcome() throws Exception {
    java.util.Map<List<String>, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();
    counts.put(List.of("kmprovider-akv", "azurekeyvault", "success"), 3L);
    SignetServer s =
        start(builder(false).metricsAddress(new HostPort("127.0.0.1", 0)).providerFetches(() -> counts));
    assertThat(metrics(s))
        .contains("signet_key_management_provider_fetch_total{outcome=\"success\",provider=\"kmprovider-akv\",type=\"azurekeyvault\"} 3.0")
        .doesNotContain("outcome=\"failure\"");
    counts.put(List.of("tenant-a/kmp", "azurekeyvault", "failure"), 1L);
    assertThat(metrics(s))
        .contains("signet_key_management_provider_fetch_total{outcome=\"failure\",provider=\"tenant-a/kmp\",type=\"azurekeyvault\"} 1.0");
  }

  @Test
  void stop_lets_a_request_in_flight_finish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    SignetServer s =
        start(builder(false).decisions(subject -> {
          entered.countDown();
          try {
            Thread.sleep(700);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return fakeDecision(subject);
        }));
    HttpClient c = TestTls.client(null, null, serverCa);
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(() -> {
          try {
            return post(c, s, SignetServer.VERIFY_PATH, providerRequest(List.of("registry.test/good:1")));
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
    s.stop();
    HttpResponse<String> r = inFlight.get(20, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("response").path("items").get(0).path("value").path("isSuccess").asBoolean()).isTrue();
  }

  @Test
  void admission_routes_reach_the_plugged_handler_with_observed_decisions() throws Exception {
    SignetServer s =
        start(builder(false).admission((body, mutate, decisions) -> {
          if (body.length == 0) {
            throw new RejectedRequestException(400, "empty AdmissionReview");
          }
          VerificationResult r = decisions.verify("registry.test/good:7");
          return ("{\"mutate\":" + mutate + ",\"allowed\":" + r.isSuccess() + "}").getBytes(StandardCharsets.UTF_8);
        }));
    HttpClient c = TestTls.client(null, null, serverCa);
    HttpResponse<String> r = post(c, s, SignetServer.ADMISSION_VALIDATE_PATH, "{}", "X-Trace-Id", "adm-1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"mutate\":false,\"allowed\":true}");
    assertThat(post(c, s, SignetServer.ADMISSION_MUTATE_PATH, "{}").body()).contains("\"mutate\":true");
    HttpResponse<String> empty = post(c, s, SignetServer.ADMISSION_VALIDATE_PATH, "");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("empty AdmissionReview");
    assertThat(logBytes.toString(StandardCharsets.UTF_8))
        .contains("\"trace-id\":\"adm-1\",\"msg\":\"verification response for subject registry.test/good:7\"");
  }

  @Test
  void missing_tls_files_fail_the_start_with_the_file_named() throws Exception {
    SignetServer s =
        SignetServer.builder().http(new HostPort("127.0.0.1", 0)).certDir(dir.resolve("none"))
            .decisions(SignetServerTest::fakeDecision).logStream(new PrintStream(logBytes)).build();
    servers.add(s);
    assertThatThrownBy(s::start).isInstanceOf(TlsMaterialException.class).hasMessageContaining("tls.crt");
  }

  static String metrics(SignetServer s) throws Exception {
    int port = s.metricsPort();
    if (port < 0) {
      return s.metricsText();
    }
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A store that resolves every image to {@code sha256:cdcd…} and holds nothing else. */
  private static final class PinningStore implements ReferrerStore {
    @Override
    public Descriptor resolve(Reference reference, Deadline deadline) {
      return new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse("sha256:" + "cd".repeat(32)), 1);
    }

    @Override
    public List<Descriptor> referrers(
        Reference repository, Descriptor subject, String artifactType, Deadline deadline)
        throws StoreException {
      throw new StoreException("no referrers here");
    }

    @Override
    public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
        throws StoreException {
      throw new StoreException("no manifests here");
    }

    @Override
    public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
        throws StoreException {
      throw new StoreException("no blobs here");
    }
  }
}
