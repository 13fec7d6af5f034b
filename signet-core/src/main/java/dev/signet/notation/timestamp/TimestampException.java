package dev.signet.notation.timestamp;

/** A timestamp countersignature could not be verified; the message names the failed step. */
public final class TimestampException extends Exception {
  public TimestampException(String message) {
    super(message);
  }

  public TimestampException(String message, Throwable cause) {
    super(message, cause);
  }
}
