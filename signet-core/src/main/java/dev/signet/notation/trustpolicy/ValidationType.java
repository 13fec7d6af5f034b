package dev.signet.notation.trustpolicy;

/** The validations of Notary signature verification (checklist §7.4, §8). */
public enum ValidationType {
  INTEGRITY("integrity"),
  AUTHENTICITY("authenticity"),
  AUTHENTIC_TIMESTAMP("authenticTimestamp"),
  EXPIRY("expiry"),
  REVOCATION("revocation");

  private final String value;

  ValidationType(String value) {
    this.value = value;
  }

  /** The name used in trust policy documents and messages, e.g. {@code authenticTimestamp}. */
  public String value() {
    return value;
  }

  /** The type for its document name (case-sensitive), or null when unknown. */
  static ValidationType fromValue(String value) {
    for (ValidationType t : values()) {
      if (t.value.equals(value)) {
        return t;
      }
    }
    return null;
  }
}
