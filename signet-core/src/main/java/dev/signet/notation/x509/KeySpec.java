package dev.signet.notation.x509;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The key specs of the Notary Project signature specification: RSA 2048/3072/4096 and ECDSA on
 * the NIST curves P-256/384/521. The one rule for a signing or timestamping leaf's key (§5.5) and
 * for the key an envelope's algorithm is bound to ("Algorithm Selection").
 *
 * <p>As in notation-core-go's {@code ExtractKeySpec}, an RSA modulus is measured in whole bytes,
 * and an EC key must name its curve: another curve of the same size (secp256k1, brainpool) or
 * explicit parameters are refused.
 */
public enum KeySpec {
  RSA_2048,
  RSA_3072,
  RSA_4096,
  EC_256,
  EC_384,
  EC_521;

  private static final Map<String, KeySpec> NIST_CURVES =
      Map.of("1.2.840.10045.3.1.7", EC_256, "1.3.132.0.34", EC_384, "1.3.132.0.35", EC_521);

  /** A key outside the Notary key specs; the message says which and why. */
  public static final class UnsupportedKeyException extends Exception {
    UnsupportedKeyException(String message) {
      super(message);
    }
  }

  /**
   * The key spec of a public key.
   *
   * @throws UnsupportedKeyException for any other key type, size or curve
   */
  public static KeySpec of(PublicKey key) throws UnsupportedKeyException {
    if (key instanceof RSAPublicKey rsa) {
      int bits = (rsa.getModulus().bitLength() + 7) / 8 * 8;
      return switch (bits) {
        case 2048 -> RSA_2048;
        case 3072 -> RSA_3072;
        case 4096 -> RSA_4096;
        default ->
            throw new UnsupportedKeyException("rsa key size " + bits + " bits is not supported");
      };
    }
    if (key instanceof ECPublicKey ec) {
      String curve = namedCurve(key);
      KeySpec spec = curve == null ? null : NIST_CURVES.get(curve);
      if (spec != null) {
        return spec;
      }
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits == 256 || bits == 384 || bits == 521) {
        throw new UnsupportedKeyException(
            "ecdsa key on an elliptic curve that is not supported ("
                + (curve == null ? "unnamed" : curve)
                + "): only P-256, P-384 and P-521 are allowed");
      }
      throw new UnsupportedKeyException("ecdsa key size " + bits + " bits is not supported");
    }
    throw new UnsupportedKeyException(
        "signing certificate key ("
            + key.getAlgorithm()
            + ") is not supported: use RSA 2048/3072/4096 or EC P-256/P-384/P-521");
  }

  private static String namedCurve(PublicKey key) {
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
      if (spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid) {
        return oid.getId();
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }
}
