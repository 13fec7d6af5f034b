package dev.signet.notation.revocation;

import java.time.Instant;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The invalidity date of a revocation (RFC 5280 §5.3.2), in a CRL entry or an OCSP single
 * response, and the Notary rule for it: a certificate revoked with an invalidity date after the
 * signing time was still valid when it signed, so that revocation does not count.
 */
final class InvalidityDate {
  private InvalidityDate() {}

  /**
   * The date the extension holds, or null when there is none.
   *
   * @param where what holds it, for the message ({@code CRL entry}, {@code OCSP response})
   */
  static Instant of(Extension ext, String where) throws RevocationCheckException {
    if (ext == null) {
      return null;
    }
    try {
      return ASN1GeneralizedTime.getInstance(ext.getParsedValue()).getDate().toInstant();
    } catch (java.text.ParseException | RuntimeException e) {
      throw new RevocationCheckException("malformed invalidity date in " + where);
    }
  }

  /** True when both are known and the signature was made before the certificate became invalid. */
  static boolean signedBefore(Instant signingTime, Instant invalidity) {
    return signingTime != null && invalidity != null && signingTime.isBefore(invalidity);
  }
}
