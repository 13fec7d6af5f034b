package dev.signet.sarif;

/** A SARIF report cannot be read: malformed, not SARIF 2.1.0, or over a limit. */
public final class SarifFormatException extends Exception {
  public SarifFormatException(String message) {
    super(message);
  }

  public SarifFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
