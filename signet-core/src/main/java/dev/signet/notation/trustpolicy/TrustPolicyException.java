package dev.signet.notation.trustpolicy;

/**
 * A trust policy document is malformed or breaks a rule of the Notary Project trust policy
 * specification, or no statement applies to an artifact. The message says which rule failed; where
 * notation has an exact wording, the message contains it.
 */
public final class TrustPolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public TrustPolicyException(String message) {
    super(message);
  }

  public TrustPolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
