package dev.signet.server;

/** The server's TLS files ({@code tls.crt}, {@code tls.key}, the client CA file) are missing or unusable. */
public final class TlsMaterialException extends Exception {
  public TlsMaterialException(String message) {
    super(message);
  }
}
