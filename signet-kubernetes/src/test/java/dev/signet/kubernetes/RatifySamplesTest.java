package dev.signet.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.kubernetes.resource.ResourceStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every custom resource sample of Ratify v1.4.0 ({@code config/samples/}), applied on top of the
 * resources Ratify's chart creates: supported ones are accepted and the engine they make decides
 * signed and unsigned images; unsupported ones get the status error that says why. The sbom,
 * licensechecker and vulnerabilityreport verifiers are accepted (their own tests are in the core).
 */
class RatifySamplesTest extends ControllerFixture {
  /** Sample file to the text its status error contains; "" when it is accepted. */
  static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("clustered/kmp/config_v1beta1_keymanagementprovider_akv.yaml",
          "azurekeyvault: tenantID is required"),
      Map.entry("clustered/kmp/config_v1beta1_keymanagementprovider_akv_refresh_enabled.yaml",
          "azurekeyvault: tenantID is required"),
      Map.entry("clustered/kmp/config_v1beta1_keymanagementprovider_inline.yaml", ""),
      Map.entry("clustered/policy/config_v1alpha1_policy_json.yaml", "used only when named ratify-policy"),
      Map.entry("clustered/policy/config_v1alpha1_policy_rego.yaml", "used only when named ratify-policy"),
      Map.entry("clustered/policy/config_v1beta1_policy_json.yaml", ""),
      Map.entry("clustered/policy/config_v1beta1_policy_rego.yaml", "Rego policies are not supported"),
      Map.entry("clustered/store/config_v1beta1_store_dynamic.yaml", "Signet runs only its built-in plugins"),
      Map.entry("clustered/store/config_v1beta1_store_oras.yaml", ""),
      Map.entry("clustered/store/config_v1beta1_store_oras_http.yaml", ""),
      Map.entry("clustered/store/config_v1beta1_store_oras_k8secretAuth.yaml", "k8Secrets"),
      Map.entry("clustered/verifier/config_v1alpha1_store_oras_http.yaml", ""),
      Map.entry("clustered/verifier/config_v1alpha1_verifier_notation.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_complete_licensechecker.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_cosign.yaml",
          "\"ratify-cosign-inline-key-0\", which does not exist"),
      Map.entry("clustered/verifier/config_v1beta1_verifier_cosign_keyless_legacy.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_cosign_legacy.yaml",
          "cannot read the public key /usr/local/ratify-certs/cosign/cosign.pub"),
      Map.entry("clustered/verifier/config_v1beta1_verifier_dynamic.yaml", "Signet runs only its built-in plugins"),
      Map.entry("clustered/verifier/config_v1beta1_verifier_notation.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_notation_kmprovider.yaml",
          "\"kmprovider-akv\", which does not exist"),
      Map.entry("clustered/verifier/config_v1beta1_verifier_notation_specificnskmprovider.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_partial_licensechecker.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_sbom.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_sbom_deny.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_schemavalidator.yaml", "is a URL and remote schemas are off"),
      Map.entry("clustered/verifier/config_v1beta1_verifier_schemavalidator_bad.yaml", "is a URL and remote schemas are off"),
      Map.entry("clustered/verifier/config_v1beta1_verifier_vulnerabilityreport.yaml", ""),
      Map.entry("clustered/verifier/config_v1beta1_verifier_vulnerabilityreport2.yaml", ""),
      Map.entry("namespaced/kmp/config_v1beta1_keymanagementprovider_akv.yaml",
          "azurekeyvault: tenantID is required"),
      Map.entry("namespaced/kmp/config_v1beta1_keymanagementprovider_akv_refresh_enabled.yaml",
          "azurekeyvault: tenantID is required"),
      Map.entry("namespaced/kmp/config_v1beta1_keymanagementprovider_inline.yaml", ""),
      Map.entry("namespaced/policy/config_v1beta1_policy_json.yaml", ""),
      Map.entry("namespaced/policy/config_v1beta1_policy_rego.yaml", "Rego policies are not supported"),
      Map.entry("namespaced/store/config_v1beta1_store_dynamic.yaml", "Signet runs only its built-in plugins"),
      Map.entry("namespaced/store/config_v1beta1_store_oras.yaml", ""),
      Map.entry("namespaced/store/config_v1beta1_store_oras_http.yaml", ""),
      Map.entry("namespaced/store/config_v1beta1_store_oras_k8secretAuth.yaml", "k8Secrets"),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_complete_licensechecker.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_cosign.yaml",
          "\"default/ratify-cosign-inline-key-0\", which does not exist"),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_cosign_keyless.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_cosign_legacy.yaml",
          "cannot read the public key /usr/local/ratify-certs/cosign/cosign.pub"),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_dynamic.yaml", "Signet runs only its built-in plugins"),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_notation.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_notation_kmprovider.yaml",
          "\"kmprovider-akv\", which does not exist"),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_notation_specificnskmprovider.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_partial_licensechecker.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_sbom.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_sbom_deny.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_schemavalidator.yaml", "is a URL and remote schemas are off"),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_schemavalidator_bad.yaml", "is a URL and remote schemas are off"),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_vulnerabilityreport.yaml", ""),
      Map.entry("namespaced/verifier/config_v1beta1_verifier_vulnerabilityreport2.yaml", ""),
      Map.entry("config_v1beta1_certstore_inline.yaml", ""),
      Map.entry("config_v1beta1_certstore_akv.yaml",
          "azurekeyvault: certificates must be a list of {name, version}")));

  static final String NAMESPACE = "default";

  @Test
  void the_table_names_every_sample_in_the_vectors() throws Exception {
    Path root = repo().resolve(SAMPLES);
    List<String> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml"))
          .map(p -> root.relativize(p).toString()).sorted().toList();
    }
    assertThat(files).containsExactlyElementsOf(EXPECTED.keySet());
  }

  @Test
  void every_sample_is_accepted_or_gets_the_expected_status_error() throws Exception {
    applyBaseline();
    // The namespaced samples name default/ratify-notation-inline-cert-0.
    cluster.apply(
        inlineKmp("NamespacedKeyManagementProvider", "ratify-notation-inline-cert-0", images.caA),
        NAMESPACE);
    startController();
    for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
      String text = sample(e.getKey());
      HasMetadata applied = cluster.apply(text, NAMESPACE);
      String ns = applied.getMetadata().getNamespace();
      String name = applied.getMetadata().getName();
      @SuppressWarnings("unchecked")
      Class<? extends CustomResource<?, ? extends ResourceStatus>> kind =
          (Class<? extends CustomResource<?, ? extends ResourceStatus>>) applied.getClass();
      String expected = e.getValue();
      try {
        MockCluster.await(e.getKey() + " gets its status", () -> {
          ResourceStatus s = status(kind, ns, name);
          return s != null && s.issuccess == expected.isEmpty()
              && (expected.isEmpty() || String.valueOf(s.error).contains(expected));
        });
      } catch (AssertionError timeout) {
        ResourceStatus s = status(kind, ns, name);
        throw new AssertionError(timeout.getMessage() + "; the status is "
            + (s == null ? "absent" : "issuccess=" + s.issuccess + " error=" + s.error), timeout);
      }
      String scope = ns == null ? "" : ns;
      boolean namespacedFailure = ns != null && !expected.isEmpty()
          && !kind.getSimpleName().contains("KeyManagementProvider")
          && !kind.getSimpleName().equals("CertificateStore");
      if (namespacedFailure) {
        // The namespace's only resource of that kind is rejected: its images fail closed.
        awaitAllowed(scope, images.signedByA, false);
        assertThat(decisions.verify(scope, images.signedByA).verifierReports().getFirst().errorReason())
            .as(e.getKey()).contains("applies to namespace default");
      } else if (ns != null && kind.getSimpleName().contains("Verifier")
          && !text.contains("name: notation")) {
        // The namespace's only verifier judges SBOMs, licences or vulnerability reports, not
        // signatures: nothing there is allowed for its signature alone.
        awaitAllowed(scope, images.signedByA, false);
        assertThat(allowed(scope, images.unsigned)).as(e.getKey()).isFalse();
      } else if (kind.getSimpleName().contains("Verifier") || kind.getSimpleName().contains("Policy")) {
        // The engine it makes (or the last good one, for a rejected edit) decides.
        awaitAllowed(scope, images.signedByA, true);
        assertThat(allowed(scope, images.unsigned)).as(e.getKey()).isFalse();
        assertThat(allowed(scope, images.signedByB)).as(e.getKey()).isFalse();
      }
      // Back to the chart's resources.
      if (List.of("verifier-notation", "ratify-policy").contains(name) && ns == null) {
        applyBaseline();
      } else {
        cluster.delete(kind, ns, name);
      }
      awaitAllowed("", images.signedByA, true);
    }
  }
}
