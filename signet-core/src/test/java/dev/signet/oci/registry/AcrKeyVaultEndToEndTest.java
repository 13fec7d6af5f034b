package dev.signet.oci.registry;

// The reference Azure setup on one machine: a signed image in a real distribution registry
// (2.8.2) with token authentication behind ACR's token services, pulled with a workload
// identity through the ACR exchange, verified with the trust anchor read from Key Vault.

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.azure.AzureFixture;
import dev.signet.cloud.azure.KeyVaultProvider;
import dev.signet.engine.VerificationConfig;
import dev.signet.deadline.Deadline;
import dev.signet.json.StrictJson;
import dev.signet.notation.NotationVerifier;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.notation.truststore.NamedTrustStore;
import dev.signet.notation.truststore.StoreType;
import dev.signet.notation.truststore.TrustStore;
import dev.signet.notation.truststore.TrustStoreException;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.oci.MediaTypes;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.testkit.TestPki;
import dev.signet.policy.ConfigPolicy;
import dev.signet.verify.Executor;
import dev.signet.verify.NotationReferenceVerifier;
import dev.signet.result.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcrKeyVaultEndToEndTest {
  static final String CLIENT = "6c6f6b69-0000-4000-8000-00000000a11c";
  static final String NO_PULL_CLIENT = "6c6f6b69-0000-4000-8000-0000000000b0";
  static final String SUBJECT = "system:serviceaccount:gatekeeper-system:ratify-admin";
  static final String POLICY =
      "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"default\",\"registryScopes\":[\"*\"],"
          + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:ca-certs\"],"
          + "\"trustedIdentities\":[\"*\"]}]}";

  @TempDir static Path dir;
  static AzureFixture azure;
  static DistributionRegistry registry;
  static TestPki.Issued root;
  static String subject;
  static Map<String, String> env = new HashMap<>();
  static CloudHttp http;
  static final Clock CLOCK = Clock.systemUTC();

  @BeforeAll
  static void signedImageInATokenAuthRegistry() throws Exception {
    azure = new AzureFixture(dir.resolve("azure"));
    azure.identity(CLIENT, SUBJECT, AzureFixture.ACR_PULL, AzureFixture.SECRETS_USER);
    azure.identity(NO_PULL_CLIENT, SUBJECT, AzureFixture.SECRETS_USER);
    registry = DistributionRegistry.startWithTokenAuth(dir.resolve("registry"), azure.realm(), "%s",
        AzureFixture.REGISTRY_TOKEN_ISSUER, azure.registryTokenSigner());

    SignedAcrImage signed = SignedAcrImage.push(azure, registry);
    root = signed.root();
    subject = signed.subject();
    azure.putSecret("wabbit-networks-io", "application/x-pem-file", signed.keyVaultPem());

    Path tokenFile = dir.resolve("azure-identity-token");
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofHours(1))));
    env.put("AZURE_TENANT_ID", AzureFixture.TENANT);
    env.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
    env.put("AZURE_AUTHORITY_HOST", azure.authorityHost());
    http = CloudHttp.create(azure.clientSsl(), CLOCK);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (azure != null) {
      azure.close();
    }
  }

  /** Ratify's chart renders this KeyManagementProvider from azurekeyvault.* values. */
  static KeyVaultProvider keyVault(String clientId) {
    String parameters = "{\"vaultURI\":\"" + azure.vaultUri() + "\",\"tenantID\":\"" + AzureFixture.TENANT
        + "\",\"clientID\":\"" + clientId + "\",\"resource\":\"https://vault.azure.net\","
        + "\"certificates\":[{\"name\":\"wabbit-networks-io\"}]}";
    return KeyVaultProvider.create("kmprovider-akv", json(parameters), env::get, http);
  }

  /** The oras store with {@code authProvider: {name: azureWorkloadIdentity, clientID, endpoints}}. */
  static RegistryStore acrStore(String clientId) throws Exception {
    CredentialProvider acr = AuthProviders.azure("azureWorkloadIdentity", json(
        "{\"name\":\"azureWorkloadIdentity\",\"clientID\":\"" + clientId + "\",\"endpoints\":[\"127.0.0.1\"]}"),
        env::get, http);
    return RegistryStore.create(RegistryOptions.defaults().withCaFile(azure.caFile()), acr, CLOCK);
  }

  /** Ratify's truststore rule for KMP certificates: CA certificates and self-signed leaves. */
  static TrustStore trustFrom(KeyVaultProvider kmp) {
    return (type, name) -> {
      if (type != StoreType.CA || !name.equals("ca-certs")) {
        throw new TrustStoreException("no trust store " + type + ":" + name);
      }
      KeyVaultProvider.Material m = kmp.material();
      List<X509Certificate> valid = m == null ? List.of() : m.allCertificates().stream()
          .filter(c -> CertificateChains.isCa(c) || CertificateChains.isSelfSigned(c)).toList();
      if (valid.isEmpty()) {
        throw new TrustStoreException(NamedTrustStore.NO_VALID_CERTIFICATES + " (key management provider "
            + kmp.name() + ": " + kmp.status().error() + ")");
      }
      return valid;
    };
  }

  static Executor executor(RegistryStore store, TrustStore trust) throws Exception {
    VerificationConfig.Runtime runtime = VerificationConfig.Runtime.standard(CLOCK, dir.resolve("crl"));
    NotationVerifier notation = new NotationVerifier(
        TrustPolicyDocument.parse(POLICY.getBytes(StandardCharsets.UTF_8)), trust,
        runtime.timestampVerifier(),
        runtime.revocationCheckers().forSettings(new VerificationConfig.CrlSettings(false)), CLOCK);
    return new Executor(List.of(store),
        List.of(new NotationReferenceVerifier("verifier-notation", Set.of(MediaTypes.NOTARY_SIGNATURE), notation)),
        new ConfigPolicy(Map.of(MediaTypes.NOTARY_SIGNATURE, ConfigPolicy.Rule.ANY)),
        Duration.ofSeconds(30), CLOCK);
  }

  @Test
  void a_signed_image_pulled_through_the_acr_exchange_verifies_with_trust_from_key_vault() throws Exception {
    KeyVaultProvider kmp = keyVault(CLIENT);
    kmp.refresh(Deadline.after(CLOCK, Duration.ofSeconds(30)));
    assertThat(kmp.status().isSuccess()).as(kmp.status().error()).isTrue();

    try (RegistryStore store = acrStore(CLIENT)) {
      VerificationResult result = executor(store, trustFrom(kmp)).verify(subject);

      assertThat(result.isSuccess()).as(result.toString()).isTrue();
      assertThat(result.verifierReports().get(0).extensions().get("SN").toString())
          .contains("CN=wabbit-networks.io");
      assertThat(store.identity()).contains("azureWorkloadIdentity").contains(CLIENT)
          .contains(AzureFixture.TENANT);
    }
    List<String> log = azure.requestLog();
    assertThat(log).anyMatch(l -> l.startsWith("POST /oauth2/exchange ") && l.contains("grant_type=access_token")
        && l.contains("service=" + registry.host().replace(":", "%3A")) && l.contains("tenant=" + AzureFixture.TENANT));
    assertThat(log).anyMatch(l -> l.startsWith("GET /oauth2/token?") && l.contains("scope=repository%3Anet-monitor%3Apull"));
    assertThat(registry.accessLog()).anyMatch(l -> l.contains("/v2/net-monitor/manifests/") && l.contains("\" 200 "));
  }

  @Test
  void a_managed_identity_of_the_node_pulls_through_the_metadata_endpoint() throws Exception {
    CredentialProvider mi = AuthProviders.azure("azureManagedIdentity", json(
        "{\"name\":\"azureManagedIdentity\",\"clientID\":\"" + CLIENT + "\",\"imdsEndpoint\":\""
            + azure.imds() + "\",\"endpoints\":[\"127.0.0.1\"]}"), env::get, http);
    Path pem = dir.resolve("mi-root.pem");
    Files.writeString(pem, AzureFixture.pem("CERTIFICATE", root.certificate().getEncoded()));
    try (RegistryStore store = RegistryStore.create(
        RegistryOptions.defaults().withCaFile(azure.caFile()), mi, CLOCK)) {
      VerificationResult result = executor(store,
          NamedTrustStore.of(Map.of(StoreType.CA, Map.of("ca-certs", List.of(pem))))).verify(subject);
      assertThat(result.isSuccess()).as(result.toString()).isTrue();
      assertThat(store.identity()).contains("azureManagedIdentity").contains("managed identity (client id " + CLIENT);
    }
    assertThat(azure.requestLog()).anyMatch(l -> l.startsWith("GET /metadata/identity/oauth2/token?")
        && l.contains("client_id=" + CLIENT));
  }

  @Test
  void the_same_image_verifies_with_inline_certificates() throws Exception {
    Path pem = dir.resolve("notation-cert-0.pem");
    Files.writeString(pem, AzureFixture.pem("CERTIFICATE", root.certificate().getEncoded()));
    TrustStore inline = NamedTrustStore.of(Map.of(StoreType.CA, Map.of("ca-certs", List.of(pem))));
    try (RegistryStore store = acrStore(CLIENT)) {
      VerificationResult result = executor(store, inline).verify(subject);
      assertThat(result.isSuccess()).as(result.toString()).isTrue();
    }
  }

  @Test
  void an_identity_without_acr_pull_is_told_to_get_the_role() throws Exception {
    KeyVaultProvider kmp = keyVault(NO_PULL_CLIENT);
    kmp.refresh(Deadline.after(CLOCK, Duration.ofSeconds(30)));
    try (RegistryStore store = acrStore(NO_PULL_CLIENT)) {
      VerificationResult result = executor(store, trustFrom(kmp)).verify(subject);
      assertThat(result.isSuccess()).isFalse();
      assertThat(result.toString())
          .contains("needs the AcrPull role on " + registry.host())
          .contains("--assignee " + NO_PULL_CLIENT)
          .doesNotContain("rt-")
          .doesNotContain("at-");
    }
  }

  @Test
  void a_certificate_rotated_away_in_the_vault_stops_the_image_verifying_at_the_next_refresh()
      throws Exception {
    azure.putSecret("rotating", "application/x-pem-file",
        AzureFixture.pem("CERTIFICATE", root.certificate().getEncoded()));
    KeyVaultProvider kmp = KeyVaultProvider.create("kmprovider-akv", json("{\"vaultURI\":\"" + azure.vaultUri()
        + "\",\"tenantID\":\"" + AzureFixture.TENANT + "\",\"clientID\":\"" + CLIENT
        + "\",\"resource\":\"https://vault.azure.net\",\"certificates\":[{\"name\":\"rotating\"}]}"), env::get, http);
    kmp.refresh(Deadline.after(CLOCK, Duration.ofSeconds(30)));
    try (RegistryStore store = acrStore(CLIENT)) {
      Executor executor = executor(store, trustFrom(kmp));
      assertThat(executor.verify(subject).isSuccess()).isTrue();

      TestPki.Issued other = TestPki.root("CN=Another Root").keyType(TestPki.KeyType.EC_P256).selfSigned();
      azure.putSecret("rotating", "application/x-pem-file",
          AzureFixture.pem("CERTIFICATE", other.certificate().getEncoded()));
      assertThat(kmp.refresh(Deadline.after(CLOCK, Duration.ofSeconds(30)))).isTrue();

      VerificationResult after = executor.verify(subject);
      assertThat(after.isSuccess()).isFalse();
    }
  }

  static tools.jackson.databind.JsonNode json(String text) {
    try {
      return StrictJson.parseObject(text.getBytes(StandardCharsets.UTF_8), 1 << 16, "json");
    } catch (dev.signet.json.JsonFormatException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
