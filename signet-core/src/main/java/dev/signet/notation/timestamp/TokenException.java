package dev.signet.notation.timestamp;

/** A step-local failure; {@link Rfc3161TimestampVerifier} adds the step prefix to its message. */
final class TokenException extends Exception {
  TokenException(String message) {
    super(message);
  }

  TokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
