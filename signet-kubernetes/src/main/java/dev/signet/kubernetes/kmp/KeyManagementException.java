package dev.signet.kubernetes.kmp;

/** Why a key management provider's certificates or keys could not be had; shown in its status. */
public final class KeyManagementException extends Exception {
  private static final long serialVersionUID = 1L;

  public KeyManagementException(String message) {
    super(message);
  }

  public KeyManagementException(String message, Throwable cause) {
    super(message, cause);
  }
}
