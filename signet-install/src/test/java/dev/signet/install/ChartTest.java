package dev.signet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.TestPki;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * charts/signet rendered by Helm (helm-java, in process) with the install line of the reference
 * setup and its FAQ variant; every rendered object is checked against the Kubernetes and CRD schemas.
 */
class ChartTest {
  private static final String CLIENT_ID = "1f6c2a4e-0000-4a3b-9c1d-2e5f6a7b8c9d";
  private static final String TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final String VAULT = "https://myakv.vault.azure.net/";
  private static final String SCOPE = "myregistry.azurecr.io/net-monitor";
  private static final String IDENTITY =
      "x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=wabbit-networks.io";

  private static KubernetesSchemas schemas;

  @TempDir Path dir;

  @BeforeAll
  static void loadSchemas() throws Exception {
    schemas = KubernetesSchemas.fromCrds(RenderedChart.chart().resolve("crds"));
  }

  /** The reference setup's line: helm install ratify CHART --namespace gatekeeper-system --set ... */
  private static Map<String, String> referenceLine() {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("provider.enableMutation", "false");
    set.put("featureFlags.RATIFY_CERT_ROTATION", "true");
    set.put("azureWorkloadIdentity.clientId", CLIENT_ID);
    set.put("oras.authProviders.azureWorkloadIdentityEnabled", "true");
    set.put("azurekeyvault.enabled", "true");
    set.put("azurekeyvault.vaultURI", VAULT);
    set.put("azurekeyvault.certificates[0].name", "wabbit-networks-io");
    set.put("azurekeyvault.tenantId", TENANT_ID);
    set.put("notation.trustPolicies[0].registryScopes[0]", SCOPE);
    set.put("notation.trustPolicies[0].trustStores[0]", "ca:azurekeyvault");
    // helm-java passes the value as is: what "--set ...=x509.subject: C=US\\, ST=WA..." gives on a shell.
    set.put("notation.trustPolicies[0].trustedIdentities[0]", IDENTITY);
    return set;
  }

  @Test
  void lintPassesStrictly() {
    LintResult lint = new Helm(RenderedChart.chart()).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void theReferenceInstallLineRendersItsTrustPolicyIdentityAndProvider() throws Exception {
    RenderedChart chart = RenderedChart.render(referenceLine(), null);

    assertValid(chart);
    JsonNode verifier = chart.get("Verifier", "verifier-notation").path("spec");
    assertThat(verifier.path("artifactTypes").asString()).isEqualTo("application/vnd.cncf.notary.signature");
    JsonNode policy = verifier.path("parameters").path("trustPolicyDoc").path("trustPolicies");
    assertThat(policy).hasSize(1);
    assertThat(texts(policy.get(0).path("registryScopes"))).containsExactly(SCOPE);
    assertThat(texts(policy.get(0).path("trustStores"))).containsExactly("ca:cert-0");
    assertThat(texts(policy.get(0).path("trustedIdentities"))).containsExactly(IDENTITY);
    assertThat(policy.get(0).path("signatureVerification").path("level").asString()).isEqualTo("strict");
    assertThat(verifier.path("parameters").path("verificationCertStores").toString())
        .isEqualTo("{\"ca\":{\"cert-0\":[\"kmprovider-akv\"]}}");

    JsonNode vault = chart.get("KeyManagementProvider", "kmprovider-akv").path("spec");
    assertThat(vault.path("type").asString()).isEqualTo("azurekeyvault");
    assertThat(vault.path("parameters").path("vaultURI").asString()).isEqualTo(VAULT);
    assertThat(vault.path("parameters").path("tenantID").asString()).isEqualTo(TENANT_ID);
    assertThat(vault.path("parameters").path("clientID").asString()).isEqualTo(CLIENT_ID);
    assertThat(vault.path("parameters").path("certificates").get(0).path("name").asString())
        .isEqualTo("wabbit-networks-io");

    JsonNode auth = chart.get("Store", "store-oras").path("spec").path("parameters").path("authProvider");
    assertThat(auth.path("name").asString()).isEqualTo("azureWorkloadIdentity");
    assertThat(auth.path("clientID").asString()).isEqualTo(CLIENT_ID);
    assertThat(chart.get("Policy", "ratify-policy").path("spec").path("type").asString())
        .isEqualTo("config-policy");

    JsonNode account = chart.get("ServiceAccount", "ratify-admin");
    assertThat(account.path("metadata").path("annotations").path("azure.workload.identity/client-id").asString())
        .isEqualTo(CLIENT_ID);
    JsonNode pod = chart.get("Deployment", RenderedChart.FULLNAME).path("spec").path("template");
    assertThat(pod.path("metadata").path("labels").path("azure.workload.identity/use").asString()).isEqualTo("true");
    assertThat(pod.path("spec").path("serviceAccountName").asString()).isEqualTo("ratify-admin");
    JsonNode container = pod.path("spec").path("containers").get(0);
    assertThat(env(container)).containsEntry("RATIFY_CERT_ROTATION", "1");
    assertThat(texts(container.path("args"))).startsWith("serve").contains("--cert-dir=/usr/local/tls");

    assertThat(chart.find("Provider", "ratify-mutation-provider")).isEmpty();
    assertThat(chart.ofKind("Assign")).isEmpty();
    assertProviderTrustsTheServingCertificate(chart);
  }

  /** What certificate rotation needs (as deploy/rbac.yaml grants it), for the chart's names, no more. */
  @Test
  void rotationIsGrantedItsSecretAndTheCaBundlesByName() {
    RenderedChart chart = RenderedChart.render(referenceLine(), null);
    String fullname = RenderedChart.FULLNAME;
    List<String> clusterRules = new ArrayList<>();
    chart.get("ClusterRole", fullname + "-manager").path("rules").forEach(r -> {
      if (!texts(r.path("apiGroups")).contains("config.ratify.deislabs.io")) {
        clusterRules.add(texts(r.path("apiGroups")) + " " + texts(r.path("resources")) + " "
            + texts(r.path("resourceNames")) + " " + texts(r.path("verbs")));
      }
    });
    assertThat(clusterRules).containsExactly(
        "[externaldata.gatekeeper.sh] [providers] [ratify-provider, ratify-mutation-provider] [get, update]",
        "[admissionregistration.k8s.io] [validatingwebhookconfigurations, mutatingwebhookconfigurations] ["
            + fullname + "-validate, " + fullname + "-mutate] [get, update]");
    List<String> secretRules = new ArrayList<>();
    chart.get("Role", fullname + "-manager").path("rules").forEach(r -> secretRules.add(
        texts(r.path("resources")) + " " + texts(r.path("resourceNames")) + " " + texts(r.path("verbs"))));
    assertThat(secretRules).containsExactly(
        "[secrets] [" + fullname + "-tls] [get, update]", "[secrets] [] [create]");
  }

  @Test
  void theFaqVariantTrustsNotationCertsWithATimestampRoot() throws Exception {
    String signingRoot = TestTls.pem(TestPki.root("CN=Signing Root,O=Example,C=US").selfSigned().certificate());
    String tsaRoot = TestTls.pem(TestPki.root("CN=Timestamp Root,O=Example,C=US").selfSigned().certificate());
    Map<String, String> set = referenceLine();
    set.remove("azurekeyvault.enabled");
    set.remove("azurekeyvault.vaultURI");
    set.remove("azurekeyvault.certificates[0].name");
    set.remove("azurekeyvault.tenantId");
    set.put("notation.trustPolicies[0].trustStores[0]", "ca:notationCerts[0]");
    set.put("notation.trustPolicies[0].trustStores[1]", "tsa:notationCerts[1]");

    RenderedChart chart = RenderedChart.render(set, setFile(Map.of("notationCerts", List.of(signingRoot, tsaRoot))));

    assertValid(chart);
    String inline = RenderedChart.FULLNAME + "-notation-inline-cert-";
    JsonNode verifier = chart.get("Verifier", "verifier-notation").path("spec").path("parameters");
    assertThat(verifier.path("verificationCertStores").toString())
        .isEqualTo("{\"ca\":{\"cert-0\":[\"" + inline + "0\"]},\"tsa\":{\"cert-1\":[\"" + inline + "1\"]}}");
    JsonNode policy = verifier.path("trustPolicyDoc").path("trustPolicies").get(0);
    assertThat(texts(policy.path("trustStores"))).containsExactly("ca:cert-0", "tsa:cert-1");
    assertThat(texts(policy.path("registryScopes"))).containsExactly(SCOPE);
    assertThat(chart.get("KeyManagementProvider", inline + "0").path("spec").path("parameters").path("value").asString())
        .isEqualTo(signingRoot);
    assertThat(chart.get("KeyManagementProvider", inline + "1").path("spec").path("parameters").path("value").asString())
        .isEqualTo(tsaRoot);
    assertThat(chart.find("KeyManagementProvider", "kmprovider-akv")).isEmpty();
  }

  @Test
  void theDefaultsRenderMutationASecureDeploymentAndNoDisruptionBudget() throws Exception {
    RenderedChart chart = RenderedChart.render(Map.of(), null);

    assertValid(chart);
    JsonNode mutation = chart.get("Provider", "ratify-mutation-provider").path("spec");
    assertThat(mutation.path("url").asString())
        .isEqualTo("https://" + RenderedChart.FULLNAME + ".gatekeeper-system:6001/ratify/gatekeeper/v1/mutate");
    assertThat(mutation.path("timeout").asInt()).isEqualTo(2);
    assertThat(chart.ofKind("Assign")).isNotEmpty().allSatisfy(a ->
        assertThat(a.path("spec").path("parameters").path("assign").path("externalData").path("provider").asString())
            .isEqualTo("ratify-mutation-provider"));
    JsonNode pod = chart.get("Deployment", RenderedChart.FULLNAME).path("spec").path("template").path("spec");
    JsonNode security = pod.path("containers").get(0).path("securityContext");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/readyz");
    assertThat(container.path("livenessProbe").path("httpGet").path("port").asString()).isEqualTo("healthz");
    assertThat(container.path("resources").path("limits").path("memory").asString()).isEqualTo("512Mi");
    assertThat(pod.path("affinity").path("podAntiAffinity").isMissingNode()).isFalse();
    assertThat(chart.ofKind("PodDisruptionBudget")).isEmpty();
    assertThat(chart.ofKind("ValidatingWebhookConfiguration")).isEmpty();
    JsonNode config = new YAMLMapper().readTree(
        chart.get("ConfigMap", RenderedChart.FULLNAME + "-configuration").path("data").path("config.json").asString());
    assertThat(config.path("executor").path("verificationRequestTimeout").asInt()).isEqualTo(4900);
    assertThat(config.path("executor").path("mutationRequestTimeout").asInt()).isEqualTo(1950);
    assertProviderTrustsTheServingCertificate(chart);
  }

  @Test
  void replicasGetADisruptionBudgetAndWebhooksShareTheProvidersCa() throws Exception {
    RenderedChart chart = RenderedChart.render(
        Map.of("replicaCount", "3", "admissionWebhooks.enabled", "true", "admissionWebhooks.mode", "audit"), null);

    assertValid(chart);
    assertThat(chart.get("PodDisruptionBudget", RenderedChart.FULLNAME).path("spec").path("minAvailable").asInt())
        .isEqualTo(1);
    String ca = chart.get("Provider", "ratify-provider").path("spec").path("caBundle").asString();
    JsonNode validate = chart.get("ValidatingWebhookConfiguration", RenderedChart.FULLNAME + "-validate")
        .path("webhooks").get(0);
    assertThat(validate.path("clientConfig").path("caBundle").asString()).isEqualTo(ca);
    assertThat(validate.path("clientConfig").path("service").path("path").asString()).isEqualTo("/admission/validate");
    assertThat(validate.path("failurePolicy").asString()).isEqualTo("Fail");
    assertThat(chart.get("MutatingWebhookConfiguration", RenderedChart.FULLNAME + "-mutate")
        .path("webhooks").get(0).path("clientConfig").path("caBundle").asString()).isEqualTo(ca);
    assertThat(texts(chart.get("Deployment", RenderedChart.FULLNAME).path("spec").path("template").path("spec")
        .path("containers").get(0).path("args"))).contains("--admission-mode=audit");
  }

  @Test
  void sbomVulnerabilityReportAndManagedIdentityRenderWithRatifysNames() throws Exception {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("sbom.enabled", "true");
    set.put("sbom.disallowedLicenses[0]", "GPL-3.0-only");
    set.put("sbom.disallowedPackages[0].name", "log4j-core");
    set.put("sbom.disallowedPackages[0].version", "2.14.1");
    set.put("sbom.notaryProjectSignatureRequired", "true");
    set.put("vulnerabilityreport.enabled", "true");
    set.put("vulnerabilityreport.disallowedSeverities[0]", "critical");
    set.put("vulnerabilityreport.maximumAge", "24h");
    set.put("oras.authProviders.azureManagedIdentityEnabled", "true");
    set.put("azureManagedIdentity.clientId", CLIENT_ID);
    set.put("azureManagedIdentity.tenantId", TENANT_ID);

    RenderedChart chart = RenderedChart.render(set, null);

    assertValid(chart);
    JsonNode sbom = chart.get("Verifier", "verifier-sbom").path("spec");
    assertThat(sbom.path("artifactTypes").asString()).isEqualTo("application/spdx+json");
    assertThat(sbom.path("parameters").path("disallowedPackages").get(0).path("version").asString()).isEqualTo("2.14.1");
    assertThat(sbom.path("parameters").path("nestedReferences").asString()).isEqualTo("application/vnd.cncf.notary.signature");
    JsonNode sarif = chart.get("Verifier", "verifier-vulnerabilityreport").path("spec").path("parameters");
    assertThat(texts(sarif.path("disallowedSeverities"))).containsExactly("critical");
    assertThat(sarif.path("maximumAge").asString()).isEqualTo("24h");
    JsonNode auth = chart.get("Store", "store-oras").path("spec").path("parameters").path("authProvider");
    assertThat(auth.path("name").asString()).isEqualTo("azureManagedIdentity");
    assertThat(auth.path("clientID").asString()).isEqualTo(CLIENT_ID);
    assertThat(env(chart.get("Deployment", RenderedChart.FULLNAME).path("spec").path("template").path("spec")
        .path("containers").get(0))).containsEntry("AZURE_TENANT_ID", TENANT_ID);
  }

  @Test
  void kubernetesSecretsAndEcrRenderTheStoresAuthProviderAsRatifysChartDoes() throws Exception {
    RenderedChart secrets = RenderedChart.render(Map.of("oras.authProviders.k8secretsEnabled", "true"), null);
    assertValid(secrets);
    JsonNode auth = secrets.get("Store", "store-oras").path("spec").path("parameters").path("authProvider");
    assertThat(auth.path("name").asString()).isEqualTo("k8Secrets");
    assertThat(auth.path("serviceAccountName").asString()).isEqualTo("ratify-admin");
    // The service account's pull secrets are read with a GET each: the Role allows it.
    assertThat(secrets.get("Role", RenderedChart.FULLNAME + "-manager").path("rules").toString())
        .contains("\"resources\":[\"secrets\",\"serviceaccounts\"],\"verbs\":[\"get\"]");
    assertThat(RenderedChart.render(Map.of(), null).get("Role", RenderedChart.FULLNAME + "-manager")
        .path("rules").toString()).doesNotContain("serviceaccounts");

    Map<String, String> set = new LinkedHashMap<>();
    set.put("oras.authProviders.awsEcrBasicEnabled", "true");
    set.put("serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn", "arn:aws:iam::123456789012:role/signet");
    set.put("oras.authProviders.awsApiOverride.enabled", "true");
    set.put("oras.authProviders.awsApiOverride.endpoint", "https://vpce-0123.api.ecr.us-west-2.vpce.amazonaws.com");
    set.put("oras.authProviders.awsApiOverride.partition", "aws");
    set.put("oras.authProviders.awsApiOverride.region", "us-west-2");
    RenderedChart ecr = RenderedChart.render(set, null);
    assertValid(ecr);
    assertThat(ecr.get("Store", "store-oras").path("spec").path("parameters").path("authProvider").toString())
        .isEqualTo("{\"name\":\"awsEcrBasic\"}");
    assertThat(ecr.get("ServiceAccount", "ratify-admin").path("metadata").path("annotations")
        .path("eks.amazonaws.com/role-arn").asString()).isEqualTo("arn:aws:iam::123456789012:role/signet");
    assertThat(env(ecr.get("Deployment", RenderedChart.FULLNAME).path("spec").path("template").path("spec")
        .path("containers").get(0)))
        .containsEntry("AWS_API_OVERRIDE_ENDPOINT", "https://vpce-0123.api.ecr.us-west-2.vpce.amazonaws.com")
        .containsEntry("AWS_API_OVERRIDE_PARTITION", "aws")
        .containsEntry("AWS_API_OVERRIDE_REGION", "us-west-2");
  }

  @Test
  void valuesSignetDoesNotSupportFailTheInstallWithTheReason() {
    assertRejected(Map.of("cosign.enabled", "true"), "cosign.enabled=true: Sigstore/cosign signatures are not verified");
    assertRejected(Map.of("provider.cache.type", "dapr"), "provider.cache.type=dapr");
    assertRejected(Map.of("vulnerabilityreport.enabled", "true", "vulnerabilityreport.schemaURL", "https://x"),
        "vulnerabilityreport.schemaURL");
    assertRejected(Map.of("oras.authProviders.alibabacloudAcrBasicEnabled", "true"),
        "Alibaba Cloud ACR authentication is not part");
    assertRejected(Map.of("oras.authProviders.k8secretsEnabled", "true",
        "oras.authProviders.awsEcrBasicEnabled", "true"),
        "oras.authProviders.k8secretsEnabled, oras.authProviders.awsEcrBasicEnabled are all true");
    assertRejected(Map.of("policy.useRego", "true"), "policy.useRego=true");
    assertRejected(Map.of("provider.retries", "3"), "retries");
    assertRejected(Map.of("notation.trustPolicies[0].registryScopes[0]", "*",
        "notation.trustPolicies[0].verifyTimestamp", "afterCertExpiry"), "verifyTimestamp");
    assertRejected(Map.of("notation.trustPolicies[0].registryScopes[0]", "*",
        "notation.trustPolicies[0].trustStores[0]", "ca:unknownCert"), "Unknown trust store reference: unknownCert");
    assertRejected(Map.of("notation.trustPolicies[0].registryScopes[0]", "*",
        "notation.trustPolicies[0].trustStores[0]", "ca:notationCerts[0]"), "only 0 notationCerts are given");
    assertRejected(Map.of("azurekeyvault.enabled", "true", "azureWorkloadIdentity.clientId", CLIENT_ID,
        "azurekeyvault.tenantId", TENANT_ID), "azurekeyvault.vaultURI must be given");
    assertRejected(Map.of("oras.authProviders.azureWorkloadIdentityEnabled", "true"),
        "needs azureWorkloadIdentity.clientId");
    assertRejected(Map.of("provider.tls.crt", "x"), "provider.tls needs all of");
  }

  @Test
  void theCrdsAreRatifysKindsInItsApiGroup() {
    List<String> kinds = schemas.crds().stream()
        .map(c -> c.path("spec").path("group").asString() + "/" + c.path("spec").path("names").path("kind").asString()
            + "/" + c.path("spec").path("scope").asString())
        .toList();
    assertThat(kinds).containsExactlyInAnyOrder(
        "config.ratify.deislabs.io/Store/Cluster", "config.ratify.deislabs.io/NamespacedStore/Namespaced",
        "config.ratify.deislabs.io/Verifier/Cluster", "config.ratify.deislabs.io/NamespacedVerifier/Namespaced",
        "config.ratify.deislabs.io/Policy/Cluster", "config.ratify.deislabs.io/NamespacedPolicy/Namespaced",
        "config.ratify.deislabs.io/KeyManagementProvider/Cluster",
        "config.ratify.deislabs.io/NamespacedKeyManagementProvider/Namespaced",
        "config.ratify.deislabs.io/CertificateStore/Namespaced");
    assertThat(schemas.crds()).allSatisfy(crd -> assertThat(schemas.errors(crd)).isEmpty());
  }

  /** The chart ships the CRDs generated from the controller's model (deploy/crds), unchanged. */
  @Test
  void the_chart_ships_the_generated_crds() throws Exception {
    java.nio.file.Path generated = RenderedChart.repository().resolve("deploy/crds");
    java.nio.file.Path shipped = RenderedChart.chart().resolve("crds");
    try (var files = java.nio.file.Files.list(generated)) {
      List<java.nio.file.Path> crds = files.sorted().toList();
      assertThat(crds).hasSize(9);
      for (java.nio.file.Path crd : crds) {
        String name = crd.getFileName().toString().replaceAll("\\.yml$", ".yaml");
        assertThat(java.nio.file.Files.readString(shipped.resolve(name)))
            .as("charts/signet/crds/" + name + " is deploy/crds/" + crd.getFileName())
            .isEqualTo(java.nio.file.Files.readString(crd));
      }
    }
  }

  @Test
  void theSchemaCheckCatchesAFieldTheApiServerWouldDrop() {
    RenderedChart chart = RenderedChart.render(Map.of(), null);
    ObjectNode verifier = (ObjectNode) chart.get("Verifier", "verifier-notation").deepCopy();
    ((ObjectNode) verifier.path("spec")).put("artifactType", "typo");
    ObjectNode deployment = (ObjectNode) chart.get("Deployment", RenderedChart.FULLNAME).deepCopy();
    ((ObjectNode) deployment.path("spec")).put("replica", 2);

    assertThat(schemas.errors(verifier)).singleElement().asString().contains("artifactType");
    assertThat(schemas.errors(deployment)).singleElement().asString().contains("replica");
  }

  private static void assertRejected(Map<String, String> set, String reason) {
    assertThatThrownBy(() -> RenderedChart.render(set, null))
        .as("--set %s", set)
        .hasMessageContaining(reason);
  }

  /** Every object is of a kind with a known schema and valid against it (Gatekeeper's own kinds aside). */
  private static void assertValid(RenderedChart chart) {
    List<String> errors = new ArrayList<>();
    for (JsonNode object : chart.objects()) {
      String group = object.path("apiVersion").asString();
      if (group.startsWith("externaldata.gatekeeper.sh/") || group.startsWith("mutations.gatekeeper.sh/")) {
        continue; // Gatekeeper's CRDs are not part of the chart; their fields are asserted by the tests
      }
      assertThat(schemas.knows(object)).as("schema for %s", object.path("kind")).isTrue();
      errors.addAll(schemas.errors(object));
    }
    assertThat(errors).as(chart.yaml()).isEmpty();
  }

  /** The Provider calls the Service over HTTPS and trusts the CA that signed the served certificate. */
  private static void assertProviderTrustsTheServingCertificate(RenderedChart chart) throws Exception {
    JsonNode service = chart.get("Service", RenderedChart.FULLNAME);
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(6001);
    JsonNode provider = chart.get("Provider", "ratify-provider").path("spec");
    assertThat(provider.path("url").asString()).isEqualTo(
        "https://" + RenderedChart.FULLNAME + "." + RenderedChart.NAMESPACE + ":6001/ratify/gatekeeper/v1/verify");
    assertThat(provider.path("timeout").asInt()).isEqualTo(5);
    X509Certificate ca = certificate(Base64.getDecoder().decode(provider.path("caBundle").asString()));
    JsonNode secret = chart.get("Secret", RenderedChart.FULLNAME + "-tls").path("data");
    X509Certificate served = certificate(Base64.getDecoder().decode(secret.path("tls.crt").asString()));
    served.verify(ca.getPublicKey());
    assertThat(served.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(served.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList())
        .contains(RenderedChart.FULLNAME + "." + RenderedChart.NAMESPACE,
            RenderedChart.FULLNAME + "." + RenderedChart.NAMESPACE + ".svc");
    assertThat(secret.path("tls.key").asString()).isNotEmpty();
    List<String> mounts = texts(chart.get("Deployment", RenderedChart.FULLNAME).path("spec").path("template")
        .path("spec").path("volumes").findValues("secretName").stream().reduce(
            new YAMLMapper().createArrayNode(), (a, n) -> a.add(n), (a, b) -> a));
    assertThat(mounts).contains(RenderedChart.FULLNAME + "-tls");
  }

  private Path setFile(Map<String, Object> values) throws Exception {
    Path file = dir.resolve("set-file-values.yaml");
    Files.writeString(file, new YAMLMapper().writeValueAsString(values));
    return file;
  }

  private static X509Certificate certificate(byte[] pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asString(), e.path("value").asString()));
    return env;
  }
}
