package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.notation.NotationVerifier;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.notation.trustpolicy.TrustPolicyException;
import dev.signet.notation.truststore.NamedTrustStore;
import dev.signet.notation.truststore.StoreType;
import dev.signet.notation.truststore.TrustStore;
import dev.signet.notation.truststore.TrustStoreException;
import dev.signet.verify.NotationReferenceVerifier;
import dev.signet.verify.ReferenceVerifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code notation} verifier's section: artifact types, the trust policy document and the trust
 * stores ({@code verificationCerts} or {@code verificationCertStores}).
 */
final class NotationVerifiers {
  private NotationVerifiers() {}

  /** The revocation checker every notation plugin of one file shares, made when first asked. */
  interface SharedChecker {
    RevocationChecker get() throws ConfigException;
  }

  static ReferenceVerifier verifier(
      ConfigNode plugin,
      String name,
      Path baseDir,
      VerificationConfig.Runtime runtime,
      SharedChecker revocationChecker,
      List<Path> referenced)
      throws ConfigException {
    plugin.allowOnly(
        Set.of(
            "name",
            "type",
            "version",
            "artifactTypes",
            "nestedReferences",
            "source",
            "verificationCerts",
            "verificationCertStores",
            "trustPolicyDoc"));
    Set<String> types = ConfigSections.commaList(plugin.requiredString("artifactTypes"));
    String nested = plugin.string("nestedReferences");
    Set<String> nestedReferences = nested == null ? Set.of() : ConfigSections.commaList(nested);
    ConfigNode policyNode = plugin.object("trustPolicyDoc");
    if (policyNode == null) {
      throw new ConfigException(plugin.at("trustPolicyDoc") + " is required");
    }
    TrustPolicyDocument policy;
    try {
      policy = TrustPolicyDocument.fromJson(policyNode.json());
    } catch (TrustPolicyException e) {
      throw new ConfigException(plugin.at("trustPolicyDoc") + ": " + e.getMessage(), e);
    }
    TrustStore trustStore = trustStore(plugin, baseDir, referenced);
    NotationVerifier verifier =
        new NotationVerifier(
            policy,
            trustStore,
            runtime.timestampVerifier(),
            revocationChecker.get(),
            runtime.clock());
    return new NotationReferenceVerifier(name, types, nestedReferences, verifier);
  }

  private static TrustStore trustStore(ConfigNode plugin, Path baseDir, List<Path> referenced)
      throws ConfigException {
    boolean hasCerts = plugin.has("verificationCerts");
    boolean hasStores = plugin.has("verificationCertStores");
    if (hasCerts && hasStores) {
      throw new ConfigException(
          plugin.path()
              + ": use either verificationCerts or verificationCertStores, not both");
    }
    String key = plugin.at(hasStores ? "verificationCertStores" : "verificationCerts");
    NamedTrustStore store;
    try {
      if (hasStores) {
        Map<StoreType, Map<String, List<Path>>> stores =
            certStores(plugin.object("verificationCertStores"), baseDir);
        stores.values().forEach(named -> named.values().forEach(referenced::addAll));
        store = NamedTrustStore.of(stores);
      } else {
        List<Path> paths = new ArrayList<>();
        for (String p : plugin.strings("verificationCerts")) {
          paths.add(ConfigSections.path(baseDir, p));
        }
        referenced.addAll(paths);
        if (paths.isEmpty()) {
          throw new ConfigException(
              plugin.path()
                  + ": no trusted certificates: set verificationCerts (paths) or verificationCertStores");
        }
        store = NamedTrustStore.fromVerificationCerts(paths);
      }
    } catch (TrustStoreException e) {
      throw new ConfigException(plugin.path() + ": " + e.getMessage(), e);
    }
    for (String missing : store.missingPaths()) {
      plugin.warn(
          key
              + ": "
              + missing
              + "; until it is there, every verification that needs this trust store fails"
              + " with this reason (the configuration is reloaded when it appears)");
    }
    return store;
  }

  /**
   * {@code {"ca": {"NAME": [paths]}, "tsa": {...}, "signingAuthority": {...}}}, or Ratify's legacy
   * {@code {"NAME": [paths]}} which means {@code ca}. Mixing the two forms is an error.
   */
  private static Map<StoreType, Map<String, List<Path>>> certStores(ConfigNode node, Path baseDir)
      throws ConfigException {
    Map<StoreType, Map<String, List<Path>>> out = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    node.json().propertyNames().forEach(keys::add);
    boolean typed = keys.stream().anyMatch(k -> StoreType.fromValue(k) != null);
    boolean legacy = keys.stream().anyMatch(k -> StoreType.fromValue(k) == null);
    if (typed && legacy) {
      throw new ConfigException(
          node.path()
              + " mixes store types ("
              + Arrays.toString(StoreType.values()).toLowerCase(Locale.ROOT)
              + ") with named stores; use {\"ca\": {\"NAME\": [paths]}, \"tsa\": {...}}");
    }
    if (legacy) {
      out.put(StoreType.CA, named(node, baseDir));
      return out;
    }
    for (String key : keys) {
      out.put(StoreType.fromValue(key), named(node.object(key), baseDir));
    }
    return out;
  }

  private static Map<String, List<Path>> named(ConfigNode node, Path baseDir) throws ConfigException {
    Map<String, List<Path>> stores = new LinkedHashMap<>();
    for (String storeName : node.json().propertyNames()) {
      List<Path> paths = new ArrayList<>();
      for (String p : node.strings(storeName)) {
        paths.add(ConfigSections.path(baseDir, p));
      }
      stores.put(storeName, paths);
    }
    return stores;
  }
}
