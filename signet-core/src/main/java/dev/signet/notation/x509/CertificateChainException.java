package dev.signet.notation.x509;

/** A certificate chain breaks a rule of the Notary Project signature specification. */
public final class CertificateChainException extends Exception {
  public CertificateChainException(String message) {
    super(message);
  }
}
