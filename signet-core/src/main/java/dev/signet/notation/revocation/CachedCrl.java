package dev.signet.notation.revocation;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A CRL as fetched from {@code url}: its DER bytes and when it must be replaced.
 *
 * @param url the distribution point URL as written in the certificate (the cache key)
 * @param der the CRL exactly as downloaded
 * @param fetchedAt when it was downloaded
 * @param nextUpdate the CRL's nextUpdate; after it the entry is stale
 */
public record CachedCrl(URI url, byte[] der, Instant fetchedAt, Instant nextUpdate) {
  public CachedCrl {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(der, "der");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    der = der.clone();
  }

  @Override
  public byte[] der() {
    return der.clone();
  }

  /** The size of the DER in bytes (without copying it). */
  public int length() {
    return der.length;
  }

  /** Whether the CRL may still be used at {@code now} (strictly before nextUpdate). */
  public boolean freshAt(Instant now) {
    return now.isBefore(nextUpdate);
  }
}
