package dev.signet.oci.registry;

// Ratify's ORAS referrer store (store plugin "oras": useHttp, cosignEnabled, authProvider) on our
// own registry client; see docs/ratify-reference.md sections 1.3 and 1.6.

import dev.signet.cloud.CloudHttp;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * Reads subjects and referrers from OCI registries. Configured like Ratify's {@code oras} store:
 *
 * <pre>{@code
 * {"name": "oras", "useHttp": false, "cosignEnabled": false,
 *  "authProvider": {"name": "dockerConfig", "configPath": "/home/me/.docker/config.json"},
 *  "caFile": "ca.pem", "plainHttpLoopback": true,
 *  "maxManifestBytes": 4194304, "maxBlobBytes": 33554432,
 *  "maxConcurrentRequests": 8, "maxRetries": 4, "requestTimeoutSeconds": 30, "cacheMaxBytes": 67108864}
 * }</pre>
 *
 * Ratify's {@code localCachePath}, {@code cacheEnabled} and {@code ttl} are accepted and ignored
 * (the content cache here is in memory and always on).
 */
public final class RegistryStore implements ReferrerStore {
  private static final int MAX_TREE_NODES = 1000;
  private static final Set<String> KNOWN_KEYS = Set.of(
      "name", "version", "source", "useHttp", "cosignEnabled", "authProvider", "localCachePath",
      "cacheEnabled", "ttl", "caFile", "plainHttpLoopback", "maxManifestBytes", "maxBlobBytes",
      "maxConcurrentRequests", "maxRetries", "requestTimeoutSeconds", "cacheMaxBytes");

  private final RegistryClient client;

  RegistryStore(RegistryClient client) {
    this.client = client;
  }

  public static RegistryStore create(
      RegistryOptions options, CredentialProvider credentials, Clock clock) throws StoreException {
    return new RegistryStore(RegistryClient.create(options, credentials, clock));
  }

  /**
   * A store from the store plugin entry of a configuration ({@code {"name": "oras", ...}}).
   * Relative paths ({@code caFile}, {@code authProvider.configPath}) are resolved against {@code
   * baseDir}.
   *
   * @throws IllegalArgumentException when a parameter is unknown or has the wrong type or value
   * @throws StoreException when the CA bundle cannot be read, or the Docker config file is there but
   *     is not a JSON object
   */
  public static RegistryStore fromConfig(JsonNode config, Path baseDir, Clock clock)
      throws StoreException {
    return fromConfig(config, baseDir, clock, System::getenv);
  }

  /**
   * {@link #fromConfig(JsonNode, Path, Clock)} with the cloud identities' variables from {@code
   * env}. The store's {@code caFile} is trusted by the identity endpoints too (ACR's token
   * exchange is the registry itself), besides the JVM's anchors.
   */
  public static RegistryStore fromConfig(
      JsonNode config, Path baseDir, Clock clock, UnaryOperator<String> env) throws StoreException {
    RegistryOptions options = options(config, baseDir);
    SSLContext cloudTls = options.caFile() == null ? null : TrustMaterial.sslContext(options.caFile());
    CredentialProvider credentials = credentials(config, baseDir, clock, env, cloudTls);
    if (credentials instanceof DockerConfigCredentials docker) {
      docker.check();
    }
    return create(options, credentials, clock);
  }

  static RegistryOptions options(JsonNode config, Path baseDir) {
    if (config == null || !config.isObject()) {
      throw new IllegalArgumentException("store: the store configuration must be a JSON object");
    }
    String name = text(config, "name");
    if (name != null && !name.equals("oras")) {
      throw new IllegalArgumentException(
          "store: a registry store has name \"oras\", found \"" + name + "\"");
    }
    for (Map.Entry<String, JsonNode> e : config.properties()) {
      if (!KNOWN_KEYS.contains(e.getKey())) {
        throw new IllegalArgumentException("store \"oras\": unknown parameter \"" + e.getKey()
            + "\" (known: " + String.join(", ", KNOWN_KEYS.stream().sorted().toList()) + ")");
      }
    }
    RegistryOptions o = RegistryOptions.defaults();
    o = o.withUseHttp(bool(config, "useHttp", o.useHttp()));
    o = o.withCosignEnabled(bool(config, "cosignEnabled", o.cosignEnabled()));
    o = o.withPlainHttpLoopback(bool(config, "plainHttpLoopback", o.plainHttpLoopback()));
    String ca = text(config, "caFile");
    if (ca != null) {
      if (ca.isBlank()) {
        throw new IllegalArgumentException("store \"oras\": caFile must not be empty");
      }
      o = o.withCaFile(baseDir.resolve(ca));
    }
    o = o.withLimits(
        (int) integer(config, "maxManifestBytes", o.maxManifestBytes(), 1, 64L * 1024 * 1024),
        (int) integer(config, "maxBlobBytes", o.maxBlobBytes(), 1, 1024L * 1024 * 1024));
    o = o.withConcurrency((int) integer(config, "maxConcurrentRequests", o.maxConcurrentRequests(), 1, 256));
    o = o.withRetries((int) integer(config, "maxRetries", o.maxRetries(), 0, 20));
    o = o.withRequestTimeout(Duration.ofSeconds(
        integer(config, "requestTimeoutSeconds", o.requestTimeout().toSeconds(), 1, 3600)));
    o = o.withCacheMaxBytes(integer(config, "cacheMaxBytes", o.cacheMaxBytes(), 0, 4L * 1024 * 1024 * 1024));
    return o;
  }

  static CredentialProvider credentials(JsonNode config, Path baseDir, Clock clock) {
    return credentials(config, baseDir, clock, System::getenv);
  }

  static CredentialProvider credentials(
      JsonNode config, Path baseDir, Clock clock, UnaryOperator<String> env) {
    return credentials(config, baseDir, clock, env, null);
  }

  /** {@code cloudTls}: the trust of the cloud identity endpoints; null for the JVM's. */
  private static CredentialProvider credentials(
      JsonNode config, Path baseDir, Clock clock, UnaryOperator<String> env, SSLContext cloudTls) {
    JsonNode auth = config.get("authProvider");
    if (auth == null || auth.isNull()) {
      return DockerConfigCredentials.fromEnvironment(clock);
    }
    if (!auth.isObject()) {
      throw new IllegalArgumentException(
          "store \"oras\": authProvider must be an object like {\"name\": \"dockerConfig\"}, found "
              + kind(auth));
    }
    String name = text(auth, "name");
    if (name == null) {
      throw new IllegalArgumentException("store \"oras\": authProvider.name is missing");
    }
    return switch (name) {
      case "dockerConfig" -> dockerConfig(auth, baseDir, clock);
      case "azureWorkloadIdentity", "azureManagedIdentity" ->
          AuthProviders.azure(name, auth, env, CloudHttp.create(cloudTls, clock));
      case "awsEcrBasic" -> AuthProviders.awsEcr(auth, env, CloudHttp.create(cloudTls, clock));
      case "k8Secrets" -> AuthProviders.k8Secrets(
          auth, InClusterSecrets.fromEnvironment(env, InClusterSecrets.SERVICE_ACCOUNT, clock), clock);
      default -> throw new IllegalArgumentException("store \"oras\": authProvider \"" + name
          + "\" is not supported (supported: dockerConfig, azureWorkloadIdentity,"
          + " azureManagedIdentity, awsEcrBasic, k8Secrets)");
    };
  }

  private static CredentialProvider dockerConfig(JsonNode auth, Path baseDir, Clock clock) {
    for (Map.Entry<String, JsonNode> e : auth.properties()) {
      if (!e.getKey().equals("name") && !e.getKey().equals("configPath")) {
        throw new IllegalArgumentException(
            "store \"oras\": unknown authProvider parameter \"" + e.getKey() + "\"");
      }
    }
    String path = text(auth, "configPath");
    if (path == null) {
      return DockerConfigCredentials.fromEnvironment(clock);
    }
    if (path.isBlank()) {
      throw new IllegalArgumentException("store \"oras\": authProvider.configPath must not be empty");
    }
    return DockerConfigCredentials.of(baseDir.resolve(path), clock);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new IllegalArgumentException(
          "store \"oras\": " + field + " must be a string, found " + kind(v));
    }
    return v.asString();
  }

  private static boolean bool(JsonNode node, String field, boolean fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(
          "store \"oras\": " + field + " must be true or false, found " + kind(v));
    }
    return v.asBoolean();
  }

  private static long integer(JsonNode node, String field, long fallback, long min, long max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(
          "store \"oras\": " + field + " must be an integer, found " + kind(v));
    }
    long value = v.asLong();
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "store \"oras\": " + field + " must be between " + min + " and " + max + ", found " + value);
    }
    return value;
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  // ---------------------------------------------------------------- ReferrerStore

  @Override
  public Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return scrubbing(() -> client.resolve(reference, deadline));
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return scrubbing(() -> client.referrers(repository, subject, artifactType, deadline));
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return scrubbing(() -> client.fetchManifest(repository, descriptor, deadline));
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return scrubbing(() -> client.fetchBlob(repository, descriptor, deadline));
  }

  /**
   * The referrer tree of a subject (for {@code discover}): its referrers, their referrers, and so
   * on to {@code maxDepth} levels (at most 1000 nodes).
   */
  public List<ReferrerNode> referrerTree(
      Reference repository, Descriptor subject, int maxDepth, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return scrubbing(() -> tree(repository, subject, maxDepth, deadline, new AtomicInteger()));
  }

  /** A call to the registry whose errors leave this store scrubbed. */
  @FunctionalInterface
  private interface RegistryCall<T> {
    T call() throws StoreException, DeadlineExceededException;
  }

  private <T> T scrubbing(RegistryCall<T> call) throws StoreException, DeadlineExceededException {
    try {
      return call.call();
    } catch (StoreException e) {
      throw scrubbed(e);
    }
  }

  /**
   * The error as reports, logs and deny messages may show it: without the credentials this store
   * sent or anything shaped like one, since registries echo requests in their errors. The cause is
   * dropped for the same reason (its text is the unscrubbed one).
   */
  private StoreException scrubbed(StoreException e) {
    String message = client.scrub(e.getMessage());
    if (e instanceof RegistryException r) {
      return new RegistryException(message, r.status(), r.errorCode());
    }
    return new StoreException(message);
  }

  private List<ReferrerNode> tree(
      Reference repository, Descriptor subject, int depthLeft, Deadline deadline, AtomicInteger count)
      throws StoreException, DeadlineExceededException {
    if (depthLeft <= 0) {
      return List.of();
    }
    List<ReferrerNode> out = new ArrayList<>();
    for (Descriptor d : client.referrers(repository, subject, null, deadline)) {
      if (count.incrementAndGet() > MAX_TREE_NODES) {
        throw new StoreException("the referrer tree of " + subject.digest() + " has more than "
            + MAX_TREE_NODES + " nodes");
      }
      out.add(new ReferrerNode(d, tree(repository, d, depthLeft - 1, deadline, count)));
    }
    return out;
  }

  /** HTTP exchanges this store has sent (token requests, redirects and retries included). */
  /** The identity the store's auth provider presents (empty when nothing worth naming). */
  public String identity() {
    return client.identity();
  }

  public long requestCount() {
    return client.requestCount();
  }

  RegistryClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String describe() {
    return "oras";
  }
}
