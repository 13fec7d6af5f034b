package dev.signet.server;

/** A request the server answers with an HTTP error status and a message, not with a decision. */
public final class RejectedRequestException extends Exception {
  private final int status;

  public RejectedRequestException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an HTTP error status: " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
