package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.engine.VerificationConfig.CrlSettings;
import dev.signet.notation.revocation.DirectoryCrlCache;
import dev.signet.notation.revocation.OnlineRevocationChecker;
import dev.signet.notation.revocation.RevocationChecker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Online OCSP / CRL checkers, one per {@code crl.cache.enabled} setting, shared by every
 * configuration loaded with the same runtime so that the in-memory cache survives reloads. With the
 * cache enabled, CRLs are kept in a directory (created only then).
 */
final class OnlineRevocationCheckers implements VerificationConfig.RevocationCheckers {
  /** Enough for the distribution points of many chains; the oldest fetches are evicted first. */
  private static final int CRL_CACHE_MAX_ENTRIES = 1000;

  private final Clock clock;
  private final Path crlCacheDirectory;
  private final Map<Boolean, RevocationChecker> checkers = new ConcurrentHashMap<>();

  OnlineRevocationCheckers(Clock clock, Path crlCacheDirectory) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.crlCacheDirectory = Objects.requireNonNull(crlCacheDirectory, "crlCacheDirectory");
  }

  @Override
  public RevocationChecker forSettings(CrlSettings crl) throws ConfigException {
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
                + VerificationConfig.CRL_CACHE_DIR_ENV
                + " to a writable directory)",
            e);
      }
    }
    RevocationChecker made = b.build();
    RevocationChecker raced = checkers.putIfAbsent(crl.cacheEnabled(), made);
    return raced != null ? raced : made;
  }
}
