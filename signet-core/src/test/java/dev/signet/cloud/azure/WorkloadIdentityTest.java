package dev.signet.cloud.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.cloud.CloudException;
import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entra ID tokens from a federated service account token and from the metadata endpoint. */
class WorkloadIdentityTest {
  static final String CLIENT = "11111111-2222-3333-4444-555555555555";
  static final String SUBJECT = "system:serviceaccount:gatekeeper-system:ratify-admin";
  static final String SCOPE = "https://vault.azure.net/.default";

  @TempDir Path dir;
  AzureFixture fixture;
  Path tokenFile;
  CloudHttp http;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    fixture = new AzureFixture(dir);
    fixture.identity(CLIENT, SUBJECT);
    tokenFile = dir.resolve("azure-identity-token");
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofHours(1))));
    http = CloudHttp.create(fixture.clientSsl(), Clock.systemUTC());
    env.put("AZURE_CLIENT_ID", CLIENT);
    env.put("AZURE_TENANT_ID", AzureFixture.TENANT);
    env.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
    env.put("AZURE_AUTHORITY_HOST", fixture.authorityHost());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(20));
  }

  private WorkloadIdentity identity() {
    return WorkloadIdentity.fromEnvironment(env::get, null, null, http);
  }

  private int tokenRequests() {
    return fixture.hits("POST /" + AzureFixture.TENANT + "/oauth2/v2.0/token");
  }

  @Test
  void the_variables_the_webhook_injects_give_a_token_cached_per_scope() throws Exception {
    EntraTokens tokens = new EntraTokens(identity(), Clock.systemUTC());
    AccessToken first = tokens.get(SCOPE, deadline());
    AccessToken again = tokens.get(SCOPE, deadline());
    AccessToken acr = tokens.get("https://containerregistry.azure.net/.default", deadline());

    assertThat(again.value()).isEqualTo(first.value());
    assertThat(acr.value()).isNotEqualTo(first.value());
    assertThat(tokenRequests()).isEqualTo(2);
    assertThat(first.toString()).doesNotContain(first.value());
    assertThat(fixture.requestLog().get(0))
        .contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")
        .contains("client_id=" + CLIENT)
        .contains("grant_type=client_credentials");
  }

  @Test
  void a_token_close_to_expiry_is_renewed() throws Exception {
    fixture.tokenLifetime(Duration.ofSeconds(2));
    EntraTokens tokens = new EntraTokens(identity(), Clock.systemUTC());
    AccessToken first = tokens.get(SCOPE, deadline());
    Thread.sleep(1200); // past half of the 2 s lifetime
    AccessToken second = tokens.get(SCOPE, deadline());
    assertThat(second.value()).isNotEqualTo(first.value());
    assertThat(tokenRequests()).isEqualTo(2);
  }

  @Test
  void concurrent_callers_share_one_request_per_scope() throws Exception {
    EntraTokens tokens = new EntraTokens(identity(), Clock.systemUTC());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<AccessToken>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(pool.submit(() -> tokens.get(SCOPE, deadline())));
      }
      String value = all.get(0).get().value();
      for (Future<AccessToken> f : all) {
        assertThat(f.get().value()).isEqualTo(value);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(tokenRequests()).isEqualTo(1);
  }

  @Test
  void the_token_file_is_read_again_at_each_request_so_a_rotated_file_works() throws Exception {
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().minus(Duration.ofMinutes(1))));
    WorkloadIdentity identity = identity();

    assertThatThrownBy(() -> identity.fetch(SCOPE, deadline()))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining("AADSTS700024")
        .hasMessageContaining("service account token in " + tokenFile + " has expired")
        .hasMessageContaining(CLIENT)
        .hasMessageContaining(AzureFixture.TENANT);

    // The kubelet writes a fresh token into the same file.
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofHours(1))));
    assertThat(identity.fetch(SCOPE, deadline()).value()).startsWith("at-");
  }

  @Test
  void a_token_no_federated_credential_matches_names_issuer_and_subject() throws Exception {
    String other = "system:serviceaccount:default:default";
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AzureFixture.ISSUER, other, Instant.now().plus(Duration.ofHours(1))));
    String assertion = Files.readString(tokenFile);
    assertThatThrownBy(() -> identity().fetch(SCOPE, deadline()))
        .hasMessageContaining("AADSTS70021")
        .hasMessageContaining("no federated credential of client " + CLIENT)
        .hasMessageContaining("issuer " + AzureFixture.ISSUER + ", subject " + other)
        .message()
        .doesNotContain(assertion);
  }

  @Test
  void an_assertion_the_token_endpoint_echoes_never_reaches_the_error() throws Exception {
    fixture.echoAssertionsInErrors();
    String jwt = Files.readString(tokenFile);
    assertThatThrownBy(() -> identity().fetch(SCOPE, deadline()))
        .hasMessageContaining("AADSTS50027")
        .hasMessageContaining("Presented: " + dev.signet.http.Scrubber.REDACTED)
        .message()
        .doesNotContain(jwt)
        .doesNotContain(jwt.substring(0, 40));
    // A token file that is not shaped like a JWT is removed by its value, before the cut.
    String opaque = "opaque-" + "k".repeat(400);
    Files.writeString(tokenFile, opaque);
    assertThatThrownBy(() -> identity().fetch(SCOPE, deadline()))
        .hasMessageContaining("Presented: " + dev.signet.http.Scrubber.REDACTED)
        .message()
        .doesNotContain("kkkkkkkk");
  }

  @Test
  void a_wrong_client_id_or_tenant_says_which() {
    env.put("AZURE_CLIENT_ID", "99999999-0000-0000-0000-000000000000");
    assertThatThrownBy(() -> identity().fetch(SCOPE, deadline()))
        .hasMessageContaining("AADSTS700016")
        .hasMessageContaining("no application or managed identity with client id 99999999");
    env.put("AZURE_CLIENT_ID", CLIENT);
    env.put("AZURE_TENANT_ID", AzureFixture.OTHER_TENANT);
    assertThatThrownBy(() -> identity().fetch(SCOPE, deadline()))
        .hasMessageContaining("tenant " + AzureFixture.OTHER_TENANT + " does not exist");
  }

  @Test
  void missing_variables_name_the_variable_and_the_webhook_labels() {
    env.remove("AZURE_FEDERATED_TOKEN_FILE");
    assertThatThrownBy(this::identity)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AZURE_FEDERATED_TOKEN_FILE is not set")
        .hasMessageContaining("azure.workload.identity/use");
    env.put("AZURE_FEDERATED_TOKEN_FILE", dir.resolve("missing").toString());
    assertThatThrownBy(() -> identity().fetch(SCOPE, deadline()))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining("cannot read the token file " + dir.resolve("missing"));
    env.put("AZURE_AUTHORITY_HOST", "http://login.example/");
    assertThatThrownBy(this::identity).hasMessageContaining("must be an https:// URL");
  }

  @Test
  void throttling_is_retried_after_what_retry_after_asks() throws Exception {
    fixture.fail("/" + AzureFixture.TENANT + "/oauth2/v2.0/token", 429, "1");
    AccessToken token = identity().fetch(SCOPE, deadline());
    assertThat(token.value()).startsWith("at-");
    assertThat(tokenRequests()).isEqualTo(2);
  }

  @Test
  void a_retry_after_beyond_the_deadline_ends_the_call_with_the_answer() {
    fixture.fail("/" + AzureFixture.TENANT + "/oauth2/v2.0/token", 503, "120");
    assertThatThrownBy(() -> identity().fetch(SCOPE, deadline()))
        .isInstanceOf(CloudException.class)
        .hasMessageContaining("HTTP 503")
        .satisfies(e -> assertThat(((CloudException) e).status()).isEqualTo(503));
    assertThat(tokenRequests()).isEqualTo(1);
  }

  @Test
  void managed_identity_asks_the_metadata_endpoint_for_its_client_id() throws Exception {
    ManagedIdentity mi = new ManagedIdentity(fixture.imds(), CLIENT, http);
    AccessToken token = mi.fetch("https://containerregistry.azure.net/.default", deadline());
    assertThat(token.value()).startsWith("at-");
    assertThat(token.expiresOn()).isAfter(Instant.now().plus(Duration.ofMinutes(30)));
    assertThat(fixture.requestLog().get(0))
        .contains("api-version=2018-02-01")
        .contains("resource=https%3A%2F%2Fcontainerregistry.azure.net")
        .contains("client_id=" + CLIENT);

    ManagedIdentity unknown = new ManagedIdentity(fixture.imds(), "00000000-1111-0000-0000-000000000000", http);
    assertThatThrownBy(() -> unknown.fetch(SCOPE, deadline()))
        .hasMessageContaining("Identity not found")
        .hasMessageContaining("is the managed identity with client id 00000000-1111");
  }
}
