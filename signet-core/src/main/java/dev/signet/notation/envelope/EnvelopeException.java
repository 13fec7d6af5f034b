package dev.signet.notation.envelope;

/**
 * A signature envelope could not be parsed or its signature does not verify (the integrity
 * check). The message says what is wrong in words a user can act on.
 */
public final class EnvelopeException extends Exception {
  public EnvelopeException(String message) {
    super(message);
  }

  public EnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
