package dev.signet.oci;

/** A store could not answer: not found, unreachable, denied, or content that fails its checks. */
public class StoreException extends Exception {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether the store says only that it does not know the repository or the subject asked about
   * (so it has nothing to contribute), as opposed to failing to answer. False unless the store can
   * tell.
   */
  public boolean subjectUnknown() {
    return false;
  }
}
