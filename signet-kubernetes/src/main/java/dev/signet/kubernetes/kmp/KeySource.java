package dev.signet.kubernetes.kmp;

/**
 * The source of one key management provider resource's certificates and keys, kept while the
 * resource's spec stays the same, so a refreshable type keeps its last good material between
 * fetches.
 */
public interface KeySource {
  /**
   * Fetches the material now. A partial answer (a certificate gone from the vault, or material
   * kept from an earlier fetch because the vault cannot be reached) comes back with {@link
   * KeyMaterial#problem()} saying so.
   *
   * @throws KeyManagementException when there is no material at all, saying why
   */
  KeyMaterial fetch() throws KeyManagementException;

  /** Whether {@code spec.refreshInterval} applies (Ratify's {@code IsRefreshable}). */
  boolean refreshable();

  /** Material that never changes, such as the inline provider's. */
  static KeySource fixed(KeyMaterial material) {
    return new KeySource() {
      @Override
      public KeyMaterial fetch() {
        return material;
      }

      @Override
      public boolean refreshable() {
        return false;
      }
    };
  }
}
