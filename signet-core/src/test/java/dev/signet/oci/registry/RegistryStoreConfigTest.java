package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.StrictJson;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RegistryStoreConfigTest {
  static JsonNode json(String s) {
    return StrictJson.MAPPER.readTree(s);
  }

  @Test
  void readsRatifyOrasParametersAndOurs() {
    RegistryOptions o = RegistryStore.options(json("{\"name\":\"oras\",\"useHttp\":true,\"cosignEnabled\":true,"
        + "\"localCachePath\":\"/tmp/x\",\"cacheEnabled\":true,\"ttl\":10,"
        + "\"caFile\":\"certs/ca.pem\",\"maxManifestBytes\":1000,\"maxBlobBytes\":2000,\"maxRetries\":0,"
        + "\"plainHttpLoopback\":false,\"maxConcurrentRequests\":3}"), Path.of("/etc/signet"));
    assertThat(o.useHttp()).isTrue();
    assertThat(o.cosignEnabled()).isTrue();
    assertThat(o.caFile()).isEqualTo(Path.of("/etc/signet/certs/ca.pem"));
    assertThat(o.maxManifestBytes()).isEqualTo(1000);
    assertThat(o.maxBlobBytes()).isEqualTo(2000);
    assertThat(o.maxRetries()).isZero();
    assertThat(o.plainHttpLoopback()).isFalse();
    assertThat(o.maxConcurrentRequests()).isEqualTo(3);
    RegistryOptions d = RegistryStore.options(json("{\"name\":\"oras\"}"), Path.of("."));
    assertThat(d).isEqualTo(RegistryOptions.defaults());
  }

  @Test
  void wrongTypesAndUnknownKeysAreClearErrors() {
    assertThatThrownBy(() -> RegistryStore.options(json("{\"name\":\"oras\",\"useHttp\":\"yes\"}"), Path.of(".")))
        .hasMessage("store \"oras\": useHttp must be true or false, found string");
    assertThatThrownBy(() -> RegistryStore.options(json("{\"name\":\"oras\",\"maxBlobBytes\":1.5}"), Path.of(".")))
        .hasMessageContaining("maxBlobBytes must be an integer");
    assertThatThrownBy(() -> RegistryStore.options(json("{\"name\":\"oras\",\"maxBlobBytes\":0}"), Path.of(".")))
        .hasMessageContaining("must be between 1 and");
    assertThatThrownBy(() -> RegistryStore.options(json("{\"name\":\"oras\",\"usehttp\":true}"), Path.of(".")))
        .hasMessageContaining("unknown parameter \"usehttp\"");
    assertThatThrownBy(() -> RegistryStore.options(json("{\"name\":\"oci\"}"), Path.of(".")))
        .hasMessageContaining("name \"oras\"");
    assertThatThrownBy(() -> RegistryStore.options(json("[]"), Path.of(".")))
        .hasMessageContaining("must be a JSON object");
  }

  @Test
  void authProviders() {
    Clock clock = Clock.systemUTC();
    assertThat(RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":\"c.json\"}}"),
        Path.of("/x"), clock)).isInstanceOf(DockerConfigCredentials.class);
    assertThatThrownBy(() -> RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"alibabacloudAcrBasic\"}}"), Path.of("."), clock))
        .hasMessageContaining("authProvider \"alibabacloudAcrBasic\" is not supported")
        .hasMessageContaining("azureWorkloadIdentity, azureManagedIdentity, awsEcrBasic, k8Secrets");
    java.util.Map<String, String> env = new java.util.HashMap<>();
    assertThatThrownBy(() -> RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"k8Secrets\"}}"), Path.of("."), clock, env::get))
        .hasMessageContaining("KUBERNETES_SERVICE_HOST is not set");
    assertThatThrownBy(() -> RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"azureWorkloadIdentity\",\"clientID\":\"c\"}}"), Path.of("."), clock, env::get))
        .hasMessageContaining("authProvider azureWorkloadIdentity: workload identity: no tenant id");
    assertThatThrownBy(() -> RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"azureWorkloadIdentity\",\"clientId\":\"c\"}}"), Path.of("."), clock, env::get))
        .hasMessageContaining("unknown authProvider parameter \"clientId\"");
    assertThatThrownBy(() -> RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"awsEcrBasic\"}}"), Path.of("."), clock, env::get))
        .hasMessageContaining("AWS_ROLE_ARN is not set");
    env.put("AZURE_CLIENT_ID", "c");
    env.put("AZURE_TENANT_ID", "t");
    env.put("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token");
    assertThat(RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"azureWorkloadIdentity\"}}"), Path.of("."), clock, env::get).describe())
        .contains("client id c, tenant t");
    assertThat(RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"azureManagedIdentity\",\"clientID\":\"m\"}}"), Path.of("."), clock, env::get).describe())
        .contains("managed identity (client id m");
    assertThatThrownBy(() -> RegistryStore.credentials(json("{\"authProvider\":\"dockerConfig\"}"), Path.of("."), clock))
        .hasMessageContaining("authProvider must be an object");
    assertThatThrownBy(() -> RegistryStore.credentials(json("{\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":5}}"), Path.of("."), clock))
        .hasMessageContaining("configPath must be a string");
  }
}
