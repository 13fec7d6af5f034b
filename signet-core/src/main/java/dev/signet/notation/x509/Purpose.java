package dev.signet.notation.x509;

/**
 * What a certificate chain is for: signing artifacts or timestamping (a TSA). Chain rules and
 * revocation checks differ by purpose.
 */
public enum Purpose {
  CODE_SIGNING,
  TIMESTAMPING
}
