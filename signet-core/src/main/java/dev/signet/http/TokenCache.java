package dev.signet.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Access tokens by key (for a registry: registry and scope), bounded in number and each dropped at
 * its expiry, so that images from ever more repositories cannot grow it without bound. When full,
 * the least useful token is evicted; it is fetched again when next needed.
 */
public final class TokenCache {
  /** Enough for the repositories a cluster pulls from; each entry is a token of a few KB at most. */
  public static final int DEFAULT_MAX_ENTRIES = 1024;

  private record Entry(String value, Instant expires) {
    @Override
    public String toString() {
      return "Token[<redacted>, expires=" + expires + "]";
    }
  }

  private final Cache<String, Entry> cache;
  private final Clock clock;

  /**
   * @param maxEntries the most tokens kept
   * @param clock decides expiry
   */
  public TokenCache(int maxEntries, Clock clock) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
    }
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .executor(Runnable::run)
            .expireAfter(
                new Expiry<String, Entry>() {
                  @Override
                  public long expireAfterCreate(String key, Entry value, long currentTime) {
                    return untilExpiry(value);
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, Entry value, long currentTime, long currentDuration) {
                    return untilExpiry(value);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, Entry value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  private long untilExpiry(Entry e) {
    Duration left = Duration.between(clock.instant(), e.expires());
    return left.isNegative() ? 0 : left.toNanos();
  }

  /** The token for {@code key}, unless absent or expired by the clock. */
  public Optional<String> get(String key) {
    Entry e = cache.getIfPresent(key);
    if (e == null || !clock.instant().isBefore(e.expires())) {
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  /** Keeps {@code token} for {@code key} until {@code expires}. */
  public void put(String key, String token, Instant expires) {
    cache.put(key, new Entry(token, expires));
  }

  /** Forgets the token for {@code key} (the server rejected it). */
  public void remove(String key) {
    cache.invalidate(key);
  }

  /** How many tokens are held (after evicting what is over the bound). */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
