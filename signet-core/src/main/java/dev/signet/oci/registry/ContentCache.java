package dev.signet.oci.registry;

import dev.signet.reference.Digest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verified content by digest, least recently used first out, bounded by total bytes. Only bytes
 * that matched their digest are put here, so an entry is valid for any repository that serves the
 * digest. One instance per client; nothing is shared across clients.
 */
final class ContentCache {

  /** Cached bytes with the media type the registry declared for them (null for blobs). */
  record Entry(byte[] bytes, String mediaType) {}

  private final long maxBytes;
  private final LinkedHashMap<Digest, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long totalBytes;

  ContentCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized Entry get(Digest digest) {
    return entries.get(digest);
  }

  synchronized void put(Digest digest, byte[] bytes, String mediaType) {
    if (bytes.length > maxBytes) {
      return;
    }
    Entry previous = entries.put(digest, new Entry(bytes, mediaType));
    if (previous != null) {
      totalBytes -= previous.bytes().length;
    }
    totalBytes += bytes.length;
    Iterator<Map.Entry<Digest, Entry>> eldest = entries.entrySet().iterator();
    while (totalBytes > maxBytes && eldest.hasNext()) {
      Map.Entry<Digest, Entry> e = eldest.next();
      totalBytes -= e.getValue().bytes().length;
      eldest.remove();
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
