package dev.signet.engine;

import dev.signet.cache.CacheBounds;
import dev.signet.config.ConfigException;
import dev.signet.notation.revocation.RevocationChecker;
import dev.signet.notation.timestamp.Rfc3161TimestampVerifier;
import dev.signet.notation.timestamp.TimestampVerifier;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.oci.ReferrerStore;
import dev.signet.verify.Executor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * A loaded Ratify {@code config.json} (store, policy, verifier, executor sections): the {@link
 * Executor} built from it and the stores it opened, which {@link #close()} closes. {@link #load}
 * validates the file with precise messages ({@link ConfigSections} reads the sections); relative
 * paths resolve against the configuration file's directory.
 */
public final class VerificationConfig implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VerificationConfig.class.getName());

  /** Ratify's chart default: validationTimeoutSeconds 5 s minus 100 ms. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(4900);

  /** Ratify's chart default for mutation (tag to digest): 2 s minus 50 ms. */
  public static final Duration DEFAULT_MUTATION_TIMEOUT = Duration.ofMillis(1950);

  /** Overrides where {@code crl.cache.enabled} keeps CRLs. */
  public static final String CRL_CACHE_DIR_ENV = "SIGNET_CRL_CACHE_DIR";

  private final Executor executor;
  private final List<ReferrerStore> stores;
  private final Duration timeout;
  private final Duration mutationTimeout;
  private final List<String> warnings;
  private final List<Path> referencedFiles;
  private final CacheType cacheType;
  private final CacheBounds cacheBounds;
  private final AtomicBoolean closed = new AtomicBoolean();

  VerificationConfig(
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

  static void closeAll(List<ReferrerStore> stores) {
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
      return new Runtime(
          clock,
          new Rfc3161TimestampVerifier(CertificateChains::validateTimestamping),
          new OnlineRevocationCheckers(clock, crlCacheDirectory));
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
    } catch (NoSuchFileException e) {
      throw new ConfigException("the configuration file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read the configuration file " + file + ": " + e.getMessage(), e);
    }
    try {
      return ConfigSections.parse(bytes, file.toAbsolutePath().getParent(), runtime);
    } catch (ConfigException e) {
      throw new ConfigException("invalid configuration " + file + ": " + e.getMessage(), e);
    }
  }
}
