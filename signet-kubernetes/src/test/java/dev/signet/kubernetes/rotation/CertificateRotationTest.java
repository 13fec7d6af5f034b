package dev.signet.kubernetes.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.kubernetes.MockCluster;
import dev.signet.testkit.SettableClock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate rotation against fabric8's mock API server in CRUD mode (no real API server runs here). */
public class CertificateRotationTest {
  public static final String NAMESPACE = "gatekeeper-system";
  static final List<String> DNS = List.of("signet", "signet.gatekeeper-system", "signet.gatekeeper-system.svc");
  static final Duration VALIDITY = Duration.ofDays(10);
  static final Duration LEAD = Duration.ofDays(2);

  @TempDir Path dir;
  MockCluster cluster;
  SettableClock clock = new SettableClock(Instant.parse("2026-01-10T00:00:00Z"));

  @BeforeEach
  void cluster() throws Exception {
    cluster = new MockCluster();
    createGatekeeperObjects(cluster);
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  /** The Provider the chart creates, and Signet's webhook configurations, with a stale bundle. */
  public static void createGatekeeperObjects(MockCluster cluster) {
    GenericKubernetesResource provider = new GenericKubernetesResource();
    provider.setApiVersion("externaldata.gatekeeper.sh/v1beta1");
    provider.setKind("Provider");
    provider.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("ratify-provider").build());
    provider.setAdditionalProperty("spec", new java.util.LinkedHashMap<>(Map.of(
        "url", "https://signet.gatekeeper-system:6001/ratify/gatekeeper/v1/verify", "timeout", 5,
        "caBundle", "c3RhbGU=")));
    cluster.client.genericKubernetesResources(CertificateRotation.PROVIDER).resource(provider).create();
    cluster.client.admissionRegistration().v1().validatingWebhookConfigurations().resource(
        new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName("signet-validate").endMetadata()
            .addNewWebhook().withName("validate.signet.dev").withAdmissionReviewVersions("v1").withSideEffects("None")
            .withNewClientConfig().withCaBundle("c3RhbGU=").withNewService().withName("signet")
            .withNamespace(NAMESPACE).withPath("/admission/validate").endService().endClientConfig().endWebhook()
            .build()).create();
    cluster.client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("signet-mutate").endMetadata()
            .addNewWebhook().withName("mutate.signet.dev").withAdmissionReviewVersions("v1").withSideEffects("None")
            .withNewClientConfig().withNewService().withName("signet")
            .withNamespace(NAMESPACE).withPath("/admission/mutate").endService().endClientConfig().endWebhook()
            .build()).create();
  }

  private CertificateRotation.Settings settings(Path certDir) {
    return new CertificateRotation.Settings(
        NAMESPACE, "signet-tls", DNS, List.of("ratify-provider", "ratify-mutation-provider"),
        List.of("signet-validate", "signet-mutate"), certDir, VALIDITY, LEAD, Duration.ofHours(1), clock);
  }

  @Test
  void the_first_start_creates_the_secret_and_publishes_the_bundle_everywhere() throws Exception {
    Path certs = dir.resolve("certs");
    try (CertificateRotation rotation = CertificateRotation.start(cluster.client, settings(certs))) {
      Secret secret = secret();
      assertThat(secret.getData()).containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
      ServingMaterial stored = ServingMaterial.fromSecretData(secret.getData());
      assertThat(stored.certificate()).isEqualTo(rotation.current().certificate());
      stored.certificate().verify(stored.ca().getPublicKey());
      assertThat(stored.certificate().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
          .containsExactlyElementsOf(DNS);
      assertThat(stored.certificate().getNotAfter().toInstant()).isEqualTo(clock.instant().plus(VALIDITY));
      assertThat(stored.bundle()).containsExactly(stored.ca());

      assertThat(publishedBundles()).containsOnly(List.of(stored.ca()));
      assertThat(Files.readString(certs.resolve("tls.crt"))).isEqualTo(stored.certificatePem());
      assertThat(Files.readString(certs.resolve("tls.key"))).isEqualTo(stored.keyPem());
      assertThat(Files.getPosixFilePermissions(certs.resolve("tls.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }
  }

  @Test
  void a_restart_reuses_a_valid_secret() throws Exception {
    X509Certificate first;
    try (CertificateRotation rotation = CertificateRotation.start(cluster.client, settings(dir.resolve("a")))) {
      first = rotation.current().certificate();
    }
    String version = secret().getMetadata().getResourceVersion();
    clock.advance(VALIDITY.minus(LEAD).minusMinutes(1));
    try (CertificateRotation rotation = CertificateRotation.start(cluster.client, settings(dir.resolve("b")))) {
      assertThat(rotation.current().certificate()).isEqualTo(first);
    }
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(Files.readString(dir.resolve("b/tls.crt"))).isEqualTo(Files.readString(dir.resolve("a/tls.crt")));
  }

  @Test
  void near_expiry_rotates_keeping_the_old_ca_trusted_until_the_next_rotation() throws Exception {
    Path certs = dir.resolve("certs");
    try (CertificateRotation rotation = CertificateRotation.start(cluster.client, settings(certs))) {
      ServingMaterial first = rotation.current();
      clock.advance(VALIDITY.minus(LEAD));
      rotation.check();
      ServingMaterial second = rotation.current();

      assertThat(second.certificate()).isNotEqualTo(first.certificate());
      assertThat(second.ca()).isNotEqualTo(first.ca());
      second.certificate().verify(second.ca().getPublicKey());
      assertThat(second.bundle()).containsExactly(second.ca(), first.ca());
      assertThat(publishedBundles()).containsOnly(List.of(second.ca(), first.ca()));
      assertThat(ServingMaterial.fromSecretData(secret().getData()).certificate()).isEqualTo(second.certificate());
      assertThat(Files.readString(certs.resolve("tls.crt"))).isEqualTo(second.certificatePem());

      // The next rotation drops the first CA, which has expired by then.
      clock.advance(VALIDITY.minus(LEAD));
      rotation.check();
      ServingMaterial third = rotation.current();
      assertThat(third.bundle()).containsExactly(third.ca(), second.ca());
      assertThat(publishedBundles()).containsOnly(List.of(third.ca(), second.ca()));
    }
  }

  @Test
  void a_secret_that_cannot_serve_is_replaced_and_a_bundle_changed_by_hand_is_put_back() throws Exception {
    cluster.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("signet-tls").withNamespace(NAMESPACE).endMetadata()
        .withData(Map.of("tls.crt", "bm90IGEgY2VydGlmaWNhdGU=")).build()).create();
    try (CertificateRotation rotation = CertificateRotation.start(cluster.client, settings(dir.resolve("c")))) {
      ServingMaterial m = rotation.current();
      assertThat(ServingMaterial.fromSecretData(secret().getData()).certificate()).isEqualTo(m.certificate());
      assertThat(m.bundle()).containsExactly(m.ca());

      // A helm upgrade or an operator overwrote the Provider's bundle: the next check restores it.
      GenericKubernetesResource provider = provider("ratify-provider");
      spec(provider).put("caBundle", "c3RhbGU=");
      cluster.client.genericKubernetesResources(CertificateRotation.PROVIDER).resource(provider).update();
      rotation.check();
      assertThat(publishedBundles()).containsOnly(List.of(m.ca()));
    }
  }

  @Test
  void a_secret_for_other_dns_names_is_replaced() throws Exception {
    try (CertificateRotation rotation = CertificateRotation.start(cluster.client, settings(dir.resolve("d")))) {
      X509Certificate first = rotation.current().certificate();
      CertificateRotation.Settings renamed = new CertificateRotation.Settings(
          NAMESPACE, "signet-tls", List.of("signet-renamed.gatekeeper-system.svc"), List.of(), List.of(),
          dir.resolve("d"), VALIDITY, LEAD, Duration.ofHours(1), clock);
      try (CertificateRotation again = CertificateRotation.start(cluster.client, renamed)) {
        assertThat(again.current().certificate()).isNotEqualTo(first);
        assertThat(again.current().certificate().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
            .containsExactly("signet-renamed.gatekeeper-system.svc");
      }
    }
  }

  @Test
  void a_mounted_secret_volume_is_left_to_the_kubelet() throws Exception {
    Path mounted = Files.createDirectories(dir.resolve("mounted"));
    Files.createDirectories(mounted.resolve("..data"));
    try (CertificateRotation rotation = CertificateRotation.start(cluster.client, settings(mounted))) {
      assertThat(rotation.current()).isNotNull();
      assertThat(mounted.resolve("tls.crt")).doesNotExist();
    }
  }

  private Secret secret() {
    return cluster.client.secrets().inNamespace(NAMESPACE).withName("signet-tls").get();
  }

  private GenericKubernetesResource provider(String name) {
    return cluster.client.genericKubernetesResources(CertificateRotation.PROVIDER).withName(name).get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  /** The CA certificates each Provider and webhook trusts, in order. */
  private List<List<X509Certificate>> publishedBundles() throws Exception {
    var admission = cluster.client.admissionRegistration().v1();
    return List.of(
        bundle((String) spec(provider("ratify-provider")).get("caBundle")),
        bundle(admission.validatingWebhookConfigurations().withName("signet-validate").get()
            .getWebhooks().get(0).getClientConfig().getCaBundle()),
        bundle(admission.mutatingWebhookConfigurations().withName("signet-mutate").get()
            .getWebhooks().get(0).getClientConfig().getCaBundle()));
  }

  static List<X509Certificate> bundle(String base64) throws Exception {
    byte[] pem = Base64.getDecoder().decode(base64);
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
        .map(X509Certificate.class::cast).toList();
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}
