package dev.signet.notation.trustpolicy;

/**
 * What a failed validation does: {@code enforce} fails verification, {@code log} records the
 * failure and continues, {@code skip} does not run the validation (checklist §7.4).
 */
public enum ValidationAction {
  ENFORCE("enforce"),
  LOG("log"),
  SKIP("skip");

  private final String value;

  ValidationAction(String value) {
    this.value = value;
  }

  /** The name used in trust policy documents and messages, e.g. {@code log}. */
  public String value() {
    return value;
  }

  /** The action for its document name (case-sensitive), or null when unknown. */
  static ValidationAction fromValue(String value) {
    for (ValidationAction a : values()) {
      if (a.value.equals(value)) {
        return a;
      }
    }
    return null;
  }
}
