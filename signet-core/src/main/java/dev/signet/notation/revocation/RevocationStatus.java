package dev.signet.notation.revocation;

/** The revocation status of one certificate. */
public enum RevocationStatus {
  /** Checked and not revoked. */
  GOOD,
  /** Carries no OCSP or CRL location (or is the chain's root): cannot be checked, counts as good. */
  NON_REVOKABLE,
  REVOKED,
  /** Could not be determined (responder down, expired data, deadline, ...). */
  UNKNOWN
}
