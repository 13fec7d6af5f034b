package dev.signet.oci.registry;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of a registry client; the Ratify {@code oras} store parameters plus our limits.
 *
 * @param useHttp plain HTTP for every registry (Ratify {@code useHttp})
 * @param plainHttpLoopback plain HTTP for localhost, 127.0.0.0/8 and ::1, as Ratify does; turn off
 *     to use TLS to a loopback registry
 * @param cosignEnabled also look for cosign's {@code sha256-<hex>.sig} tag
 * @param caFile PEM bundle of extra trusted CA certificates, added to the JVM trust store; may be
 *     null
 * @param maxManifestBytes the largest manifest or index accepted
 * @param maxBlobBytes the largest blob (signature envelope) accepted
 * @param maxConcurrentRequests requests in flight per registry host
 * @param maxRetries retries after a 429, a 5xx or a connection error
 * @param requestTimeout the longest one HTTP exchange may take (the deadline may cut it shorter)
 * @param cacheMaxBytes bytes of verified content kept in memory
 */
public record RegistryOptions(
    boolean useHttp,
    boolean plainHttpLoopback,
    boolean cosignEnabled,
    Path caFile,
    int maxManifestBytes,
    int maxBlobBytes,
    int maxConcurrentRequests,
    int maxRetries,
    Duration requestTimeout,
    long cacheMaxBytes) {

  public static final int DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_BLOB_BYTES = 32 * 1024 * 1024;

  public RegistryOptions {
    if (maxManifestBytes <= 0 || maxBlobBytes <= 0) {
      throw new IllegalArgumentException("size limits must be positive");
    }
    if (maxConcurrentRequests <= 0) {
      throw new IllegalArgumentException("maxConcurrentRequests must be positive");
    }
    if (maxRetries < 0 || maxRetries > 20) {
      throw new IllegalArgumentException("maxRetries must be between 0 and 20");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (cacheMaxBytes < 0) {
      throw new IllegalArgumentException("cacheMaxBytes must not be negative");
    }
  }

  public static RegistryOptions defaults() {
    return new RegistryOptions(
        false,
        true,
        false,
        null,
        DEFAULT_MAX_MANIFEST_BYTES,
        DEFAULT_MAX_BLOB_BYTES,
        8,
        4,
        Duration.ofSeconds(30),
        64L * 1024 * 1024);
  }

  /** With plain HTTP to every registry, or not. */
  public RegistryOptions withUseHttp(boolean value) {
    return edit(e -> e.useHttp = value);
  }

  /** With plain HTTP to loopback registries (as Ratify), or TLS to them too. */
  public RegistryOptions withPlainHttpLoopback(boolean value) {
    return edit(e -> e.plainHttpLoopback = value);
  }

  /** Also listing cosign's {@code .sig} tag as a referrer, or not. */
  public RegistryOptions withCosignEnabled(boolean value) {
    return edit(e -> e.cosignEnabled = value);
  }

  /** With extra trusted CA certificates from this PEM bundle (null: the JVM's only). */
  public RegistryOptions withCaFile(Path value) {
    return edit(e -> e.caFile = value);
  }

  /** With these largest manifest and blob sizes, in bytes. */
  public RegistryOptions withLimits(int manifestBytes, int blobBytes) {
    return edit(e -> {
      e.maxManifestBytes = manifestBytes;
      e.maxBlobBytes = blobBytes;
    });
  }

  /** With at most this many requests in flight per registry host. */
  public RegistryOptions withConcurrency(int value) {
    return edit(e -> e.maxConcurrentRequests = value);
  }

  /** With this many retries after a 429, a 5xx or a connection error. */
  public RegistryOptions withRetries(int value) {
    return edit(e -> e.maxRetries = value);
  }

  /** With this longest time for one exchange (the deadline may cut it shorter). */
  public RegistryOptions withRequestTimeout(Duration value) {
    return edit(e -> e.requestTimeout = value);
  }

  /** With this many bytes of verified content kept in memory (0: none). */
  public RegistryOptions withCacheMaxBytes(long value) {
    return edit(e -> e.cacheMaxBytes = value);
  }

  /** These options with what {@code change} sets on a copy of them changed. */
  private RegistryOptions edit(java.util.function.Consumer<Editor> change) {
    Editor e = new Editor(this);
    change.accept(e);
    return e.done();
  }

  /** A copy of some options to change one or two of them (the withers above). */
  private static final class Editor {
    boolean useHttp;
    boolean plainHttpLoopback;
    boolean cosignEnabled;
    Path caFile;
    int maxManifestBytes;
    int maxBlobBytes;
    int maxConcurrentRequests;
    int maxRetries;
    Duration requestTimeout;
    long cacheMaxBytes;

    Editor(RegistryOptions o) {
      useHttp = o.useHttp;
      plainHttpLoopback = o.plainHttpLoopback;
      cosignEnabled = o.cosignEnabled;
      caFile = o.caFile;
      maxManifestBytes = o.maxManifestBytes;
      maxBlobBytes = o.maxBlobBytes;
      maxConcurrentRequests = o.maxConcurrentRequests;
      maxRetries = o.maxRetries;
      requestTimeout = o.requestTimeout;
      cacheMaxBytes = o.cacheMaxBytes;
    }

    RegistryOptions done() {
      return new RegistryOptions(useHttp, plainHttpLoopback, cosignEnabled, caFile,
          maxManifestBytes, maxBlobBytes, maxConcurrentRequests, maxRetries, requestTimeout,
          cacheMaxBytes);
    }
  }
}
