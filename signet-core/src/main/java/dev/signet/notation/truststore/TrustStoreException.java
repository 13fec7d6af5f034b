package dev.signet.notation.truststore;

/** A trust store is missing, empty, or holds something that is not a usable certificate. */
public final class TrustStoreException extends Exception {
  public TrustStoreException(String message) {
    super(message);
  }

  public TrustStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
