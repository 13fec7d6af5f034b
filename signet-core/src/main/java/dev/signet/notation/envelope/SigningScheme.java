package dev.signet.notation.envelope;

/** {@code io.cncf.notary.signingScheme}: how signing time is established. */
public enum SigningScheme {
  /** Signing time is the signer's claim; trust it only through a timestamp countersignature. */
  X509("notary.x509"),
  /** Signing time is asserted by a signing authority (authenticSigningTime). */
  X509_SIGNING_AUTHORITY("notary.x509.signingAuthority");

  private final String value;

  SigningScheme(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The scheme for a header value, or null when unknown. */
  public static SigningScheme fromValue(String value) {
    for (SigningScheme s : values()) {
      if (s.value.equals(value)) {
        return s;
      }
    }
    return null;
  }
}
