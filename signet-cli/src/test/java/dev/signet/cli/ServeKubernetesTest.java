package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.json.StrictJson;
import dev.signet.kubernetes.ControllerFixture;
import dev.signet.kubernetes.MockCluster;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.SettableClock;
import dev.signet.kubernetes.SignedImages;
import dev.signet.kubernetes.rotation.CertificateRotation;
import dev.signet.kubernetes.rotation.CertificateRotationTest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import dev.signet.server.SignetServer;
import dev.signet.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code signet serve --kubeconfig} against fabric8's mock API server (no real API server runs
 * here): Ratify's resources configure the Gatekeeper provider, per namespace, and a change to a
 * resource changes the next answer.
 */
class ServeKubernetesTest {
  @TempDir Path dir;

  @Test
  void the_provider_answers_per_namespace_from_the_resources_and_follows_their_changes()
      throws Exception {
    TestPki.Issued ca = TestPki.root("CN=Serve CA").selfSigned();
    TestPki.Issued leaf =
        TestPki.leaf("CN=localhost").keyUsage(KeyUsage.digitalSignature)
            .extendedKeyUsage(false, KeyPurposeId.id_kp_serverAuth).issuedBy(ca);
    Path certs = Files.createDirectories(dir.resolve("certs"));
    Files.writeString(certs.resolve("tls.crt"), TestTls.pem(leaf.certificate()));
    Files.writeString(certs.resolve("tls.key"), TestTls.pem(leaf.privateKey()));
    SignedImages images = new SignedImages(dir);

    try (MockCluster cluster = new MockCluster()) {
      cluster.apply(ControllerFixture.inlineKmp(
          "KeyManagementProvider", "ratify-notation-inline-cert-0", images.caA), null);
      cluster.apply(ControllerFixture.layoutStore("Store", "store-layout", images.layout), null);
      cluster.apply(ControllerFixture.sample("clustered/verifier/config_v1beta1_verifier_notation.yaml"), null);
      cluster.apply(ControllerFixture.sample("clustered/policy/config_v1beta1_policy_json.yaml"), null);
      cluster.apply(ControllerFixture.inlineKmp(
          "NamespacedKeyManagementProvider", "tenant-b-ca", images.caB), "tenant-b");
      cluster.apply(ControllerFixture.sample("namespaced/verifier/config_v1beta1_verifier_notation.yaml")
          .replace("default/ratify-notation-inline-cert-0", "tenant-b/tenant-b-ca"), "tenant-b");
      Path kubeconfig = kubeconfig(cluster, "default");

      ServeCommand command = new ServeCommand();
      CommandLine cli = new CommandLine(command);
      cli.setErr(new PrintWriter(new StringWriter()));
      cli.parseArgs("--kubeconfig", kubeconfig.toString(), "--http", "127.0.0.1:0",
          "--cert-dir", certs.toString());
      SignetServer server = command.start(Clock.systemUTC());
      try {
        HttpClient https = HttpClient.newBuilder().sslContext(TestTls.context(null, ca)).build();
        List<String> keys = List.of(
            "[tenant-b]" + images.signedByB, "[tenant-a]" + images.signedByB, images.signedByA,
            "[tenant-b]" + images.unsigned);
        assertThat(allowed(https, server, keys)).containsExactly(true, false, true, false);
        // The admission webhook decides with the engine of the pod's namespace too.
        assertThat(admitted(https, server, "tenant-b", images.signedByB)).isTrue();
        assertThat(admitted(https, server, "tenant-a", images.signedByB)).isFalse();

        // The cluster's provider now holds CA B: tenant-a (on the cluster's resources) follows.
        cluster.apply(ControllerFixture.inlineKmp(
            "KeyManagementProvider", "ratify-notation-inline-cert-0", images.caB), null);
        MockCluster.await("tenant-a trusts CA B",
            () -> allowed(https, server, keys).equals(List.of(true, true, false, false)));
      } finally {
        server.stop();
        command.closeKubernetes();
      }
    }
  }

  @Test
  void with_cert_rotation_it_serves_its_own_certificate_and_rotates_it_over_tls() throws Exception {
    Path certs = dir.resolve("certs");
    Instant now = Instant.now();
    // Started 340 days ago: the one-year certificate is due 30 days before it expires, 5 days ago.
    SettableClock clock = new SettableClock(now.minus(Duration.ofDays(340)));
    try (MockCluster cluster = new MockCluster()) {
      CertificateRotationTest.createGatekeeperObjects(cluster);
      ServeCommand command = new ServeCommand();
      CommandLine cli = new CommandLine(command);
      cli.setErr(new PrintWriter(new StringWriter()));
      cli.parseArgs("--kubeconfig", kubeconfig(cluster, "gatekeeper-system").toString(), "--http", "127.0.0.1:0",
          "--cert-dir", certs.toString(), "--cert-rotation", "--service-name", "signet");
      SignetServer server = command.start(clock);
      Path workDir = command.workDir;
      assertThat(workDir).isDirectory();
      try {
        Secret secret = cluster.client.secrets().inNamespace("gatekeeper-system").withName("signet-tls").get();
        X509Certificate first = certificate(secret.getData().get("tls.crt"));
        List<X509Certificate> firstBundle = providerBundle(cluster);
        assertThat(served(server, firstBundle)).isEqualTo(first);
        assertThat(first.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
            .contains("signet.gatekeeper-system.svc", "signet.gatekeeper-system.svc.cluster.local");

        clock.set(now);
        command.rotation.check();
        List<X509Certificate> secondBundle = providerBundle(cluster);
        assertThat(secondBundle).hasSize(2).contains(firstBundle.get(0));
        X509Certificate second = certificate(cluster.client.secrets().inNamespace("gatekeeper-system")
            .withName("signet-tls").get().getData().get("tls.crt"));
        assertThat(second).isNotEqualTo(first);
        // Gatekeeper with the new bundle trusts both the certificate still served and the next one.
        trust(secondBundle).checkServerTrusted(new X509Certificate[] {first}, "ECDHE_ECDSA");
        trust(secondBundle).checkServerTrusted(new X509Certificate[] {second}, "ECDHE_ECDSA");
        MockCluster.await("the server presents the rotated certificate",
            () -> second.equals(served(server, secondBundle)));
      } finally {
        server.stop();
        command.closeKubernetes();
      }
      assertThat(workDir).isNotNull().doesNotExist();
    }
  }

  private static X509Certificate certificate(String base64) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
  }

  private static List<X509Certificate> providerBundle(MockCluster cluster) throws Exception {
    GenericKubernetesResource provider = cluster.client.genericKubernetesResources(
        CertificateRotation.PROVIDER).withName("ratify-provider").get();
    @SuppressWarnings("unchecked")
    String bundle = (String) ((java.util.Map<String, Object>) provider.getAdditionalProperties().get("spec"))
        .get("caBundle");
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(Base64.getDecoder().decode(bundle))).stream()
        .map(X509Certificate.class::cast).toList();
  }

  private static X509TrustManager trust(List<X509Certificate> bundle) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < bundle.size(); i++) {
      store.setCertificateEntry("ca-" + i, bundle.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return (X509TrustManager) tmf.getTrustManagers()[0];
  }

  /** The certificate the server presents in a real TLS handshake that trusts only the bundle. */
  private static X509Certificate served(SignetServer server, List<X509Certificate> bundle) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new javax.net.ssl.TrustManager[] {trust(bundle)}, null);
      try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.port())) {
        socket.startHandshake();
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
      }
    } catch (Exception e) {
      throw new AssertionError("TLS handshake failed: " + e, e);
    }
  }

  private Path kubeconfig(MockCluster cluster, String namespace) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig-" + namespace);
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
        users:
        - name: test
          user:
            token: not-checked-by-the-mock
        contexts:
        - name: mock
          context:
            cluster: mock
            user: test
            namespace: %s
        current-context: mock
        """.formatted(cluster.client.getConfiguration().getMasterUrl(), namespace));
    return kubeconfig;
  }

  private static List<Boolean> allowed(HttpClient https, SignetServer server, List<String> keys) {
    try {
      String body = StrictJson.MAPPER.writeValueAsString(java.util.Map.of(
          "apiVersion", "externaldata.gatekeeper.sh/v1beta1", "kind", "ProviderRequest",
          "request", java.util.Map.of("keys", keys)));
      HttpResponse<String> r = https.send(
          HttpRequest.newBuilder(URI.create(
                  "https://localhost:" + server.port() + "/ratify/gatekeeper/v1/verify"))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<Boolean> out = new java.util.ArrayList<>();
      for (JsonNode item : StrictJson.MAPPER.readTree(r.body()).path("response").path("items")) {
        out.add(item.path("value").path("isSuccess").asBoolean());
      }
      return out;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static boolean admitted(
      HttpClient https, SignetServer server, String namespace, String image) throws Exception {
    String review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
            + "\"uid\":\"u-1\",\"namespace\":\"" + namespace + "\","
            + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
            + "\"operation\":\"CREATE\",\"object\":{\"spec\":{\"containers\":["
            + "{\"name\":\"a\",\"image\":\"" + image + "\"}]}}}}";
    HttpResponse<String> r = https.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/admission/validate"))
            .POST(HttpRequest.BodyPublishers.ofString(review)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return StrictJson.MAPPER.readTree(r.body()).path("response").path("allowed").asBoolean();
  }
}
