package dev.signet.notation.revocation;

/** One revocation source (an OCSP responder or a CRL) could not give a usable answer. */
final class RevocationCheckException extends Exception {
  RevocationCheckException(String message) {
    super(message);
  }

  RevocationCheckException(String message, Throwable cause) {
    super(message, cause);
  }
}
