package dev.signet.oci;

/** A manifest or index is malformed or exceeds a limit. */
public final class ManifestFormatException extends Exception {
  public ManifestFormatException(String message) {
    super(message);
  }

  public ManifestFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
