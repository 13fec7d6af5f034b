package dev.signet.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.cli.Main;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.NamespaceDecisions;
import dev.signet.kubernetes.ResourceController;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.CertificateStore;
import dev.signet.kubernetes.resource.KeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedKeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedPolicy;
import dev.signet.kubernetes.resource.NamespacedStore;
import dev.signet.kubernetes.resource.NamespacedVerifier;
import dev.signet.kubernetes.resource.Policy;
import dev.signet.kubernetes.resource.Store;
import dev.signet.kubernetes.resource.Verifier;
import dev.signet.result.VerificationResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The resources the chart renders, applied to fabric8's mock API server (CRUD mode; no real API server
 * can run on the build machines) and loaded by Signet's controller, decide the demo's images: signed
 * by the trusted identity allowed, unsigned and signed by an untrusted certificate denied. The chart's
 * ConfigMap is the controller's base configuration. The images are in an OCI layout, so the rendered
 * registry Store (oras) is replaced by an ocilayout Store naming it; everything else is as rendered.
 */
class ChartOnControllerTest {
  /** The kinds the controller watches; the mock server must know each one's scope and plural. */
  private static final List<Class<? extends CustomResource<?, ?>>> KINDS = List.of(Store.class,
      NamespacedStore.class, Verifier.class, NamespacedVerifier.class, Policy.class, NamespacedPolicy.class,
      KeyManagementProvider.class, NamespacedKeyManagementProvider.class, CertificateStore.class);

  @TempDir Path dir;
  private KubernetesMockServer server;
  private ResourceController controller;

  @AfterEach
  void stop() {
    if (controller != null) {
      controller.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  @Test
  void theRenderedResourcesAllowTheSignedImageAndDenyTheOthers() throws Exception {
    Path demo = dir.resolve("demo");
    StringWriter out = new StringWriter();
    assertThat(Main.run(new PrintWriter(out), new PrintWriter(out), "demo", "--dir", demo.toString()))
        .as(out.toString()).isZero();
    JsonNode plugins = JsonMapper.shared().readTree(demo.resolve("config.json").toFile()).path("verifier").path("plugins");
    JsonNode demoPolicy = plugins.valueStream()
        .filter(p -> p.has("trustPolicyDoc"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the demo's config.json has no notation verifier: " + plugins))
        .path("trustPolicyDoc").path("trustPolicies").get(0);
    Path values = dir.resolve("values.yaml");
    Files.writeString(values, new YAMLMapper().writeValueAsString(
        Map.of("notationCerts", List.of(Files.readString(demo.resolve("certs/demo-ca.pem"))))));
    Map<String, String> set = new HashMap<>();
    set.put("notation.trustPolicies[0].registryScopes[0]", "demo.signet.local/signed");
    set.put("notation.trustPolicies[0].registryScopes[1]", "demo.signet.local/unsigned");
    set.put("notation.trustPolicies[0].registryScopes[2]", "demo.signet.local/untrusted");
    set.put("notation.trustPolicies[0].trustStores[0]", "ca:notationCerts[0]");
    set.put("notation.trustPolicies[0].trustedIdentities[0]", demoPolicy.path("trustedIdentities").get(0).asString());
    RenderedChart chart = RenderedChart.render(set, values);

    KubernetesClient client = startMockServer();
    for (String kind : List.of("Verifier", "KeyManagementProvider", "Policy")) {
      for (JsonNode object : chart.ofKind(kind)) {
        create(client, object);
      }
    }
    create(client, new YAMLMapper().readTree("""
        apiVersion: config.ratify.deislabs.io/v1beta1
        kind: Store
        metadata: {name: store-oras}
        spec: {name: ocilayout, parameters: {path: "%s"}}
        """.formatted(demo.resolve("oci-layout"))));
    Path baseConfig = Files.writeString(dir.resolve("config.json"),
        chart.get("ConfigMap", RenderedChart.FULLNAME + "-configuration").path("data").path("config.json").asString());
    controller = ResourceController.start(client, new ResourceController.Settings(
        baseConfig, dir.resolve("work"), VerificationConfig.Runtime.standard(Clock.systemUTC(), dir.resolve("crl")),
        ProviderTypes.standard(Clock.systemUTC()), Duration.ZERO));
    NamespaceDecisions decisions = new NamespaceDecisions(controller, new CaffeineResultCache(), Clock.systemUTC());

    await("the signed image is allowed", () -> decisions.verify("default", "demo.signet.local/signed:v1").isSuccess());
    VerificationResult unsigned = decisions.verify("default", "demo.signet.local/unsigned:v1");
    VerificationResult untrusted = decisions.verify("default", "demo.signet.local/untrusted:v1");
    assertThat(unsigned.isSuccess()).isFalse();
    assertThat(untrusted.isSuccess()).isFalse();
    assertThat(untrusted.verifierReports()).anySatisfy(r -> {
      assertThat(r.verifierName()).isEqualTo("verifier-notation");
      assertThat(r.errorReason()).contains("trusted");
    });
    await("the verifier's status says it loaded", () -> {
      Verifier v = client.resources(Verifier.class).withName("verifier-notation").get();
      return v.getStatus() != null && v.getStatus().issuccess;
    });
  }

  /**
   * Until the CRDs are generated from the controller's model, the chart carries Ratify's; each kind
   * the controller reads must be there with the group, plural, scope and stored version it uses.
   */
  @Test
  void theChartsCrdsServeEveryKindTheControllerReads() throws Exception {
    List<JsonNode> crds = KubernetesSchemas.fromCrds(RenderedChart.chart().resolve("crds")).crds();
    for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
      JsonNode crd = crds.stream()
          .filter(c -> c.path("spec").path("names").path("kind").asString().equals(HasMetadata.getKind(kind)))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no CRD for " + HasMetadata.getKind(kind)));
      JsonNode spec = crd.path("spec");
      assertThat(spec.path("group").asString()).isEqualTo(HasMetadata.getGroup(kind));
      assertThat(spec.path("names").path("plural").asString()).isEqualTo(HasMetadata.getPlural(kind));
      assertThat(spec.path("scope").asString())
          .isEqualTo(io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(kind) ? "Namespaced" : "Cluster");
      assertThat(spec.path("versions").valueStream()
              .filter(v -> v.path("name").asString().equals(HasMetadata.getVersion(kind))))
          .singleElement()
          .satisfies(v -> assertThat(v.path("served").asBoolean() && v.path("storage").asBoolean()).isTrue());
    }
  }

  private KubernetesClient startMockServer() throws Exception {
    List<CustomResourceDefinitionContext> contexts =
        KINDS.stream().map(CustomResourceDefinitionContext::fromCustomResourceType).toList();
    server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(contexts), false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    return server.createClient();
  }

  private static void create(KubernetesClient client, JsonNode object) {
    Class<? extends CustomResource<?, ?>> type = KINDS.stream()
        .filter(k -> HasMetadata.getKind(k).equals(object.path("kind").asString()))
        .findFirst()
        .orElseThrow();
    CustomResource<?, ?> resource =
        client.getKubernetesSerialization().unmarshal(object.toString(), type);
    client.resource(resource).create();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }
}
