package dev.signet.kubernetes;

// The reference Azure setup as Ratify's chart renders it, applied as resources to the mock API
// server: a KeyManagementProvider of type azurekeyvault, a Verifier trusting it as ca:azurekeyvault,
// and an oras Store with azureWorkloadIdentity. The image sits in a real distribution registry
// (2.8.2) with token authentication behind the ACR token services stand-in, the certificate in the
// Key Vault stand-in (AzureFixture: no Microsoft endpoint can run here).

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.azure.AzureFixture;
import dev.signet.engine.StorePlugins;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.Store;
import dev.signet.oci.registry.DistributionRegistry;
import dev.signet.oci.registry.SignedAcrImage;
import dev.signet.result.VerificationResult;
import dev.signet.testkit.SettableClock;
import dev.signet.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AzureResourcesEndToEndTest extends ControllerFixture {
  static final String CLIENT = "6c6f6b69-0000-4000-8000-00000000a11c";
  static final String SUBJECT = "system:serviceaccount:gatekeeper-system:ratify-admin";
  static final String PEM = "application/x-pem-file";

  AzureFixture azure;
  DistributionRegistry registry;

  @AfterEach
  void stopServices() {
    if (registry != null) {
      registry.close();
    }
    if (azure != null) {
      azure.close();
    }
  }

  /** The KeyManagementProvider the chart renders from azurekeyvault.*, on the stand-in vault. */
  String keyVaultProvider() {
    return """
        apiVersion: config.ratify.deislabs.io/v1beta1
        kind: KeyManagementProvider
        metadata:
          name: kmprovider-akv
        spec:
          type: azurekeyvault
          refreshInterval: 1h
          parameters:
            vaultURI: %s
            tenantID: %s
            clientID: %s
            resource: https://vault.azure.net
            certificates:
              - name: wabbit-networks-io
                version: ""
        """.formatted(azure.vaultUri(), AzureFixture.TENANT, CLIENT);
  }

  /** The chart's Verifier for trustStores [ca:azurekeyvault] (store cert-0 on kmprovider-akv). */
  static final String VERIFIER = """
      apiVersion: config.ratify.deislabs.io/v1beta1
      kind: Verifier
      metadata:
        name: verifier-notation
      spec:
        name: notation
        version: 1.0.0
        artifactTypes: application/vnd.cncf.notary.signature
        parameters:
          verificationCertStores:
            ca:
              cert-0:
                - kmprovider-akv
          trustPolicyDoc:
            version: "1.0"
            trustPolicies:
              - name: trustPolicy-0
                registryScopes: ["*"]
                signatureVerification:
                  level: strict
                trustStores: ["ca:cert-0"]
                trustedIdentities: ["x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=wabbit-networks.io"]
      """;

  /** The chart's Store with oras.authProviders.azureWorkloadIdentityEnabled. */
  String store() {
    return """
        apiVersion: config.ratify.deislabs.io/v1beta1
        kind: Store
        metadata:
          name: store-oras
        spec:
          name: oras
          version: 1.0.0
          parameters:
            caFile: %s
            authProvider:
              name: azureWorkloadIdentity
              clientID: %s
              endpoints: ["127.0.0.1"]
        """.formatted(azure.caFile(), CLIENT);
  }

  private String statuses() {
    return cluster.client.getKubernetesSerialization().asJson(java.util.Arrays.asList(
        status(dev.signet.kubernetes.resource.KeyManagementProvider.class, null, "kmprovider-akv"),
        status(dev.signet.kubernetes.resource.Verifier.class, null, "verifier-notation"),
        status(Store.class, null, "store-oras")));
  }

  @Test
  void a_verifier_trusting_azurekeyvault_verifies_an_acr_image_and_follows_a_rotation()
      throws Exception {
    azure = new AzureFixture(dir.resolve("azure"));
    azure.identity(CLIENT, SUBJECT, AzureFixture.ACR_PULL, AzureFixture.SECRETS_USER);
    registry = DistributionRegistry.startWithTokenAuth(dir.resolve("registry"), azure.realm(), "%s",
        AzureFixture.REGISTRY_TOKEN_ISSUER, azure.registryTokenSigner());
    SignedAcrImage signed = SignedAcrImage.push(azure, registry);
    String subject = signed.subject();
    azure.putSecret("wabbit-networks-io", PEM, signed.keyVaultPem());

    // What the AKS webhook injects into the pod.
    Path token = dir.resolve("azure-identity-token");
    Files.writeString(token, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofDays(1))));
    Map<String, String> env = new HashMap<>();
    env.put("AZURE_TENANT_ID", AzureFixture.TENANT);
    env.put("AZURE_FEDERATED_TOKEN_FILE", token.toString());
    env.put("AZURE_AUTHORITY_HOST", azure.authorityHost());
    SettableClock clock = new SettableClock(Instant.now());

    cluster.apply(keyVaultProvider(), null);
    cluster.apply(VERIFIER, null);
    cluster.apply(store(), null);
    cluster.apply(sample("clustered/policy/config_v1beta1_policy_json.yaml"), null);
    startController(
        VerificationConfig.Runtime.standard(clock, dir.resolve("crl"))
            .withStores(StorePlugins.standard(env::get)),
        ProviderTypes.standard(env::get, CloudHttp.create(azure.clientSsl(), clock)));

    VerificationResult result = decisions.verify("default", subject);
    assertThat(result.isSuccess())
        .as(() -> result + "\nstatuses: " + statuses())
        .isTrue();
    assertThat(result.verifierReports().getFirst().verifierName()).isEqualTo("verifier-notation");
    MockCluster.await("the store status is written", () -> status(Store.class, null, "store-oras") != null);
    assertThat(status(Store.class, null, "store-oras").issuccess).isTrue();
    // The pull went through the ACR exchange with the workload identity's Entra ID token.
    assertThat(azure.requestLog()).anyMatch(l -> l.startsWith("POST /oauth2/exchange ")
        && l.contains("grant_type=access_token") && l.contains("tenant=" + AzureFixture.TENANT));
    assertThat(registry.accessLog())
        .anyMatch(l -> l.contains("/v2/net-monitor/manifests/") && l.contains("\" 200 "));

    // The certificate is rotated in the vault to another root: the next refresh stops trusting
    // the old one, without a restart.
    TestPki.Issued other =
        TestPki.root("CN=Another Root,O=Signet").keyType(TestPki.KeyType.EC_P256).selfSigned();
    azure.putSecret("wabbit-networks-io", PEM,
        AzureFixture.pem("CERTIFICATE", other.certificate().getEncoded()));
    long generation = controller.generation().number();
    clock.advance(Duration.ofHours(1));
    controller.refreshDue();
    assertThat(controller.generation().number()).isGreaterThan(generation);
    VerificationResult after = decisions.verify("default", subject);
    assertThat(after.isSuccess()).as(after.toString()).isFalse();
  }
}
