package dev.signet.notation.trustpolicy;

/**
 * When the timestamp countersignature of a {@code notary.x509} signature is verified (checklist
 * §7.2, §8 step 6): {@code always} (the default), or {@code afterCertExpiry}, only once some
 * certificate of the signing chain has expired.
 */
public enum VerifyTimestamp {
  ALWAYS("always"),
  AFTER_CERT_EXPIRY("afterCertExpiry");

  private final String value;

  VerifyTimestamp(String value) {
    this.value = value;
  }

  /** The name used in trust policy documents, e.g. {@code afterCertExpiry}. */
  public String value() {
    return value;
  }

  /** The option for its document name (case-sensitive), or null when unknown. */
  static VerifyTimestamp fromValue(String value) {
    for (VerifyTimestamp v : values()) {
      if (v.value.equals(value)) {
        return v;
      }
    }
    return null;
  }
}
