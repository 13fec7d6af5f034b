package dev.signet.engine;

import dev.signet.cache.CacheBounds;
import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.cosign.CosignVerifier;
import dev.signet.engine.VerificationConfig.CacheType;
import dev.signet.engine.VerificationConfig.CrlSettings;
import dev.signet.engine.VerificationConfig.Runtime;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.oci.ReferrerStore;
import dev.signet.policy.VerificationPolicy;
import dev.signet.verify.Executor;
import dev.signet.verify.NotationReferenceVerifier;
import dev.signet.verify.ReferenceVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the sections of Ratify's {@code config.json} ({@code store}, {@code policy}, {@code
 * verifier}, {@code executor}, {@code crl}, {@code cache}) into a {@link VerificationConfig}. Every
 * section is read even after an error so that one load names every problem; a rejected file closes
 * the stores it opened.
 */
final class ConfigSections {
  private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
  private static final Set<String> TOP_LEVEL =
      Set.of("store", "policy", "verifier", "executor", "crl", "logger", "metricsEnabled", "cache");

  private ConfigSections() {}

  static VerificationConfig parse(byte[] bytes, Path baseDir, Runtime runtime) throws ConfigException {
    ConfigNode root;
    List<String> warnings = new ArrayList<>();
    try {
      root = new ConfigNode(StrictJson.parseObject(bytes, MAX_CONFIG_BYTES, "configuration"), "", warnings);
    } catch (JsonFormatException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    try {
      return parse(root, warnings, baseDir, runtime);
    } catch (ConfigException e) {
      // A misspelt key is often the cause of the error that follows it: say both.
      List<String> unknownKeys = warnings.stream().filter(w -> w.startsWith("unknown key ")).toList();
      if (unknownKeys.isEmpty()) {
        throw e;
      }
      throw new ConfigException(
          e.getMessage() + " (also: " + String.join("; ", unknownKeys) + ")", e);
    }
  }

  private static VerificationConfig parse(
      ConfigNode root, List<String> warnings, Path baseDir, Runtime runtime) throws ConfigException {
    root.allowOnly(TOP_LEVEL);

    Duration timeout = VerificationConfig.DEFAULT_TIMEOUT;
    Duration mutationTimeout = VerificationConfig.DEFAULT_MUTATION_TIMEOUT;
    ConfigNode executorNode = root.object("executor");
    if (executorNode != null) {
      executorNode.allowOnly(Set.of("verificationRequestTimeout", "mutationRequestTimeout"));
      Long ms = executorNode.positiveLong("verificationRequestTimeout");
      if (ms != null) {
        timeout = Duration.ofMillis(ms);
      }
      Long mutationMs = executorNode.positiveLong("mutationRequestTimeout");
      if (mutationMs != null) {
        mutationTimeout = Duration.ofMillis(mutationMs);
      }
    }

    CrlSettings crl = crl(root.object("crl"));
    List<Path> referenced = new ArrayList<>();
    // Every section is read even when an earlier one is wrong, so that one load names every error.
    List<ConfigException> errors = new ArrayList<>();
    ConfigNode cache = root.object("cache");
    CacheType cacheType = section(errors, () -> cacheType(cache));
    CacheBounds cacheBounds = section(errors, () -> CacheBounds.parse(cache));
    List<ReferrerStore> stores =
        section(errors, () -> stores(root.object("store"), baseDir, runtime));
    VerificationPolicy policy =
        section(errors, () -> PolicyProviders.read(root.object("policy"), baseDir, referenced));
    // After an error the file is rejected: make no revocation checker (no CRL cache directory).
    Runtime verifierRuntime =
        errors.isEmpty()
            ? runtime
            : new Runtime(
                runtime.clock(), runtime.timestampVerifier(), unused -> REJECTED_FILE, runtime.stores());
    List<ReferenceVerifier> verifiers =
        section(
            errors,
            () -> verifiers(root.object("verifier"), baseDir, verifierRuntime, crl, referenced));
    if (!errors.isEmpty() && stores != null) {
      // The file is rejected: the stores already opened (HTTP clients) are never used.
      VerificationConfig.closeAll(stores);
    }
    if (errors.size() == 1) {
      throw errors.get(0);
    }
    if (!errors.isEmpty()) {
      ConfigException all =
          new ConfigException(
              String.join("; ", errors.stream().map(Throwable::getMessage).toList()));
      errors.forEach(all::addSuppressed);
      throw all;
    }
    return new VerificationConfig(
        new Executor(stores, verifiers, policy, timeout, runtime.clock()),
        stores,
        timeout,
        mutationTimeout,
        warnings,
        referenced,
        cacheType,
        cacheBounds);
  }

  /** {@code cache: {type: "memory" | "redis"}}; absent means memory. */
  private static CacheType cacheType(ConfigNode section) throws ConfigException {
    if (section == null) {
      return CacheType.MEMORY;
    }
    section.allowOnly(Set.of("type", "maxEntries", "tagTtl", "tagMaxEntries"));
    String type = section.string("type");
    if (type == null || type.equals("memory")) {
      return CacheType.MEMORY;
    }
    if (type.equals("redis")) {
      return CacheType.REDIS;
    }
    throw new ConfigException(
        section.at("type") + " must be \"memory\" or \"redis\", found \"" + type + "\"");
  }

  private interface Section<T> {
    T read() throws ConfigException;
  }

  private static <T> T section(List<ConfigException> errors, Section<T> section) {
    try {
      return section.read();
    } catch (ConfigException e) {
      errors.add(e);
      return null;
    }
  }

  /** Stands in for the revocation checker while a file that is already known bad is read on. */
  private static final RevocationChecker REJECTED_FILE =
      (chain, purpose, signingTime, deadline) -> {
        throw new IllegalStateException("a rejected configuration is never used");
      };

  /** Ratify's {@code crl: {cache: {enabled: bool}}}; absent means the in-memory cache. */
  private static CrlSettings crl(ConfigNode section) throws ConfigException {
    if (section == null) {
      return new CrlSettings(false);
    }
    section.allowOnly(Set.of("cache"));
    ConfigNode cache = section.object("cache");
    if (cache == null) {
      return new CrlSettings(false);
    }
    cache.allowOnly(Set.of("enabled"));
    return new CrlSettings(Boolean.TRUE.equals(cache.bool("enabled")));
  }

  private static List<ReferrerStore> stores(ConfigNode section, Path baseDir, Runtime runtime)
      throws ConfigException {
    if (section == null) {
      throw new ConfigException("store is required: add a store section with at least one plugin");
    }
    section.allowOnly(Set.of("version", "pluginBinDirs", "plugins"));
    List<ReferrerStore> stores = new ArrayList<>();
    try {
      for (ConfigNode plugin : section.objects("plugins")) {
        stores.add(runtime.stores().open(plugin, baseDir, runtime.clock()));
      }
    } catch (ConfigException | RuntimeException e) {
      VerificationConfig.closeAll(stores);
      throw e;
    }
    if (stores.isEmpty()) {
      throw new ConfigException("store.plugins must list at least one store");
    }
    return stores;
  }

  private static List<ReferenceVerifier> verifiers(
      ConfigNode section, Path baseDir, Runtime runtime, CrlSettings crl, List<Path> referenced)
      throws ConfigException {
    if (section == null) {
      throw new ConfigException("verifier is required: add a verifier section with a notation plugin");
    }
    section.allowOnly(Set.of("version", "pluginBinDirs", "plugins"));
    List<ReferenceVerifier> verifiers = new ArrayList<>();
    // Made once the first notation plugin has been validated (an invalid file then creates no
    // CRL cache directory) and shared by every notation plugin.
    RevocationChecker[] revocationChecker = new RevocationChecker[1];
    NotationVerifiers.SharedChecker shared =
        () -> {
          if (revocationChecker[0] == null) {
            revocationChecker[0] = runtime.revocationCheckers().forSettings(crl);
          }
          return revocationChecker[0];
        };
    for (ConfigNode plugin : section.objects("plugins")) {
      String name = plugin.requiredString("name");
      String type = plugin.string("type") != null ? plugin.string("type") : name;
      if (type.equals(CosignVerifier.TYPE)) {
        verifiers.add(CosignVerifiers.verifier(plugin, name, baseDir, runtime.clock(), referenced));
        continue;
      }
      if (ArtifactVerifiers.TYPES.contains(type)) {
        verifiers.add(ArtifactVerifiers.verifier(plugin, name, type, baseDir, runtime.clock(), referenced));
        continue;
      }
      if (!type.equals(NotationReferenceVerifier.TYPE)) {
        throw new ConfigException(
            plugin.at("name")
                + " \""
                + name
                + "\" (type \""
                + type
                + "\") is not a supported verifier; supported: \"notation\", \"cosign\", "
                + String.join(", ", ArtifactVerifiers.TYPES.stream().sorted().map(t -> "\"" + t + "\"").toList()));
      }
      verifiers.add(NotationVerifiers.verifier(plugin, name, baseDir, runtime, shared, referenced));
    }
    if (verifiers.isEmpty()) {
      throw new ConfigException("verifier.plugins must list at least one verifier");
    }
    return verifiers;
  }

  /** Ratify's comma-separated artifact type lists. */
  static Set<String> commaList(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : text.split(",")) {
      if (!t.isBlank()) {
        out.add(t.trim());
      }
    }
    return out;
  }

  /**
   * A path from the file: {@code ~/} at the start means the user's home directory (as in Ratify),
   * and a relative path is relative to the configuration file's directory.
   */
  static Path path(Path baseDir, String configured) {
    String p = configured;
    if (p.equals("~") || p.startsWith("~/")) {
      p = System.getProperty("user.home") + p.substring(1);
    }
    return baseDir.resolve(p).normalize();
  }
}
