package dev.signet.notation.revocation;

import java.net.URI;
import java.util.Optional;

/**
 * Stores downloaded CRLs by distribution point URL. Implementations may return entries past their
 * nextUpdate; the checker uses only fresh ones (stale ones only when stale-if-error was enabled).
 * The checker validates every entry it takes from the cache against the issuer, and removes an
 * entry that does not validate, so a cache never makes a bad CRL acceptable.
 */
public interface CrlCache {
  Optional<CachedCrl> get(URI url);

  void put(CachedCrl crl);

  void remove(URI url);
}
