package dev.signet.kubernetes;

// Ratify's azurekeyvault KeyManagementProvider with refreshInterval, on the mock API server,
// against the local Key Vault and Entra ID stand-ins (AzureFixture: no Microsoft endpoint can run
// here). The controller's clock is moved by hand and the due refresh run at once: no test sleeps.

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.azure.AzureFixture;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.KeyManagementProvider;
import dev.signet.kubernetes.resource.ProviderStatus;
import dev.signet.kubernetes.resource.Verifier;
import dev.signet.testkit.SettableClock;
import dev.signet.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyVaultRefreshTest extends ControllerFixture {
  static final String CLIENT = "6c6f6b69-0000-4000-8000-00000000a11c";
  static final String SUBJECT = "system:serviceaccount:gatekeeper-system:ratify-admin";
  static final String PEM = "application/x-pem-file";
  static final String KMP = "kmprovider-akv";

  AzureFixture azure;
  SettableClock clock;
  ProviderTypes types;

  @BeforeEach
  void vault() throws Exception {
    azure = new AzureFixture(dir.resolve("azure"));
    azure.identity(CLIENT, SUBJECT, AzureFixture.SECRETS_USER);
    Path token = dir.resolve("azure-identity-token");
    Files.writeString(token, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofDays(1))));
    Map<String, String> env = new HashMap<>();
    env.put("AZURE_FEDERATED_TOKEN_FILE", token.toString());
    env.put("AZURE_AUTHORITY_HOST", azure.authorityHost());
    clock = new SettableClock(Instant.now());
    types = ProviderTypes.standard(env::get, CloudHttp.create(azure.clientSsl(), clock));
  }

  @AfterEach
  void stopVault() {
    azure.close();
  }

  /** Ratify's refresh sample, pointed at the stand-in vault (whose name gives no token scope). */
  String keyVaultProvider(String refreshInterval) throws Exception {
    return sample("clustered/kmp/config_v1beta1_keymanagementprovider_akv_refresh_enabled.yaml")
        .replace("name: keymanagementprovider-akv", "name: " + KMP)
        .replace("refreshInterval: 1m", "refreshInterval: \"" + refreshInterval + "\"")
        .replace("https://yourkeyvault.vault.azure.net/", azure.vaultUri())
        .replace("yourCertName", "wabbit-networks-io")
        .replace("version: yourCertVersion # Optional, fetch latest version if empty", "version: \"\"")
        .replace("tenantID:", "tenantID: " + AzureFixture.TENANT)
        .replace("clientID:", "clientID: " + CLIENT + "\n    resource: https://vault.azure.net");
  }

  void applyKeyVaultSetup(String refreshInterval) throws Exception {
    cluster.apply(keyVaultProvider(refreshInterval), null);
    cluster.apply(layoutStore("Store", "store-layout", images.layout), null);
    cluster.apply(sample("clustered/verifier/config_v1beta1_verifier_notation_kmprovider.yaml"), null);
    cluster.apply(sample("clustered/policy/config_v1beta1_policy_json.yaml"), null);
  }

  ProviderStatus providerStatus() {
    return (ProviderStatus) status(KeyManagementProvider.class, null, KMP);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> certificateProperties() {
    List<Map<String, Object>> certs =
        (List<Map<String, Object>>) providerStatus().properties.get("Certificates");
    assertThat(certs).hasSize(1);
    return certs.getFirst();
  }

  void awaitProviderStatus(String what, java.util.function.Predicate<ProviderStatus> condition)
      throws Exception {
    MockCluster.await(what, () -> providerStatus() != null && condition.test(providerStatus()));
  }

  long fetches(String outcome) {
    return controller.providerFetches().getOrDefault(List.of(KMP, "azurekeyvault", outcome), 0L);
  }

  @Test
  void a_rotated_certificate_is_trusted_after_the_refresh_interval_and_bumps_the_generation()
      throws Exception {
    String v1 = azure.putSecret("wabbit-networks-io", PEM, images.caA);
    applyKeyVaultSetup("1h");
    startController(VerificationConfig.Runtime.standard(clock, dir.resolve("crl")), types);

    assertThat(allowed("", images.signedByA)).isTrue();
    assertThat(allowed("", images.signedByB)).isFalse();
    awaitProviderStatus("the provider status is written", s -> s.issuccess);
    assertThat(certificateProperties())
        .containsEntry("Name", "wabbit-networks-io")
        .containsEntry("Version", v1)
        .containsEntry("Enabled", true)
        .containsKey("LastRefreshed");
    assertThat(providerStatus().lastfetchedtime).isNotBlank();
    long generation = controller.generation().number();
    int vaultReads = azure.hits("VAULT GET /secrets/");

    // A new version in the vault: nothing changes before the interval has passed.
    String v2 = azure.putSecret("wabbit-networks-io", PEM, images.caB);
    clock.advance(Duration.ofMinutes(59));
    controller.refreshDue();
    assertThat(azure.hits("VAULT GET /secrets/")).isEqualTo(vaultReads);
    assertThat(allowed("", images.signedByA)).isTrue();

    clock.advance(Duration.ofMinutes(1));
    controller.refreshDue();
    assertThat(azure.hits("VAULT GET /secrets/")).isGreaterThan(vaultReads);
    assertThat(allowed("", images.signedByB)).isTrue();
    assertThat(allowed("", images.signedByA)).isFalse();
    assertThat(controller.generation().number()).isGreaterThan(generation);
    awaitProviderStatus("the status shows the new version",
        s -> v2.equals(certificateProperties().get("Version")));
    assertThat(fetches("success")).isEqualTo(2);
    assertThat(fetches("failure")).isZero();
  }

  @Test
  void a_failed_refresh_keeps_the_last_good_certificates_and_says_so() throws Exception {
    azure.putSecret("wabbit-networks-io", PEM, images.caA);
    applyKeyVaultSetup("30m");
    startController(VerificationConfig.Runtime.standard(clock, dir.resolve("crl")), types);
    assertThat(allowed("", images.signedByA)).isTrue();
    long generation = controller.generation().number();

    azure.stopVault();
    clock.advance(Duration.ofMinutes(30));
    controller.refreshDue();

    assertThat(allowed("", images.signedByA)).isTrue();
    assertThat(controller.generation().number()).isEqualTo(generation);
    awaitProviderStatus("the status shows the failure", s -> !s.issuccess);
    ProviderStatus failed = providerStatus();
    assertThat(failed.error).contains("keeping the material fetched at");
    assertThat(failed.properties).containsKey("Certificates");
    assertThat(fetches("failure")).isEqualTo(1);
    // The status is what an operator sees: never a token.
    assertThat(failed.error).doesNotContain("eyJ");
    assertThat(status(Verifier.class, null, "verifier-notation").issuccess).isTrue();

    // The vault is back: the next refresh succeeds and the status says so.
    azure.startVault();
    clock.advance(Duration.ofMinutes(30));
    controller.refreshDue();
    awaitProviderStatus("the status is back to success", s -> s.issuccess);
    assertThat(allowed("", images.signedByA)).isTrue();
    assertThat(fetches("success")).isEqualTo(2);
  }

  @Test
  void a_certificate_removed_from_the_vault_stops_being_trusted_at_the_next_refresh()
      throws Exception {
    azure.putSecret("wabbit-networks-io", PEM, images.caA);
    applyKeyVaultSetup("1h");
    startController(VerificationConfig.Runtime.standard(clock, dir.resolve("crl")), types);
    assertThat(allowed("", images.signedByA)).isTrue();

    azure.deleteSecret("wabbit-networks-io");
    clock.advance(Duration.ofHours(1));
    controller.refreshDue();

    assertThat(allowed("", images.signedByA)).isFalse();
    awaitProviderStatus("the status names the missing certificate",
        s -> !s.issuccess && s.error.contains("certificate wabbit-networks-io is not trusted"));
    MockCluster.await("the verifier status names the empty provider",
        () -> !status(Verifier.class, null, "verifier-notation").issuccess);
    assertThat(status(Verifier.class, null, "verifier-notation").error)
        .contains("names key management provider \"" + KMP + "\", which holds no certificates or keys")
        .contains("SecretNotFound");
  }

  @Test
  void a_leaf_without_its_ca_is_no_trust_anchor_as_in_ratify() throws Exception {
    TestPki.Issued root = TestPki.root("CN=Unheld Root,O=Signet,ST=WA,C=US").selfSigned();
    TestPki.Issued leaf = TestPki.leaf("CN=Leaf Only,O=Signet,ST=WA,C=US").issuedBy(root);
    azure.putSecret("wabbit-networks-io", PEM, SignedImages.pem(leaf.certificate()));
    applyKeyVaultSetup("1h");
    startController(VerificationConfig.Runtime.standard(clock, dir.resolve("crl")), types);

    assertThat(allowed("", images.signedByA)).isFalse();
    awaitProviderStatus("the status says no certificate is a trust anchor",
        s -> !s.issuccess && s.error.contains("only CA certificates or self-signed signing"));
  }

  @Test
  void a_vault_unreachable_at_start_is_tried_again_and_nothing_is_trusted_meanwhile()
      throws Exception {
    azure.putSecret("wabbit-networks-io", PEM, images.caA);
    azure.stopVault();
    applyKeyVaultSetup("");
    startController(VerificationConfig.Runtime.standard(clock, dir.resolve("crl")), types);

    assertThat(allowed("", images.signedByA)).isFalse();
    awaitProviderStatus("the status shows the failure", s -> !s.issuccess);
    assertThat(providerStatus().error).contains("no certificates are trusted from this provider yet");

    azure.startVault();
    clock.advance(Duration.ofMinutes(1));
    controller.refreshDue();
    assertThat(allowed("", images.signedByA)).isTrue();
    awaitProviderStatus("the status is success", s -> s.issuccess);
  }

  @Test
  void without_refresh_interval_the_vault_is_read_once_and_a_bad_interval_is_reported()
      throws Exception {
    azure.putSecret("wabbit-networks-io", PEM, images.caA);
    applyKeyVaultSetup("");
    startController(VerificationConfig.Runtime.standard(clock, dir.resolve("crl")), types);
    assertThat(allowed("", images.signedByA)).isTrue();
    int reads = azure.hits("VAULT GET /secrets/");
    clock.advance(Duration.ofDays(2));
    controller.refreshDue();
    assertThat(azure.hits("VAULT GET /secrets/")).isEqualTo(reads);

    cluster.apply(keyVaultProvider("every hour"), null);
    awaitProviderStatus("the status shows the bad interval",
        s -> !s.issuccess && s.error.contains("spec.refreshInterval"));
    assertThat(providerStatus().error).contains("\"every hour\" is not a duration");
    // The certificates fetched before stay in use, as Ratify keeps them after a failed reconcile.
    assertThat(allowed("", images.signedByA)).isTrue();
  }
}
