package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.oci.layout.OciLayoutStore;
import dev.signet.oci.registry.RegistryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Opens the store of one entry of the configuration's {@code store.plugins}, picked by its name.
 * The configuration that asked owns the store and closes it.
 */
@FunctionalInterface
public interface StorePlugins {

  /**
   * @param plugin the entry, e.g. {@code {"name": "oras", ...}}
   * @param baseDir the directory relative paths resolve against
   * @throws ConfigException naming the entry and the problem
   */
  ReferrerStore open(ConfigNode plugin, Path baseDir, Clock clock) throws ConfigException;

  /** Ratify's {@code oras} (registries) and {@code ocilayout} (a directory) stores. */
  static StorePlugins standard() {
    return standard(System::getenv);
  }

  /**
   * {@link #standard()} with the variables the registries' cloud identities read ({@code
   * AZURE_FEDERATED_TOKEN_FILE}, {@code AWS_ROLE_ARN}, ...) taken from {@code env}.
   */
  static StorePlugins standard(UnaryOperator<String> env) {
    return (plugin, baseDir, clock) -> {
      String name = plugin.requiredString("name");
      switch (name) {
        case "ocilayout" -> {
          plugin.allowOnly(Set.of("name", "path", "cosignEnabled"));
          Path path = ConfigSections.path(baseDir, plugin.requiredString("path"));
          try {
            return new OciLayoutStore(
                path, OciLayoutStore.Limits.defaults(), Boolean.TRUE.equals(plugin.bool("cosignEnabled")));
          } catch (StoreException e) {
            throw new ConfigException(plugin.at("path") + ": " + e.getMessage(), e);
          }
        }
        case "oras" -> {
          try {
            return RegistryStore.fromConfig(plugin.json(), baseDir, clock, env);
          } catch (IllegalArgumentException | StoreException e) {
            throw new ConfigException(plugin.path() + ": " + e.getMessage(), e);
          }
        }
        default ->
            throw new ConfigException(
                plugin.at("name")
                    + " \""
                    + name
                    + "\" is not a supported store; supported stores are \"oras\" and \"ocilayout\"");
      }
    };
  }
}
