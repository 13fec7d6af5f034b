package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.cosign.CosignVerifier;
import dev.signet.notation.NotationVerifier;
import dev.signet.cache.CacheBounds;
import dev.signet.notation.revocation.DirectoryCrlCache;
import dev.signet.notation.revocation.OnlineRevocationChecker;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.notation.timestamp.Rfc3161TimestampVerifier;
import dev.signet.notation.timestamp.TimestampVerifier;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.notation.trustpolicy.TrustPolicyException;
import dev.signet.notation.truststore.NamedTrustStore;
import dev.signet.notation.truststore.StoreType;
import dev.signet.notation.truststore.TrustStore;
import dev.signet.notation.truststore.TrustStoreException;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.oci.ReferrerStore;
import dev.signet.policy.CelPolicy;
import dev.signet.policy.PolicyException;
import dev.signet.policy.VerificationPolicy;
import dev.signet.policy.ConfigPolicy;
import dev.signet.verify.Executor;
import dev.signet.verify.NotationReferenceVerifier;
import dev.signet.verify.ReferenceVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Ratify's {@code config.json} (store, policy, verifier, executor sections), validated at load with
 * precise messages and turned into an {@link Executor}. Relative paths resolve against the
 * configuration file's directory.
 */
public final class VerificationConfig implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VerificationConfig.class.getName());

  /** Ratify's chart default: validationTimeoutSeconds 5 s minus 100 ms. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(4900);

  /** Overrides where {@code crl.cache.enabled} keeps CRLs. */
  public static final String CRL_CACHE_DIR_ENV = "SIGNET_CRL_CACHE_DIR";

  private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
  /** Enough for the distribution points of many chains; the oldest fetches are evicted first. */
  private static final int CRL_CACHE_MAX_ENTRIES = 1000;
  private static final Set<String> TOP_LEVEL =
      Set.of("store", "policy", "verifier", "executor", "crl", "logger", "metricsEnabled", "cache");

  /** Ratify's chart default for mutation (tag to digest): 2 s minus 50 ms. */
  public static final Duration DEFAULT_MUTATION_TIMEOUT = Duration.ofMillis(1950);

  private final Executor executor;
  private final List<ReferrerStore> stores;
  private final Duration timeout;
  private final Duration mutationTimeout;
  private final List<String> warnings;
  private final List<Path> referencedFiles;
  private final CacheType cacheType;
  private final CacheBounds cacheBounds;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VerificationConfig(
      Executor executor,
      List<ReferrerStore> stores,
      Duration timeout,
      Duration mutationTimeout,
      List<String> warnings,
      List<Path> referencedFiles,
      CacheType cacheType,
      CacheBounds cacheBounds) {
    this.executor = executor;
    this.stores = List.copyOf(stores);
    this.timeout = timeout;
    this.mutationTimeout = mutationTimeout;
    this.warnings = List.copyOf(warnings);
    this.referencedFiles = List.copyOf(new LinkedHashSet<>(referencedFiles));
    this.cacheType = cacheType;
    this.cacheBounds = cacheBounds;
  }

  /** Where a server keeps its decisions: {@code cache.type} in the file. */
  public enum CacheType {
    /** In this process only (the default). */
    MEMORY,
    /** Shared by the replicas through Redis, with the in-process cache in front. */
    REDIS
  }

  /** {@code cache.type}: where a server keeps its decisions; read when the server starts. */
  public CacheType cacheType() {
    return cacheType;
  }

  /** The sizes and tag lifetime of a server's in-process caches ({@code cache} section). */
  public CacheBounds cacheBounds() {
    return cacheBounds;
  }

  /** {@code executor.mutationRequestTimeout}: the budget of one tag-to-digest mutation request. */
  public Duration mutationTimeout() {
    return mutationTimeout;
  }

  public Executor executor() {
    return executor;
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * The configured stores, in configuration order (the ones the executor reads from), for tools
   * that browse a store without verifying ({@code resolve}, {@code discover}, ...) and for the
   * mutation provider, which resolves tags with them.
   */
  public List<ReferrerStore> stores() {
    return stores;
  }

  /**
   * Closes the stores this configuration opened (their HTTP clients), once; the executor must not
   * be used after that. The owner ({@link ConfigReloader}, a command) calls it when no decision
   * uses the configuration any more.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeAll(stores);
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  private static void closeAll(List<ReferrerStore> stores) {
    for (ReferrerStore store : stores) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "closing a store failed: " + e);
      }
    }
  }

  /** Keys that were ignored, and other things a user should know about the configuration. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * The trust material the configuration reads besides itself, as absolute paths: the files and
   * directories of {@code verificationCerts} / {@code verificationCertStores}, a CEL policy's
   * {@code expressionFile} and the schema files of {@code schemavalidator}. A change to any of them calls for a reload ({@link ConfigReloader}).
   */
  public List<Path> referencedFiles() {
    return referencedFiles;
  }

  /**
   * The implementations behind the verifier: the parts that do not come from the file. The
   * revocation checker is asked for with the file's {@code crl} section when a file is loaded.
   */
  public record Runtime(
      Clock clock,
      TimestampVerifier timestampVerifier,
      RevocationCheckers revocationCheckers,
      StorePlugins stores) {

    /** A runtime with the {@linkplain StorePlugins#standard() standard stores}. */
    public Runtime(
        Clock clock, TimestampVerifier timestampVerifier, RevocationCheckers revocationCheckers) {
      this(clock, timestampVerifier, revocationCheckers, StorePlugins.standard());
    }

    /** This runtime, opening the configuration's stores with {@code stores}. */
    public Runtime withStores(StorePlugins stores) {
      return new Runtime(clock, timestampVerifier, revocationCheckers, stores);
    }

    /** A runtime whose revocation checker does not depend on the {@code crl} section. */
    public Runtime(Clock clock, TimestampVerifier timestampVerifier, RevocationChecker checker) {
      this(clock, timestampVerifier, crl -> checker);
    }

    /**
     * RFC 3161 timestamps with the Notary TSA chain rules, and online OCSP / CRL checks; with
     * {@code crl.cache.enabled} the CRLs are kept in {@link #defaultCrlCacheDirectory()}.
     */
    public static Runtime standard(Clock clock) {
      return standard(clock, defaultCrlCacheDirectory());
    }

    /**
     * {@link #standard(Clock)} with the CRL cache in {@code crlCacheDirectory} when {@code
     * crl.cache.enabled} is true (the directory is only created then). One checker is made per
     * cache setting and shared by every configuration loaded with this runtime, so the in-memory
     * cache survives reloads.
     */
    public static Runtime standard(Clock clock, Path crlCacheDirectory) {
      Objects.requireNonNull(crlCacheDirectory, "crlCacheDirectory");
      Map<Boolean, RevocationChecker> checkers = new ConcurrentHashMap<>();
      RevocationCheckers factory =
          crl -> {
            RevocationChecker existing = checkers.get(crl.cacheEnabled());
            if (existing != null) {
              return existing;
            }
            OnlineRevocationChecker.Builder b = OnlineRevocationChecker.builder().clock(clock);
            if (crl.cacheEnabled()) {
              try {
                b.crlCache(new DirectoryCrlCache(crlCacheDirectory, CRL_CACHE_MAX_ENTRIES));
              } catch (IOException e) {
                throw new ConfigException(
                    "crl.cache.enabled: cannot use the CRL cache directory "
                        + crlCacheDirectory
                        + ": "
                        + e.getMessage()
                        + " (set "
                        + CRL_CACHE_DIR_ENV
                        + " to a writable directory)",
                    e);
              }
            }
            RevocationChecker made = b.build();
            RevocationChecker raced = checkers.putIfAbsent(crl.cacheEnabled(), made);
            return raced != null ? raced : made;
          };
      return new Runtime(
          clock, new Rfc3161TimestampVerifier(CertificateChains::validateTimestamping), factory);
    }

    /**
     * {@code $SIGNET_CRL_CACHE_DIR} when set and not blank, else {@code
     * ${user.home}/.signet/crl-cache}.
     */
    public static Path defaultCrlCacheDirectory() {
      return crlCacheDirectory(System::getenv, System.getProperty("user.home"));
    }

    static Path crlCacheDirectory(UnaryOperator<String> env, String userHome) {
      String dir = env.apply(CRL_CACHE_DIR_ENV);
      if (dir != null && !dir.isBlank()) {
        return Path.of(dir);
      }
      return Path.of(userHome, ".signet", "crl-cache");
    }
  }

  /** The {@code crl} section of the file. */
  public record CrlSettings(boolean cacheEnabled) {}

  /** Makes the revocation checker for a configuration's {@code crl} section. */
  @FunctionalInterface
  public interface RevocationCheckers {
    RevocationChecker forSettings(CrlSettings crl) throws ConfigException;
  }

  /**
   * Reads and validates a configuration file.
   *
   * @throws ConfigException naming the file, the key and the problem
   */
  public static VerificationConfig load(Path file, Runtime runtime) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException("the configuration file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read the configuration file " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(
          bytes, file.toAbsolutePath().getParent(), runtime);
    } catch (ConfigException e) {
      throw new ConfigException("invalid configuration " + file + ": " + e.getMessage(), e);
    }
  }

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

    Duration timeout = DEFAULT_TIMEOUT;
    Duration mutationTimeout = DEFAULT_MUTATION_TIMEOUT;
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
    List<ReferrerStore> stores =
        section(errors, () -> stores(root.object("store"), baseDir, runtime));
    VerificationPolicy policy =
        section(errors, () -> policy(root.object("policy"), baseDir, referenced));
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
      closeAll(stores);
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
        cacheType(root.object("cache")),
        CacheBounds.parse(root.object("cache")));
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
      closeAll(stores);
      throw e;
    }
    if (stores.isEmpty()) {
      throw new ConfigException("store.plugins must list at least one store");
    }
    return stores;
  }

  private static VerificationPolicy policy(ConfigNode section, Path baseDir, List<Path> referenced)
      throws ConfigException {
    if (section == null) {
      throw new ConfigException(
          "policy is required: add {\"policy\": {\"plugin\": {\"name\": \"configPolicy\", ...}}}");
    }
    section.allowOnly(Set.of("version", "plugin"));
    ConfigNode plugin = section.object("plugin");
    if (plugin == null) {
      throw new ConfigException("policy.plugin is required");
    }
    // Ratify lower-cases provider names and drops dashes: config-policy, configPolicy, configpolicy.
    String name = plugin.requiredString("name").toLowerCase(Locale.ROOT).replace("-", "");
    if (name.equals("celpolicy")) {
      return celPolicy(plugin, baseDir, referenced);
    }
    if (!name.equals("configpolicy")) {
      throw new ConfigException(
          plugin.at("name")
              + " \""
              + plugin.string("name")
              + "\" is not a supported policy provider; use \"configPolicy\" or \"celPolicy\""
              + " (Rego policies are not supported; docs/policies.md shows how to write one in CEL)");
    }
    plugin.allowOnly(Set.of("name", "artifactVerificationPolicies"));
    Map<String, ConfigPolicy.Rule> rules = new LinkedHashMap<>();
    ConfigNode policies = plugin.object("artifactVerificationPolicies");
    if (policies != null) {
      for (String type : policies.json().propertyNames()) {
        String value = policies.string(type);
        ConfigPolicy.Rule rule = ConfigPolicy.rule(value);
        if (rule == null) {
          throw new ConfigException(
              policies.at(type) + " must be \"any\" or \"all\", found \"" + value + "\"");
        }
        rules.put(type, rule);
      }
    }
    return new ConfigPolicy(rules);
  }

  /** {@code {"name": "celPolicy", "expression": "<CEL>"}} or {@code "expressionFile": PATH}. */
  private static CelPolicy celPolicy(ConfigNode plugin, Path baseDir, List<Path> referenced)
      throws ConfigException {
    plugin.allowOnly(Set.of("name", "expression", "expressionFile"));
    String inline = plugin.string("expression");
    String fileName = plugin.string("expressionFile");
    if ((inline == null) == (fileName == null)) {
      throw new ConfigException(
          plugin.path() + ": give the CEL policy as either expression or expressionFile");
    }
    String key = inline != null ? plugin.at("expression") : plugin.at("expressionFile");
    String expression = inline;
    if (fileName != null) {
      Path file = path(baseDir, fileName);
      referenced.add(file);
      expression = policyFile(key, file);
    }
    try {
      return CelPolicy.compile(expression);
    } catch (PolicyException e) {
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
  }

  private static String policyFile(String key, Path file) throws ConfigException {
    try {
      if (Files.size(file) > CelPolicy.MAX_EXPRESSION_CHARS * 4L) {
        throw new ConfigException(
            key + ": " + file + " is larger than a CEL policy may be ("
                + CelPolicy.MAX_EXPRESSION_CHARS + " characters)");
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException(key + ": " + file + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage(), e);
    }
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
    SharedChecker shared =
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
      verifiers.add(notation(plugin, name, baseDir, runtime, shared, referenced));
    }
    if (verifiers.isEmpty()) {
      throw new ConfigException("verifier.plugins must list at least one verifier");
    }
    return verifiers;
  }

  private static ReferenceVerifier notation(
      ConfigNode plugin,
      String name,
      Path baseDir,
      Runtime runtime,
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
    Set<String> types = commaList(plugin.requiredString("artifactTypes"));
    String nested = plugin.string("nestedReferences");
    Set<String> nestedReferences = nested == null ? Set.of() : commaList(nested);
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

  private interface SharedChecker {
    RevocationChecker get() throws ConfigException;
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
          paths.add(path(baseDir, p));
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
        paths.add(path(baseDir, p));
      }
      stores.put(storeName, paths);
    }
    return stores;
  }
}
