package dev.signet.cbor;

/**
 * Bounds applied while decoding untrusted CBOR.
 *
 * @param maxDepth deepest nesting of arrays, maps and tags (the top-level item is depth 1)
 * @param maxItems total number of data items (every array element, map key and value, tag content)
 */
public record CborLimits(int maxDepth, int maxItems) {
  /** Depth 16, 100 000 items. */
  public static final CborLimits DEFAULT = new CborLimits(16, 100_000);

  public CborLimits {
    if (maxDepth < 1 || maxItems < 1) {
      throw new IllegalArgumentException("CBOR limits must be positive");
    }
  }
}
