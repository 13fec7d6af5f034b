package dev.signet.notation.trustpolicy;

import java.util.EnumMap;
import java.util.Map;

/**
 * The preset verification levels of a trust policy statement (trust-store-trust-policy.md,
 * "Signature Verification details"; checklist §7.4) and the action each takes per validation.
 */
public enum VerificationLevel {
  STRICT("strict", ValidationAction.ENFORCE, ValidationAction.ENFORCE, ValidationAction.ENFORCE),
  PERMISSIVE("permissive", ValidationAction.ENFORCE, ValidationAction.LOG, ValidationAction.LOG),
  AUDIT("audit", ValidationAction.LOG, ValidationAction.LOG, ValidationAction.LOG),
  SKIP("skip", ValidationAction.SKIP, ValidationAction.SKIP, ValidationAction.SKIP);

  private final String value;
  private final Map<ValidationType, ValidationAction> actions;

  // Integrity is enforced by every level but skip; the other columns of the table follow.
  VerificationLevel(
      String value,
      ValidationAction authenticity,
      ValidationAction authenticTimestampAndExpiry,
      ValidationAction revocation) {
    this.value = value;
    Map<ValidationType, ValidationAction> m = new EnumMap<>(ValidationType.class);
    m.put(
        ValidationType.INTEGRITY,
        authenticity == ValidationAction.SKIP ? ValidationAction.SKIP : ValidationAction.ENFORCE);
    m.put(ValidationType.AUTHENTICITY, authenticity);
    m.put(ValidationType.AUTHENTIC_TIMESTAMP, authenticTimestampAndExpiry);
    m.put(ValidationType.EXPIRY, authenticTimestampAndExpiry);
    m.put(ValidationType.REVOCATION, revocation);
    this.actions = java.util.Collections.unmodifiableMap(m);
  }

  /** The name used in trust policy documents, e.g. {@code strict}. */
  public String value() {
    return value;
  }

  /** The action this level takes for a validation, before any override. */
  public ValidationAction action(ValidationType type) {
    return actions.get(type);
  }

  /** The level for its document name (case-sensitive), or null when unknown. */
  static VerificationLevel fromValue(String value) {
    for (VerificationLevel l : values()) {
      if (l.value.equals(value)) {
        return l;
      }
    }
    return null;
  }
}
