package dev.signet.cosign;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/**
 * The signature schemes Sigstore clients use: ECDSA (P-256 with SHA-256, P-384 with SHA-384, P-521
 * with SHA-512; DER signatures), RSA PKCS#1 v1.5 with SHA-256 (2048 bits or more), and Ed25519.
 */
final class Signatures {
  private Signatures() {}

  /** Whether the signature over data verifies with the key; false for any unsupported key. */
  static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    String algorithm = algorithm(key);
    if (algorithm == null) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The JCA signature algorithm for a public or private key; null for an unsupported one. */
  static String algorithm(Key key) {
    if (key instanceof ECKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> "SHA256withECDSA";
        case 384 -> "SHA384withECDSA";
        case 521 -> "SHA512withECDSA";
        default -> null;
      };
    }
    if (key instanceof RSAKey rsa) {
      return rsa.getModulus().bitLength() >= 2048 ? "SHA256withRSA" : null;
    }
    return "Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())
        ? "Ed25519"
        : null;
  }
}
