package dev.signet.sbom;

/** An SBOM cannot be read: wrong format, malformed, or over a limit. */
public final class SbomFormatException extends Exception {
  public SbomFormatException(String message) {
    super(message);
  }

  public SbomFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
