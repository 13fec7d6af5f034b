package dev.signet.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Whether a private key belongs to a certificate: the key signs a probe that the certificate's
 * public key verifies. A serving key that does not belong to its certificate would only fail
 * later, in every TLS handshake.
 */
public final class KeyBinding {
  private static final byte[] PROBE = "signet key binding check".getBytes(StandardCharsets.US_ASCII);

  private KeyBinding() {}

  /** The signature algorithm of the probe for {@code key}; empty for a key type it cannot test. */
  public static Optional<String> probeAlgorithm(PrivateKey key) {
    return Optional.ofNullable(
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        });
  }

  /**
   * True when {@code key} signs what {@code certificate}'s public key verifies.
   *
   * @throws GeneralSecurityException when the probe cannot be signed or verified (a key type
   *     {@link #probeAlgorithm} does not know, or a key and certificate of different types)
   */
  public static boolean belongs(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
    String algorithm =
        probeAlgorithm(key)
            .orElseThrow(() -> new NoSuchAlgorithmException("no probe for " + key.getAlgorithm() + " keys"));
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(PROBE);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(PROBE);
    return verifier.verify(signature);
  }
}
