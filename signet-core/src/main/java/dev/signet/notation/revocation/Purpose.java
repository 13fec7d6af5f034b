package dev.signet.notation.revocation;

/** Which chain is checked: the signing chain or a timestamping (TSA) chain. */
public enum Purpose {
  CODE_SIGNING,
  TIMESTAMPING
}
