package dev.signet.notation.x509;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The extended key usage rule for timestamping (RFC 3161 §2.3), said once for the TSA chain rules
 * and the timestamp token's signer: the TSA's signing certificate has exactly one purpose,
 * id-kp-timeStamping, in a critical extension.
 */
public enum TimestampingEku {
  /** Exactly id-kp-timeStamping, in a critical extension. */
  VALID,
  /** No extended key usage, or other purposes besides timestamping. */
  NOT_ONLY_TIMESTAMPING,
  /** The right purpose in an extension not marked critical. */
  NOT_CRITICAL;

  /** id-kp-timeStamping. */
  public static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";

  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
  private static final String EXTENDED_KEY_USAGE = "2.5.29.37";

  /**
   * Judges a TSA signing certificate.
   *
   * @throws CertificateParsingException when the extension cannot be decoded
   */
  public static TimestampingEku of(X509Certificate leaf) throws CertificateParsingException {
    List<String> usages = leaf.getExtendedKeyUsage();
    if (usages == null || !usages.equals(List.of(TIME_STAMPING))) {
      return NOT_ONLY_TIMESTAMPING;
    }
    Set<String> critical = leaf.getCriticalExtensionOIDs();
    return critical != null && critical.contains(EXTENDED_KEY_USAGE) ? VALID : NOT_CRITICAL;
  }

  /**
   * Whether a CA certificate above a TSA lets it timestamp, as Go's {@code x509.Verify} with
   * {@code KeyUsages = {timeStamping}}: no extended key usage, any, or timestamping listed.
   *
   * @throws CertificateParsingException when the extension cannot be decoded
   */
  public static boolean allowedByIssuer(X509Certificate ca) throws CertificateParsingException {
    List<String> usages = ca.getExtendedKeyUsage();
    return usages == null
        || usages.contains(TIME_STAMPING)
        || usages.contains(ANY_EXTENDED_KEY_USAGE);
  }
}
