package dev.signet.cloud;

/**
 * A cloud identity or key service could not answer: what failed, why and what to do. Messages
 * never carry tokens, assertions or secret values.
 */
public class CloudException extends Exception {
  private final int status;

  public CloudException(String message) {
    this(message, 0, null);
  }

  public CloudException(String message, int status) {
    this(message, status, null);
  }

  public CloudException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status that caused this, 0 when none (unreachable, invalid answer). */
  public int status() {
    return status;
  }
}
