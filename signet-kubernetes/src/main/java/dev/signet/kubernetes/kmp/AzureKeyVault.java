package dev.signet.kubernetes.kmp;

import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.azure.KeyVaultProvider;
import dev.signet.deadline.Deadline;
import dev.signet.json.StrictJson;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Ratify's {@code azurekeyvault} provider type on Signet's Key Vault client: the certificates and
 * keys are fetched when the resource is created or its spec changes.
 */
final class AzureKeyVault implements ProviderType {
  static final String TYPE = KeyVaultProvider.TYPE;
  private static final Duration BUDGET = Duration.ofSeconds(60);

  private final UnaryOperator<String> env;
  private final Clock clock;

  AzureKeyVault(UnaryOperator<String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  @Override
  public KeyMaterial fetch(String name, Map<String, Object> parameters) throws KeyManagementException {
    KeyVaultProvider provider;
    try {
      provider =
          KeyVaultProvider.create(
              name,
              StrictJson.MAPPER.valueToTree(parameters == null ? Map.of() : parameters),
              env,
              CloudHttp.create(null, clock));
    } catch (IllegalArgumentException e) {
      throw new KeyManagementException(e.getMessage(), e);
    }
    provider.refresh(Deadline.after(clock, BUDGET));
    KeyVaultProvider.Status status = provider.status();
    if (!status.isSuccess()) {
      throw new KeyManagementException(status.error());
    }
    KeyVaultProvider.Material material = provider.material();
    return new KeyMaterial(
        material.allCertificates(),
        material.keys().stream()
            .filter(k -> k.key() != null)
            .map(KeyVaultProvider.KeyVersion::key)
            .toList(),
        status.properties() == null ? Map.of() : status.properties());
  }

}
