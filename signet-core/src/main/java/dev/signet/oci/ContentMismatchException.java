package dev.signet.oci;

/** Fetched content does not match the digest or size of its descriptor; it is never used. */
public final class ContentMismatchException extends Exception {
  public ContentMismatchException(String message) {
    super(message);
  }
}
