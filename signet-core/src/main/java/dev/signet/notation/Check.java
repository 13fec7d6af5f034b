package dev.signet.notation;

import dev.signet.notation.trustpolicy.ValidationType;

/**
 * The checks of Notary signature verification, as reports name them. Trusted identity is reported
 * on its own although the trust policy controls it through {@code authenticity}.
 */
public enum Check {
  INTEGRITY(
      "integrity",
      ValidationType.INTEGRITY,
      "The signature envelope is malformed or was altered after signing: re-sign the artifact with"
          + " notation and push the new signature."),
  AUTHENTICITY(
      "authenticity",
      ValidationType.AUTHENTICITY,
      "Add the signer's root (or the signing certificate itself) to a trust store named by the trust"
          + " policy, or check that the image was signed by the expected key."),
  TRUSTED_IDENTITY(
      "trustedIdentity",
      ValidationType.AUTHENTICITY,
      "Add the signing certificate's subject to trustedIdentities of the trust policy statement, or"
          + " check that the image was signed by the expected identity."),
  EXPIRY(
      "expiry",
      ValidationType.EXPIRY,
      "The signature has expired: re-sign the artifact, or set the trust policy's expiry check to"
          + " \"log\" if expired signatures are acceptable."),
  AUTHENTIC_TIMESTAMP(
      "authenticTimestamp",
      ValidationType.AUTHENTIC_TIMESTAMP,
      "The signing certificate is not valid at the time of signing: sign with a valid certificate and"
          + " an RFC 3161 timestamp, and list the timestamp authority's root in a tsa: trust store."),
  REVOCATION(
      "revocation",
      ValidationType.REVOCATION,
      "A certificate of the signature is revoked or its status could not be determined: re-sign with"
          + " a valid certificate, or check that the OCSP / CRL endpoints are reachable.");

  private final String reportName;
  private final ValidationType validationType;
  private final String remediation;

  Check(String reportName, ValidationType validationType, String remediation) {
    this.reportName = reportName;
    this.validationType = validationType;
    this.remediation = remediation;
  }

  /** The name used in reports and messages. */
  public String reportName() {
    return reportName;
  }

  /** The trust policy validation whose action governs this check. */
  public ValidationType validationType() {
    return validationType;
  }

  /** What a user can do when this check fails. */
  public String remediation() {
    return remediation;
  }
}
