package dev.signet.notation.envelope;

import java.util.function.Predicate;

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

  /** The header that carries this scheme's signing time. */
  String timeHeader() {
    return this == X509 ? NotaryHeaders.SIGNING_TIME : NotaryHeaders.AUTHENTIC_SIGNING_TIME;
  }

  /**
   * Refuses the other scheme's time header: each scheme carries only its own time (stricter than
   * notation-core-go for COSE, as its JWS parser is).
   *
   * @param present whether the envelope's protected header has a header of this name
   */
  void refuseOtherTime(Predicate<String> present) throws EnvelopeException {
    String other = (this == X509 ? X509_SIGNING_AUTHORITY : X509).timeHeader();
    if (present.test(other)) {
      throw new EnvelopeException(
          "\"" + other + "\" header must not be present for " + value + " signing scheme");
    }
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
