package dev.signet.cosign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;

/** PEM public keys ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo) as cosign writes them. */
public final class PublicKeys {
  private static final int MAX_CHARS = 64 * 1024;

  private PublicKeys() {}

  public static PublicKey parsePem(String pem) throws GeneralSecurityException {
    if (pem.length() > MAX_CHARS) {
      throw new GeneralSecurityException("the public key is larger than 64 KiB");
    }
    int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
    int end = pem.indexOf("-----END PUBLIC KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException("not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    String body = pem.substring(begin + 26, end).replaceAll("\\s", "");
    try {
      return TrustedRoot.publicKey(Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("the PEM public key is not base64");
    }
  }

  /** The key as PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo), the form {@link #parsePem} reads. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  public static PublicKey read(Path file) throws IOException, GeneralSecurityException {
    if (Files.size(file) > MAX_CHARS) {
      throw new GeneralSecurityException(file + " is larger than 64 KiB");
    }
    return parsePem(Files.readString(file));
  }
}
