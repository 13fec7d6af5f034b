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
import dev.signet.kubernetes.resource.ResourceStatus;
import dev.signet.kubernetes.resource.Store;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.oci.registry.SignedAcrImage;
import dev.signet.result.VerificationResult;
import dev.signet.testkit.SettableClock;
import dev.signet.testkit.TestPki;
import dev.signet.cosign.CosignSigner;
import dev.signet.oci.Descriptor;
import dev.signet.oci.registry.Credential;
import dev.signet.oci.registry.RegistryClient;
import dev.signet.oci.registry.RegistryOptions;
import dev.signet.oci.registry.RegistryPusher;
import dev.signet.reference.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
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

  /**
   * The KeyManagementProvider the chart renders from azurekeyvault.*, on the stand-in vault: the
   * certificate, and the keys named (azurekeyvault.keys) in the same resource.
   */
  String keyVaultProvider(String... keys) {
    StringBuilder keyList = new StringBuilder(keys.length == 0 ? "" : "    keys:\n");
    for (String k : keys) {
      keyList.append("      - name: ").append(k).append("\n");
    }
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
        """.formatted(azure.vaultUri(), AzureFixture.TENANT, CLIENT)
        + keyList;
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

  /**
   * The chart's Store with oras.authProviders.azureWorkloadIdentityEnabled (and cosign.enabled,
   * the chart's default, which sets cosignEnabled).
   */
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
            cosignEnabled: true
            authProvider:
              name: azureWorkloadIdentity
              clientID: %s
              endpoints: ["127.0.0.1"]
        """.formatted(azure.caFile(), CLIENT);
  }

  /** Starts the controller as the pod runs: the AKS webhook's variables and token file. */
  private void startWithWorkloadIdentity(SettableClock clock) throws Exception {
    Path token = dir.resolve("azure-identity-token");
    Files.writeString(token, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofDays(1))));
    Map<String, String> env = new HashMap<>();
    env.put("AZURE_TENANT_ID", AzureFixture.TENANT);
    env.put("AZURE_FEDERATED_TOKEN_FILE", token.toString());
    env.put("AZURE_AUTHORITY_HOST", azure.authorityHost());
    startController(
        VerificationConfig.Runtime.standard(clock, dir.resolve("crl"))
            .withStores(StorePlugins.standard(env::get)),
        ProviderTypes.standard(env::get, CloudHttp.create(azure.clientSsl(), clock)));
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

    SettableClock clock = new SettableClock(Instant.now());

    cluster.apply(keyVaultProvider(), null);
    cluster.apply(VERIFIER, null);
    cluster.apply(store(), null);
    cluster.apply(sample("clustered/policy/config_v1beta1_policy_json.yaml"), null);
    startWithWorkloadIdentity(clock);

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

  /** Ratify's e2e cosign verifier on Key Vault keys (config_v1beta1_verifier_cosign_akv.yaml). */
  static final String COSIGN_VERIFIER = """
      apiVersion: config.ratify.deislabs.io/v1beta1
      kind: Verifier
      metadata:
        name: verifier-cosign
      spec:
        name: cosign
        artifactTypes: application/vnd.dev.cosign.artifact.sig.v1+json
        parameters:
          trustPolicies:
            - name: default
              version: 1.0.0
              scopes:
                - "*"
              keys:
                - provider: kmprovider-akv
              tLogVerify: false
      """;

  /** Pushes {@code repository:v1} with a cosign signature by {@code signer}; returns it by digest. */
  private String cosignSigned(String repository, PrivateKey signer) throws Exception {
    try (RegistryPusher pusher = RegistryPusher.of(RegistryClient.create(
        RegistryOptions.defaults().withCaFile(azure.caFile()),
        r -> new Credential.Basic(AzureFixture.PUSHER, AzureFixture.PUSHER_PASSWORD),
        Clock.systemUTC()))) {
      Reference image = Reference.parse(registry.host() + "/" + repository + ":v1");
      Descriptor pushed = pusher.image(image, repository);
      pusher.cosign(image, CosignSigner.sign(signer, image.name(), pushed.digest()));
      return registry.host() + "/" + repository + "@" + pushed.digest();
    }
  }

  private static KeyPair generate(String algorithm, AlgorithmParameterSpec spec) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    g.initialize(spec);
    return g.generateKeyPair();
  }

  private boolean admitted(String subject) {
    return decisions.verify("default", subject).isSuccess();
  }

  private void refresh(SettableClock clock) {
    long generation = controller.generation().number();
    clock.advance(Duration.ofHours(1));
    controller.refreshDue();
    assertThat(controller.generation().number()).isGreaterThan(generation);
  }

  @Test
  void a_cosign_verifier_trusts_key_vault_keys_and_follows_rotation_and_disabling()
      throws Exception {
    azure = new AzureFixture(dir.resolve("azure"));
    azure.identity(CLIENT, SUBJECT, AzureFixture.ACR_PULL, AzureFixture.SECRETS_USER,
        AzureFixture.CRYPTO_USER);
    registry = DistributionRegistry.startWithTokenAuth(dir.resolve("registry"), azure.realm(), "%s",
        AzureFixture.REGISTRY_TOKEN_ISSUER, azure.registryTokenSigner());
    KeyPair ec = generate("EC", new ECGenParameterSpec("secp256r1"));
    KeyPair rsa = generate("RSA", new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4));
    KeyPair rotated = generate("EC", new ECGenParameterSpec("secp384r1"));
    KeyPair stranger = generate("EC", new ECGenParameterSpec("secp256r1"));
    String byEc = cosignSigned("app-ec", ec.getPrivate());
    String byRsa = cosignSigned("app-rsa", rsa.getPrivate());
    String byRotated = cosignSigned("app-rotated", rotated.getPrivate());
    String byStranger = cosignSigned("app-stranger", stranger.getPrivate());
    azure.putKey("cosign-signer", AzureFixture.jwk(ec.getPublic()));
    String rsaVersion = azure.putKey("release-signer", AzureFixture.jwk(rsa.getPublic()));
    TestPki.Issued notationRoot =
        TestPki.root("CN=Wabbit Networks Root,O=Signet").keyType(TestPki.KeyType.EC_P256).selfSigned();
    azure.putSecret("wabbit-networks-io", PEM,
        AzureFixture.pem("CERTIFICATE", notationRoot.certificate().getEncoded()));

    SettableClock clock = new SettableClock(Instant.now());
    cluster.apply(keyVaultProvider("cosign-signer", "release-signer"), null);
    cluster.apply(COSIGN_VERIFIER, null);
    cluster.apply(store(), null);
    cluster.apply(sample("clustered/policy/config_v1beta1_policy_json.yaml"), null);
    startWithWorkloadIdentity(clock);

    VerificationResult result = decisions.verify("default", byEc);
    assertThat(result.isSuccess()).as(() -> result + "\nstatuses: " + statuses()).isTrue();
    assertThat(result.verifierReports().getFirst().verifierName()).isEqualTo("verifier-cosign");
    assertThat(admitted(byRsa)).as("signed with the RSA key of the vault").isTrue();
    assertThat(admitted(byStranger)).as("signed with a key the vault does not hold").isFalse();
    assertThat(admitted(byRotated)).as("signed with a key not in the vault yet").isFalse();
    assertThat(azure.requestLog()).anyMatch(l -> l.startsWith("VAULT GET /keys/cosign-signer"));

    // A new version of the key: the next refresh trusts it, and no longer the version before.
    azure.putKey("cosign-signer", AzureFixture.jwk(rotated.getPublic()));
    refresh(clock);
    assertThat(admitted(byRotated)).as("signed with the new version").isTrue();
    assertThat(admitted(byEc)).as("signed with the replaced version").isFalse();
    assertThat(admitted(byRsa)).isTrue();

    // A disabled key is no longer trusted; the status says so.
    azure.disableKey("release-signer", rsaVersion);
    refresh(clock);
    assertThat(admitted(byRsa)).as("signed with the disabled key").isFalse();
    assertThat(admitted(byRotated)).isTrue();
    assertThat(status(dev.signet.kubernetes.resource.KeyManagementProvider.class, null,
        "kmprovider-akv").error).contains("key release-signer", "disabled", "is not trusted");

    // With every key gone from the vault (its certificate stays), nothing signed with them is
    // trusted: the verifier's earlier keys do not stand in.
    azure.deleteKey("cosign-signer");
    refresh(clock);
    assertThat(admitted(byRotated)).as("signed with a deleted key").isFalse();
    assertThat(admitted(byRsa)).isFalse();
    assertThat(status(dev.signet.kubernetes.resource.Verifier.class, null, "verifier-cosign").error)
        .contains("kmprovider-akv", "holds no public keys");

    // One key of the provider chosen by name is refused rather than trusting all of its keys.
    cluster.apply(COSIGN_VERIFIER.replace("name: verifier-cosign", "name: verifier-cosign-named")
        .replace("- provider: kmprovider-akv", "- provider: kmprovider-akv\n            name: cosign-signer"),
        null);
    MockCluster.await("the named-key verifier is refused", () -> {
      ResourceStatus named =
          status(dev.signet.kubernetes.resource.Verifier.class, null, "verifier-cosign-named");
      return named != null && !named.issuccess && named.error.contains("by name or version is not supported");
    });
  }
}
