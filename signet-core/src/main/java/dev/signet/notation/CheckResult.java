package dev.signet.notation;

import dev.signet.notation.trustpolicy.ValidationAction;

/**
 * The result of one check: passed when {@code failure} is null. A failure whose action is {@code
 * LOG} is a warning and does not fail verification.
 */
public record CheckResult(Check check, ValidationAction action, String failure) {
  public boolean passed() {
    return failure == null;
  }

  /** True when this result fails verification. */
  public boolean fatal() {
    return failure != null && action == ValidationAction.ENFORCE;
  }
}
