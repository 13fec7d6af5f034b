package dev.signet.oci;

/** A store could not answer: not found, unreachable, denied, or content that fails its checks. */
public class StoreException extends Exception {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
