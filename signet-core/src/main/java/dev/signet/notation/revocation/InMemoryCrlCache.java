package dev.signet.notation.revocation;

import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded in-memory {@link CrlCache}: least recently used entries are dropped once either the
 * entry count or the total DER size passes its limit. Thread-safe.
 */
public final class InMemoryCrlCache implements CrlCache {
  /** Default limits: 256 CRLs, 256 MiB of DER in total. */
  public static final int DEFAULT_MAX_ENTRIES = 256;

  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  private final int maxEntries;
  private final long maxBytes;
  private final LinkedHashMap<URI, CachedCrl> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  public InMemoryCrlCache() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES);
  }

  public InMemoryCrlCache(int maxEntries, long maxBytes) {
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("cache limits must be positive");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  @Override
  public synchronized Optional<CachedCrl> get(URI url) {
    return Optional.ofNullable(entries.get(url));
  }

  @Override
  public synchronized void put(CachedCrl crl) {
    long size = crl.length();
    if (size > maxBytes) {
      return;
    }
    CachedCrl old = entries.put(crl.url(), crl);
    if (old != null) {
      bytes -= old.length();
    }
    bytes += size;
    Iterator<Map.Entry<URI, CachedCrl>> it = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
      Map.Entry<URI, CachedCrl> eldest = it.next();
      if (eldest.getKey().equals(crl.url())) {
        continue;
      }
      bytes -= eldest.getValue().length();
      it.remove();
    }
  }

  @Override
  public synchronized void remove(URI url) {
    CachedCrl old = entries.remove(url);
    if (old != null) {
      bytes -= old.length();
    }
  }

  /** The number of cached CRLs. */
  public synchronized int size() {
    return entries.size();
  }
}
