package dev.signet.kubernetes.kmp;

import dev.signet.cloud.CloudHttp;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The key management provider types this process supports, by their {@code spec.type} name. */
public final class ProviderTypes {
  private final Map<String, ProviderType> types;

  public ProviderTypes(Map<String, ProviderType> types) {
    this.types = Map.copyOf(types);
  }

  /**
   * The types built in: {@code inline}, and {@code azurekeyvault} with the pod's workload identity
   * ({@code AZURE_FEDERATED_TOKEN_FILE} and the other variables the Azure webhook sets).
   */
  public static ProviderTypes standard(java.time.Clock clock) {
    return standard(System::getenv, CloudHttp.create(null, clock));
  }

  /**
   * The types built in, with the workload identity's variables from {@code env} and the vault
   * reached through {@code http} (whose trust anchors and clock apply).
   */
  public static ProviderTypes standard(UnaryOperator<String> env, CloudHttp http) {
    return new ProviderTypes(
        Map.of(
            InlineProvider.TYPE, new InlineProvider(),
            AzureKeyVault.TYPE, new AzureKeyVault(env, http)));
  }

  /** This set plus one more type (for example a cloud key vault), replacing one of the same name. */
  public ProviderTypes with(String name, ProviderType type) {
    Map<String, ProviderType> more = new TreeMap<>(types);
    more.put(name.toLowerCase(Locale.ROOT), type);
    return new ProviderTypes(more);
  }

  public Optional<ProviderType> find(String name) {
    return Optional.ofNullable(name == null ? null : types.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The supported names, sorted, for error messages. */
  public String names() {
    return String.join(", ", new TreeMap<>(types).keySet());
  }
}
