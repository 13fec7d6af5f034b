package dev.signet.policy;

/** A policy that cannot be used: it does not compile, is too long, or does not yield a bool. */
public final class PolicyException extends Exception {
  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
