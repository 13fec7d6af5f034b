package dev.signet.cloud.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.json.StrictJson;
import dev.signet.testkit.TestPki;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The azurekeyvault key management provider against the Key Vault fixture: certificate chains
 * from the secrets that back them, versions, rotation, removal and failures.
 */
class KeyVaultProviderTest {
  static final String CLIENT = "11111111-2222-3333-4444-555555555555";
  static final String SUBJECT = "system:serviceaccount:gatekeeper-system:ratify-admin";
  static final String PEM = "application/x-pem-file";
  static final String PKCS12 = "application/x-pkcs12";

  @TempDir Path dir;
  AzureFixture fixture;
  Map<String, String> env = new HashMap<>();
  CloudHttp http;
  TestPki.Issued root;
  TestPki.Issued leaf;

  @BeforeEach
  void start() throws Exception {
    fixture = new AzureFixture(dir);
    fixture.identity(CLIENT, SUBJECT, AzureFixture.SECRETS_USER, AzureFixture.CRYPTO_USER);
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofHours(1))));
    env.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
    env.put("AZURE_AUTHORITY_HOST", fixture.authorityHost());
    http = CloudHttp.create(fixture.clientSsl(), Clock.systemUTC());
    root = TestPki.root("CN=Vault Root,O=Signet").keyType(TestPki.KeyType.EC_P256).selfSigned();
    leaf = TestPki.leaf("CN=Vault Signer,O=Signet").keyType(TestPki.KeyType.EC_P256).issuedBy(root);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private KeyVaultProvider provider(String parameters) {
    return KeyVaultProvider.create("kmprovider-akv", json(parameters), env::get, http);
  }

  static tools.jackson.databind.JsonNode json(String text) {
    try {
      return StrictJson.parseObject(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1 << 16, "parameters");
    } catch (dev.signet.json.JsonFormatException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private KeyVaultProvider provider(String name, String version) {
    return provider("{\"vaultURI\":\"" + fixture.vaultUri() + "\",\"tenantID\":\"" + AzureFixture.TENANT
        + "\",\"clientID\":\"" + CLIENT + "\",\"resource\":\"https://vault.azure.net\","
        + "\"certificates\":[{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}]}");
  }

  private static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(20));
  }

  private String pemChain(TestPki.Issued l, TestPki.Issued r) throws Exception {
    // As Key Vault stores a PEM certificate: the private key, then the chain.
    return AzureFixture.pem("PRIVATE KEY", l.privateKey().getEncoded())
        + AzureFixture.pem("CERTIFICATE", l.certificate().getEncoded())
        + AzureFixture.pem("CERTIFICATE", r.certificate().getEncoded());
  }

  @Test
  void a_pem_certificate_yields_its_whole_chain_without_the_key_and_ratify_status_properties()
      throws Exception {
    String version = fixture.putSecret("signer", PEM, pemChain(leaf, root));
    KeyVaultProvider p = provider("signer", "");

    assertThat(p.refresh(deadline())).isTrue();

    assertThat(p.material().allCertificates()).containsExactly(leaf.certificate(), root.certificate());
    assertThat(p.status().isSuccess()).isTrue();
    assertThat(p.status().lastFetchedTime()).isNotNull();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> certs = (List<Map<String, Object>>) p.status().properties().get("Certificates");
    assertThat(certs).hasSize(1);
    assertThat(certs.get(0)).containsEntry("Name", "signer").containsEntry("Version", version)
        .containsEntry("Enabled", true).containsKey("LastRefreshed");
    assertThat(p.generation()).isEqualTo(1);
    assertThat(fixture.requestLog()).anyMatch(l -> l.startsWith("VAULT GET /secrets/signer?api-version=7.4"));
  }

  @Test
  void a_pkcs12_certificate_made_by_java_is_read_with_the_empty_password() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("signer", leaf.privateKey(), new char[0],
        new java.security.cert.Certificate[] {leaf.certificate(), root.certificate()});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, new char[0]);
    fixture.putSecret("pfx", PKCS12, Base64.getEncoder().encodeToString(out.toByteArray()));
    KeyVaultProvider p = provider("pfx", "");
    p.refresh(deadline());
    assertThat(p.status().error()).isEmpty();
    assertThat(p.material().allCertificates()).containsExactly(leaf.certificate(), root.certificate());
  }

  @Test
  void a_pkcs12_certificate_made_by_openssl_is_read() throws Exception {
    Path key = dir.resolve("leaf.key");
    Path chain = dir.resolve("chain.pem");
    Path pfx = dir.resolve("leaf.pfx");
    Files.writeString(key, AzureFixture.pem("PRIVATE KEY", leaf.privateKey().getEncoded()));
    Files.writeString(chain, AzureFixture.pem("CERTIFICATE", leaf.certificate().getEncoded())
        + AzureFixture.pem("CERTIFICATE", root.certificate().getEncoded()));
    Process openssl = new ProcessBuilder("openssl", "pkcs12", "-export", "-inkey", key.toString(),
        "-in", chain.toString(), "-out", pfx.toString(), "-passout", "pass:")
        .redirectErrorStream(true).start();
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
    fixture.putSecret("openssl", PKCS12, Base64.getEncoder().encodeToString(Files.readAllBytes(pfx)));

    KeyVaultProvider p = provider("openssl", "");
    p.refresh(deadline());
    assertThat(p.status().error()).isEmpty();
    assertThat(p.material().allCertificates()).containsExactlyInAnyOrder(leaf.certificate(), root.certificate());
  }

  @Test
  void a_pinned_version_is_read_and_a_disabled_version_is_refused() throws Exception {
    String v1 = fixture.putSecret("signer", PEM, pemChain(leaf, root));
    TestPki.Issued root2 = TestPki.root("CN=Vault Root 2,O=Signet").keyType(TestPki.KeyType.EC_P256).selfSigned();
    fixture.putSecret("signer", PEM, AzureFixture.pem("CERTIFICATE", root2.certificate().getEncoded()));

    KeyVaultProvider pinned = provider("signer", v1);
    pinned.refresh(deadline());
    assertThat(pinned.material().allCertificates()).contains(root.certificate()).doesNotContain(root2.certificate());

    fixture.disable("signer", v1);
    pinned.refresh(deadline());
    assertThat(pinned.material().allCertificates()).isEmpty();
    assertThat(pinned.status().error()).contains("certificate signer " + v1 + " is disabled and not trusted");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> certs = (List<Map<String, Object>>) pinned.status().properties().get("Certificates");
    assertThat(certs.get(0)).containsEntry("Enabled", false).containsEntry("Version", v1);
  }

  @Test
  void a_rotated_certificate_is_picked_up_at_the_next_refresh_and_a_removed_one_stops_being_trusted()
      throws Exception {
    fixture.putSecret("signer", PEM, pemChain(leaf, root));
    KeyVaultProvider p = provider("signer", "");
    p.refresh(deadline());
    assertThat(p.refresh(deadline())).as("nothing changed").isFalse();
    assertThat(p.generation()).isEqualTo(1);

    TestPki.Issued root2 = TestPki.root("CN=Vault Root 2,O=Signet").keyType(TestPki.KeyType.EC_P256).selfSigned();
    String v2 = fixture.putSecret("signer", PEM, AzureFixture.pem("CERTIFICATE", root2.certificate().getEncoded()));
    assertThat(p.refresh(deadline())).isTrue();
    assertThat(p.generation()).isEqualTo(2);
    assertThat(p.material().allCertificates()).containsExactly(root2.certificate());
    assertThat(p.material().certificates().get(0).version()).isEqualTo(v2);

    fixture.deleteSecret("signer");
    assertThat(p.refresh(deadline())).isTrue();
    assertThat(p.material().allCertificates()).isEmpty();
    assertThat(p.status().isSuccess()).isFalse();
    assertThat(p.status().error()).contains("SecretNotFound").contains("certificate signer is not trusted");
  }

  @Test
  void the_next_refresh_reports_a_rotated_certificate() throws Exception {
    // The schedule (refreshInterval) is the controller's: KeyVaultRefreshTest in signet-kubernetes.
    fixture.putSecret("signer", PEM, pemChain(leaf, root));
    KeyVaultProvider p = provider("signer", "");
    p.refresh(deadline());
    TestPki.Issued root2 = TestPki.root("CN=Vault Root 2,O=Signet").keyType(TestPki.KeyType.EC_P256).selfSigned();
    fixture.putSecret("signer", PEM, AzureFixture.pem("CERTIFICATE", root2.certificate().getEncoded()));
    assertThat(p.refresh(deadline())).isTrue();
    assertThat(p.material().allCertificates()).containsExactly(root2.certificate());
  }

  @Test
  void a_vault_unreachable_at_start_trusts_nothing_and_one_unreachable_later_keeps_the_last_good()
      throws Exception {
    fixture.putSecret("signer", PEM, pemChain(leaf, root));
    fixture.stopVault();
    KeyVaultProvider p = provider("signer", "");

    assertThat(p.refresh(deadline())).isFalse();
    assertThat(p.material()).isNull();
    assertThat(p.status().isSuccess()).isFalse();
    assertThat(p.status().error()).contains("cannot reach " + fixture.vaultUri().replaceAll("/$", ""))
        .contains("no certificates are trusted from this provider yet");
    assertThat(p.refreshFailures()).isEqualTo(1);

    fixture.startVault();
    assertThat(p.refresh(deadline())).isTrue();
    assertThat(p.material().allCertificates()).hasSize(2);
    Instant fetched = p.material().fetchedAt();

    fixture.stopVault();
    assertThat(p.refresh(deadline())).isFalse();
    assertThat(p.material().allCertificates()).hasSize(2);
    assertThat(p.status().isSuccess()).isFalse();
    assertThat(p.status().error()).contains("keeping the material fetched at " + fetched);
    assertThat(p.status().lastFetchedTime()).isEqualTo(fetched);
    assertThat(p.refreshFailures()).isEqualTo(2);
  }

  @Test
  void a_missing_role_is_named_and_nothing_secret_is_in_the_message() throws Exception {
    fixture.identity(CLIENT, SUBJECT); // no roles
    fixture.putSecret("signer", PEM, pemChain(leaf, root));
    KeyVaultProvider p = provider("signer", "");
    p.refresh(deadline());
    assertThat(p.status().error())
        .contains("HTTP 403 Forbidden/ForbiddenByRbac")
        .contains("needs the \"Key Vault Secrets User\" role on the vault")
        .contains("--assignee " + CLIENT)
        .doesNotContain("at-")
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void a_token_for_another_audience_gets_the_401_challenge_explained() throws Exception {
    fixture.putSecret("signer", PEM, pemChain(leaf, root));
    KeyVaultProvider p = provider("{\"vaultURI\":\"" + fixture.vaultUri() + "\",\"tenantID\":\""
        + AzureFixture.TENANT + "\",\"clientID\":\"" + CLIENT + "\",\"resource\":\"https://vault.azure.cn\","
        + "\"certificates\":[{\"name\":\"signer\"}]}");
    p.refresh(deadline());
    assertThat(p.status().error()).contains("HTTP 401 Unauthorized")
        .contains("did not accept the token of the workload identity (client id " + CLIENT)
        .contains("https://vault.azure.cn/.default");
  }

  @Test
  void throttling_by_the_vault_is_retried_after_retry_after() throws Exception {
    fixture.putSecret("signer", PEM, pemChain(leaf, root));
    fixture.fail("VAULT/secrets/signer", 429, "1");
    KeyVaultProvider p = provider("signer", "");
    assertThat(p.refresh(deadline())).isTrue();
    assertThat(p.status().isSuccess()).isTrue();
    assertThat(fixture.hits("VAULT GET /secrets/signer")).isEqualTo(2);
  }

  @Test
  void keys_are_read_as_public_keys() throws Exception {
    ECPublicKey pub = (ECPublicKey) leaf.keyPair().getPublic();
    String version = fixture.putKey("cosign", AzureFixture.jwk(pub));
    KeyVaultProvider p = provider("{\"vaultURI\":\"" + fixture.vaultUri() + "\",\"tenantID\":\""
        + AzureFixture.TENANT + "\",\"clientID\":\"" + CLIENT + "\",\"resource\":\"https://vault.azure.net\","
        + "\"keys\":[{\"name\":\"cosign\"}]}");
    p.refresh(deadline());
    assertThat(p.status().error()).isEmpty();
    assertThat(p.material().keys().get(0).key()).isEqualTo(pub);
    assertThat(p.material().keys().get(0).version()).isEqualTo(version);
  }

  @Test
  void json_web_keys_are_checked_before_they_are_trusted() throws Exception {
    ECPublicKey pub = (ECPublicKey) leaf.keyPair().getPublic();
    String good = AzureFixture.jwk(pub);
    assertThat(KeyVaultProvider.publicKey(jwkKey(good))).isEqualTo(pub);
    String x = StrictJson.parseObject(good.getBytes(), 4096, "jwk").get("x").asString();
    // A point off the curve (y changed), a coordinate of the wrong size, a curve that is not
    // the point's, an unknown curve, a symmetric key and a short RSA key.
    String offCurve = good.replaceFirst("\"y\":\"[^\"]+\"", "\"y\":\"" + x + "\"");
    assertThatThrownBy(() -> KeyVaultProvider.publicKey(jwkKey(offCurve)))
        .hasMessageContaining("not on curve P-256");
    assertThatThrownBy(() -> KeyVaultProvider.publicKey(jwkKey(good.replace(x, x.substring(4)))))
        .hasMessageContaining("invalid JSON Web Key (x has 29 bytes, not 32)");
    assertThatThrownBy(() -> KeyVaultProvider.publicKey(jwkKey(good.replace("P-256", "P-384"))))
        .hasMessageContaining("not 48");
    assertThatThrownBy(() -> KeyVaultProvider.publicKey(jwkKey(good.replace("P-256", "P-256K"))))
        .hasMessageContaining("curve \"P-256K\" is not supported");
    assertThatThrownBy(() -> KeyVaultProvider.publicKey(jwkKey("{\"kty\":\"oct\",\"k\":\"AAAA\"}")))
        .hasMessageContaining("key type \"oct\" is not supported");
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    String shortRsa = AzureFixture.jwk(g.generateKeyPair().getPublic());
    assertThatThrownBy(() -> KeyVaultProvider.publicKey(jwkKey(shortRsa)))
        .hasMessageContaining("RSA key of 1024 bits");
    String huge = "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" + "A".repeat(3000) + "\"}";
    assertThatThrownBy(() -> KeyVaultProvider.publicKey(jwkKey(huge)))
        .hasMessageContaining("n is missing or longer than 2048 bytes");
  }

  private static KeyVaultClient.Key jwkKey(String json) throws Exception {
    return new KeyVaultClient.Key("cosign", "v1", StrictJson.parseObject(json.getBytes(), 65536, "jwk"));
  }

  @Test
  void parameters_are_checked_with_ratify_names() throws Exception {
    assertThatThrownBy(() -> provider("{\"tenantID\":\"t\",\"clientID\":\"c\",\"certificates\":[{\"name\":\"x\"}]}"))
        .hasMessageContaining("vaultURI is required");
    assertThatThrownBy(() -> provider("{\"vaultURI\":\"https://v.vault.azure.net/\",\"tenantID\":\"t\",\"clientID\":\"c\"}"))
        .hasMessageContaining("no certificates or keys configured");
    assertThatThrownBy(() -> provider("{\"vaultURI\":\"https://v.vault.azure.net/\",\"tenantID\":\"t\","
        + "\"clientID\":\"c\",\"certificates\":[{\"name\":\"x\"}],\"cert\":1}"))
        .hasMessageContaining("unknown parameter \"cert\"");
    assertThatThrownBy(() -> provider("{\"vaultURI\":\"http://v.vault.azure.net/\",\"tenantID\":\"t\","
        + "\"clientID\":\"c\",\"certificates\":[{\"name\":\"x\"}]}"))
        .hasMessageContaining("vaultURI must be https://");
    KeyVaultProvider.Parameters p = KeyVaultProvider.parameters(StrictJson.parseObject(
        ("{\"vaultURI\":\"https://myakv.vault.azure.cn\",\"tenantID\":\"t\",\"clientID\":\"c\","
            + "\"certificates\":[{\"name\":\"x\"}]}").getBytes(), 4096, "p"));
    assertThat(p.scope()).isEqualTo("https://vault.azure.cn/.default");
    assertThat(p.certificates()).containsExactly(new KeyVaultProvider.Item("x", ""));
  }
}
