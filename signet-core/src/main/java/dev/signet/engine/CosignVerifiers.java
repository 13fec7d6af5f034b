package dev.signet.engine;

import dev.signet.cloud.CloudHttp;
import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.cosign.CosignException;
import dev.signet.cosign.CosignTrustPolicy;
import dev.signet.cosign.CosignVerifier;
import dev.signet.cosign.KeylessIdentity;
import dev.signet.cosign.PublicKeys;
import dev.signet.cosign.RekorSearch;
import dev.signet.cosign.TrustedRoot;
import dev.signet.verify.ReferenceVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code cosign} verifier's section, with Ratify v1.4's parameters: {@code trustPolicies}
 * (name, scopes, keys or keyless, tLogVerify, rekorURL), or the legacy form ({@code key},
 * {@code rekorURL}); plus {@code trustedRoot}, the Sigstore {@code trusted_root.json} that
 * transparency log and keyless checks verify against (Signet reads it from a file, never online).
 */
final class CosignVerifiers {
  private static final Set<String> POLICY_KEYS =
      Set.of("name", "scopes", "keys", "keyless", "tLogVerify", "rekorURL");
  private static final Set<String> KEYLESS_KEYS =
      Set.of("certificateIdentity", "certificateIdentityRegExp", "certificateOIDCIssuer",
          "certificateOIDCIssuerRegExp", "ctLogVerify");

  private CosignVerifiers() {}

  /**
   * @param referenced collects the files read (keys, trusted root), so a change to one reloads
   */
  static ReferenceVerifier verifier(
      ConfigNode plugin, String name, Path baseDir, Clock clock, List<Path> referenced)
      throws ConfigException {
    ArtifactVerifiers.allowOnly(plugin, "trustPolicies", "key", "rekorURL", "trustedRoot");
    Set<String> types = ConfigSections.commaList(plugin.requiredString("artifactTypes"));
    List<CosignTrustPolicy> policies = new ArrayList<>();
    if (plugin.has("trustPolicies")) {
      if (plugin.has("key")) {
        throw new ConfigException(plugin.at("key") + " is the legacy form; with trustPolicies,"
            + " give keys inside each trust policy");
      }
      Set<String> names = new HashSet<>();
      Set<String> scopes = new HashSet<>();
      for (ConfigNode p : plugin.objects("trustPolicies")) {
        CosignTrustPolicy policy = policy(p, baseDir, referenced, clock);
        if (!names.add(policy.name())) {
          throw new ConfigException(p.at("name") + ": trust policy \"" + policy.name()
              + "\" is defined twice");
        }
        for (String s : policy.scopes()) {
          if (!scopes.add(s)) {
            throw new ConfigException(p.at("scopes") + ": scope \"" + s
                + "\" is in two trust policies; each scope may be in one only");
          }
        }
        policies.add(policy);
      }
    } else {
      policies.add(legacy(plugin, baseDir, referenced, clock));
    }
    TrustedRoot root = null;
    String rootPath = plugin.string("trustedRoot");
    if (rootPath != null) {
      Path file = baseDir.resolve(rootPath).normalize();
      referenced.add(file);
      try {
        root = TrustedRoot.read(file);
      } catch (CosignException e) {
        throw new ConfigException(plugin.at("trustedRoot") + ": " + e.getMessage());
      }
    }
    return new CosignVerifier(name, types, ArtifactVerifiers.nestedReferences(plugin), policies,
        root, clock);
  }

  /** Ratify's legacy form: a key file (keyed) or nothing (any Fulcio identity, keyless). */
  private static CosignTrustPolicy legacy(
      ConfigNode plugin, Path baseDir, List<Path> referenced, Clock clock)
      throws ConfigException {
    String key = plugin.string("key");
    RekorSearch rekor = rekor(plugin, clock);
    if (key != null) {
      return new CosignTrustPolicy("default", List.of("*"),
          List.of(fileKey(plugin.at("key"), baseDir.resolve(key).normalize(), referenced)), null,
          rekor != null, rekor);
    }
    return new CosignTrustPolicy("default", List.of("*"), List.of(),
        new KeylessIdentity(null, Pattern.compile(".*"), null, Pattern.compile(".*"), true), true,
        rekor);
  }

  /** The online log lookup {@code rekorURL} asks for; null without it. */
  private static RekorSearch rekor(ConfigNode node, Clock clock) throws ConfigException {
    String url = node.string("rekorURL");
    if (url == null) {
      return null;
    }
    try {
      return new RekorSearch(new URI(url), CloudHttp.create(null, clock));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ConfigException(node.at("rekorURL") + ": \"" + url + "\" is not an http or https"
          + " URL");
    }
  }

  private static CosignTrustPolicy policy(
      ConfigNode p, Path baseDir, List<Path> referenced, Clock clock) throws ConfigException {
    p.allowOnly(POLICY_KEYS);
    String name = p.requiredString("name");
    List<String> scopes = p.strings("scopes");
    if (scopes.isEmpty()) {
      throw new ConfigException(p.at("scopes") + " must list at least one scope (\"*\" for all)");
    }
    for (String s : scopes) {
      if (s.isEmpty() || s.indexOf('*') >= 0 && s.indexOf('*') != s.length() - 1) {
        throw new ConfigException(p.at("scopes") + ": \"" + s + "\" is not a scope; use \"*\", a"
            + " repository, or a prefix ending in \"*\"");
      }
    }
    List<CosignTrustPolicy.TrustedKey> keys = new ArrayList<>();
    for (ConfigNode k : p.objects("keys")) {
      keys.add(key(k, baseDir, referenced));
    }
    KeylessIdentity keyless = null;
    if (p.has("keyless")) {
      keyless = keyless(p.object("keyless"));
    }
    if (keys.isEmpty() == (keyless == null)) {
      throw new ConfigException(p.path() + ": trust policy \"" + name + "\" must have either keys"
          + " or keyless, not " + (keys.isEmpty() ? "neither" : "both"));
    }
    Boolean tlog = p.bool("tLogVerify");
    return new CosignTrustPolicy(name, scopes, keys, keyless, tlog == null || tlog,
        rekor(p, clock));
  }

  private static CosignTrustPolicy.TrustedKey key(
      ConfigNode k, Path baseDir, List<Path> referenced) throws ConfigException {
    k.allowOnly(Set.of("file", "provider", "name", "version", "pem"));
    if (k.has("file")) {
      return fileKey(k.at("file"), baseDir.resolve(k.requiredString("file")).normalize(),
          referenced);
    }
    if (k.has("pem")) {
      String label = k.string("provider") != null ? "provider " + k.string("provider") : "inline";
      try {
        return new CosignTrustPolicy.TrustedKey(label, PublicKeys.parsePem(k.requiredString("pem")));
      } catch (GeneralSecurityException e) {
        throw new ConfigException(k.at("pem") + ": " + e.getMessage());
      }
    }
    if (k.has("provider")) {
      throw new ConfigException(k.at("provider") + ": key \"" + k.string("provider")
          + "\" names a KeyManagementProvider, which only exists in the Kubernetes mode; in"
          + " config.json give the key as \"file\" or inline as \"pem\"");
    }
    throw new ConfigException(k.path() + ": a key needs \"file\", \"pem\" or \"provider\"");
  }

  private static CosignTrustPolicy.TrustedKey fileKey(String at, Path file, List<Path> referenced)
      throws ConfigException {
    referenced.add(file);
    try {
      return new CosignTrustPolicy.TrustedKey("file " + file, PublicKeys.read(file));
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(at + ": cannot read the public key " + file + ": "
          + e.getMessage());
    }
  }

  private static KeylessIdentity keyless(ConfigNode k) throws ConfigException {
    k.allowOnly(KEYLESS_KEYS);
    String identity = k.string("certificateIdentity");
    Pattern identityPattern = pattern(k, "certificateIdentityRegExp");
    String issuer = k.string("certificateOIDCIssuer");
    Pattern issuerPattern = pattern(k, "certificateOIDCIssuerRegExp");
    if ((identity == null) == (identityPattern == null)) {
      throw new ConfigException(k.path() + ": give exactly one of certificateIdentity and"
          + " certificateIdentityRegExp");
    }
    if ((issuer == null) == (issuerPattern == null)) {
      throw new ConfigException(k.path() + ": give exactly one of certificateOIDCIssuer and"
          + " certificateOIDCIssuerRegExp");
    }
    Boolean ct = k.bool("ctLogVerify");
    return new KeylessIdentity(identity, identityPattern, issuer, issuerPattern,
        ct == null || ct);
  }

  private static Pattern pattern(ConfigNode k, String key) throws ConfigException {
    String text = k.string(key);
    if (text == null) {
      return null;
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(k.at(key) + ": not a regular expression: " + e.getDescription());
    }
  }
}
