package dev.signet.cache;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import java.time.Duration;

/**
 * The sizes and tag lifetime of a server's in-process caches, from the {@code cache} section of
 * the configuration: {@code maxEntries} (decisions), {@code tagTtl} (milliseconds a tag's digest is
 * reused; 0 turns it off) and {@code tagMaxEntries}. Read when the server starts.
 */
public record CacheBounds(long maxEntries, Duration tagTtl, long tagMaxEntries) {
  public static final CacheBounds DEFAULTS =
      new CacheBounds(
          CaffeineResultCache.DEFAULT_MAX_ENTRIES,
          TagCache.DEFAULT_TTL,
          TagCache.DEFAULT_MAX_ENTRIES);

  /** {@code cache.maxEntries}, {@code cache.tagTtl}, {@code cache.tagMaxEntries}; null is none. */
  public static CacheBounds parse(ConfigNode section) throws ConfigException {
    if (section == null) {
      return DEFAULTS;
    }
    Long maxEntries = section.positiveLong("maxEntries");
    Long tagTtl = section.nonNegativeLong("tagTtl");
    Long tagMaxEntries = section.positiveLong("tagMaxEntries");
    return new CacheBounds(
        maxEntries == null ? DEFAULTS.maxEntries() : maxEntries,
        tagTtl == null ? DEFAULTS.tagTtl() : Duration.ofMillis(tagTtl),
        tagMaxEntries == null ? DEFAULTS.tagMaxEntries() : tagMaxEntries);
  }
}
