package dev.signet.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.result.VerificationResult;
import java.time.Duration;
import java.util.Optional;

/**
 * An in-process {@link ResultCache}: bounded by entry count (so memory stays bounded whatever the
 * traffic), each entry expiring after the TTL its {@link CachePolicy} gives it.
 */
public final class CaffeineResultCache implements ResultCache {
  /** Default bound: a decision with a few reports is a few KB, so this stays within tens of MB. */
  public static final long DEFAULT_MAX_ENTRIES = 10_000;

  private record Entry(VerificationResult result, Duration ttl) {}

  private final Cache<ResultKey, Entry> cache;
  private final CachePolicy policy;

  /** Default bound and TTLs, on the system ticker. */
  public CaffeineResultCache() {
    this(DEFAULT_MAX_ENTRIES, CachePolicy.defaults(), Ticker.systemTicker());
  }

  /** The configured bound ({@code cache.maxEntries}) and default TTLs, on the system ticker. */
  public static CaffeineResultCache bounded(CacheBounds bounds) {
    return new CaffeineResultCache(bounds.maxEntries(), CachePolicy.defaults(), Ticker.systemTicker());
  }

  /**
   * @param maxEntries the most results kept; the least useful are evicted beyond it
   * @param policy the TTLs
   * @param ticker the time source for expiry (a controllable one in tests)
   */
  public CaffeineResultCache(long maxEntries, CachePolicy policy, Ticker ticker) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
    }
    this.policy = policy;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .ticker(ticker)
            // Maintenance (eviction) on the calling thread: no background work to reason about.
            .executor(Runnable::run)
            .expireAfter(
                new Expiry<ResultKey, Entry>() {
                  @Override
                  public long expireAfterCreate(ResultKey key, Entry value, long currentTime) {
                    return value.ttl().toNanos();
                  }

                  @Override
                  public long expireAfterUpdate(
                      ResultKey key, Entry value, long currentTime, long currentDuration) {
                    return value.ttl().toNanos();
                  }

                  @Override
                  public long expireAfterRead(
                      ResultKey key, Entry value, long currentTime, long currentDuration) {
                    // Reading does not extend the life of a decision.
                    return currentDuration;
                  }
                })
            .build();
  }

  @Override
  public Optional<VerificationResult> get(ResultKey key) {
    Entry e = cache.getIfPresent(key);
    return e == null ? Optional.empty() : Optional.of(e.result());
  }

  @Override
  public void put(ResultKey key, VerificationResult result) {
    Optional<Duration> ttl = policy.ttlFor(result);
    if (ttl.isPresent()) {
      cache.put(key, new Entry(result, ttl.get()));
    }
  }

  /**
   * Remembers a result as {@link #put(ResultKey, VerificationResult)} does, but for at most {@code
   * atMost} (the rest of a shared entry's life).
   */
  public void put(ResultKey key, VerificationResult result, Duration atMost) {
    Optional<Duration> ttl = policy.ttlFor(result);
    if (ttl.isPresent() && atMost.isPositive()) {
      Duration d = ttl.get().compareTo(atMost) < 0 ? ttl.get() : atMost;
      cache.put(key, new Entry(result, d));
    }
  }

  /** The number of entries held (approximate, as Caffeine's). */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
