package dev.signet.kubernetes.kmp;

import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.azure.KeyVaultProvider;
import dev.signet.deadline.Deadline;
import dev.signet.json.StrictJson;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Ratify's {@code azurekeyvault} provider type on Signet's Key Vault client: one {@link
 * KeyVaultProvider} per resource, refreshed at each fetch; a refresh that fails keeps the last good
 * material and says so.
 */
final class AzureKeyVault implements ProviderType {
  static final String TYPE = KeyVaultProvider.TYPE;
  private static final Duration BUDGET = Duration.ofSeconds(60);

  private final UnaryOperator<String> env;
  private final CloudHttp http;

  AzureKeyVault(UnaryOperator<String> env, CloudHttp http) {
    this.env = env;
    this.http = http;
  }

  @Override
  public KeySource open(String name, Map<String, Object> parameters) throws KeyManagementException {
    KeyVaultProvider provider;
    try {
      provider =
          KeyVaultProvider.create(
              name,
              StrictJson.MAPPER.valueToTree(parameters == null ? Map.of() : parameters),
              env,
              http);
    } catch (IllegalArgumentException e) {
      throw new KeyManagementException(e.getMessage(), e);
    }
    return new KeySource() {
      @Override
      public KeyMaterial fetch() throws KeyManagementException {
        provider.refresh(Deadline.after(http.clock(), BUDGET));
        return material(provider);
      }

      @Override
      public boolean refreshable() {
        return true;
      }
    };
  }

  private static KeyMaterial material(KeyVaultProvider provider) throws KeyManagementException {
    KeyVaultProvider.Status status = provider.status();
    KeyVaultProvider.Material material = provider.material();
    if (material == null) {
      throw new KeyManagementException(status.error());
    }
    return new KeyMaterial(
        material.allCertificates(),
        material.keys().stream()
            .filter(k -> k.key() != null)
            .map(KeyVaultProvider.KeyVersion::key)
            .toList(),
        status.properties() == null ? Map.of() : status.properties(),
        status.isSuccess() ? "" : status.error());
  }
}
