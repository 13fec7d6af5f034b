package dev.signet.cloud;

import dev.signet.http.Scrubber;

/**
 * A cloud identity or key service could not answer: what failed, why and what to do. Messages
 * never carry tokens, assertions or secret values.
 */
public class CloudException extends Exception {
  /** Whatever is shaped like a credential (a JWT, a bearer value, token=...) is removed. */
  private static final Scrubber SCRUBBER = Scrubber.shapesOnly();

  private final int status;

  public CloudException(String message) {
    this(message, 0, null);
  }

  public CloudException(String message, int status) {
    this(message, status, null);
  }

  public CloudException(String message, int status, Throwable cause) {
    super(SCRUBBER.scrub(message), cause);
    this.status = status;
  }

  /** The HTTP status that caused this, 0 when none (unreachable, invalid answer). */
  public int status() {
    return status;
  }
}
