package dev.signet.cosign;

/**
 * A cosign or Sigstore signature that does not verify, or material that cannot be read; the message
 * says what failed and the remediation what a user can do.
 */
public final class CosignException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String remediation;

  public CosignException(String message, String remediation) {
    super(message);
    this.remediation = remediation;
  }

  public String remediation() {
    return remediation;
  }
}
