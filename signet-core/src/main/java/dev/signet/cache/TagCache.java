package dev.signet.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.reference.Reference;
import java.time.Duration;

/**
 * Tag to digest resolutions remembered for a short time, so that a server asked about the same tag
 * many times a second resolves it once per lifetime instead of once per request.
 *
 * <p>Entries are keyed by the store instance and the reference. Every load of the configuration
 * makes its own stores, so an entry made under one configuration generation is never read under
 * another. Only successful resolutions are remembered (callers {@link #put} nothing else), and
 * references that name a digest are never looked up or kept: they need no resolution.
 *
 * <p>The trade-off: a tag moved to another digest within the lifetime is seen late, by at most the
 * lifetime. A mutation that pins a tag in that window pins the digest that was verified, not the
 * newer one. A lifetime of zero turns the cache off.
 */
public final class TagCache {
  /** Short enough that a pushed tag is seen within a few seconds. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);

  /** A resolution is a few hundred bytes, so this bound stays within a few MB. */
  public static final long DEFAULT_MAX_ENTRIES = 10_000;

  private record Key(ReferrerStore store, Reference tag) {}

  private final Cache<Key, Descriptor> cache;

  /** The configured lifetime and bound ({@code cache.tagTtl}, {@code cache.tagMaxEntries}). */
  public static TagCache bounded(CacheBounds bounds) {
    return new TagCache(bounds.tagTtl(), bounds.tagMaxEntries(), Ticker.systemTicker());
  }

  /** A cache that remembers nothing. */
  public static TagCache off() {
    return new TagCache(Duration.ZERO, 1, Ticker.systemTicker());
  }

  /**
   * @param ttl how long a resolution is used; zero turns the cache off
   * @param maxEntries the most resolutions kept; the least useful are evicted beyond it
   * @param ticker the time source for expiry (a controllable one in tests)
   */
  public TagCache(Duration ttl, long maxEntries, Ticker ticker) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("the tag cache lifetime must not be negative, got " + ttl);
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
    }
    this.cache =
        ttl.isZero()
            ? null
            : Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(ticker)
                // Maintenance (eviction) on the calling thread: no background work.
                .executor(Runnable::run)
                .build();
  }

  /** The descriptor {@code store} resolved {@code tag} to within the lifetime, or null. */
  public Descriptor get(ReferrerStore store, Reference tag) {
    if (cache == null || tag.digest() != null) {
      return null;
    }
    return cache.getIfPresent(new Key(store, tag));
  }

  /** Remembers a successful resolution of {@code tag} by {@code store}. */
  public void put(ReferrerStore store, Reference tag, Descriptor resolved) {
    if (cache != null && tag.digest() == null) {
      cache.put(new Key(store, tag), resolved);
    }
  }

  /** The number of resolutions held (after expired and evicted ones are dropped). */
  public long size() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
