package dev.signet.notation.envelope;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/** The six signature algorithms of the Notary Project signature specification. */
public enum SignatureAlgorithm {
  PS256("PS256", -37, "SHA-256", 32),
  PS384("PS384", -38, "SHA-384", 48),
  PS512("PS512", -39, "SHA-512", 64),
  ES256("ES256", -7, "SHA-256", 32),
  ES384("ES384", -35, "SHA-384", 48),
  ES512("ES512", -36, "SHA-512", 64);

  private final String jwsName;
  private final int coseId;
  private final String hash;
  private final int hashLength;

  SignatureAlgorithm(String jwsName, int coseId, String hash, int hashLength) {
    this.jwsName = jwsName;
    this.coseId = coseId;
    this.hash = hash;
    this.hashLength = hashLength;
  }

  /** The JWS {@code alg} value. */
  public String jwsName() {
    return jwsName;
  }

  /** The COSE algorithm identifier (label 1). */
  public int coseId() {
    return coseId;
  }

  /** JCA name of the hash (SHA-256, SHA-384, SHA-512). */
  public String hash() {
    return hash;
  }

  public int hashLength() {
    return hashLength;
  }

  public boolean isRsaPss() {
    return this == PS256 || this == PS384 || this == PS512;
  }

  /**
   * The algorithm bound to a signing key (signature specification, "Algorithm Selection"): RSA
   * 2048/3072/4096 give PS256/384/512, EC P-256/384/521 give ES256/384/512.
   *
   * @throws EnvelopeException for any other key type or size
   */
  public static SignatureAlgorithm forKey(PublicKey key) throws EnvelopeException {
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      return switch (bits) {
        case 2048 -> PS256;
        case 3072 -> PS384;
        case 4096 -> PS512;
        default -> throw new EnvelopeException("rsa key size " + bits + " bits is not supported");
      };
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      SignatureAlgorithm algorithm =
          switch (bits) {
            case 256 -> ES256;
            case 384 -> ES384;
            case 521 -> ES512;
            default -> throw new EnvelopeException(
                "ecdsa key size " + bits + " bits is not supported");
          };
      requireNistCurve(ec, algorithm);
      return algorithm;
    }
    throw new EnvelopeException(
        "signing certificate key ("
            + key.getAlgorithm()
            + ") is not supported: use RSA 2048/3072/4096 or EC P-256/P-384/P-521");
  }

  /**
   * Verifies a raw signature with this algorithm: RSASSA-PSS with MGF1 and a salt as long as the
   * hash, or ECDSA with the raw {@code r||s} encoding used by JWS and COSE.
   *
   * @return false when the signature does not verify (including a wrong length)
   */
  public boolean verify(PublicKey key, byte[] signedData, byte[] signature) {
    try {
      Signature verifier;
      if (isRsaPss()) {
        verifier = Signature.getInstance("RSASSA-PSS");
        verifier.setParameter(
            new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), hashLength, 1));
      } else {
        int coordinate = this == ES512 ? 66 : hashLength;
        if (signature.length != 2 * coordinate) {
          return false;
        }
        verifier = Signature.getInstance(hash.replace("-", "") + "withECDSAinP1363Format");
      }
      verifier.initVerify(key);
      verifier.update(signedData);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * ES* keys must be on the NIST curve itself: the size alone would let another 256/384/521-bit
   * curve (secp256k1, brainpool, explicit parameters) pass as P-256/384/521.
   */
  private static void requireNistCurve(ECPublicKey ec, SignatureAlgorithm algorithm)
      throws EnvelopeException {
    String curve =
        switch (algorithm) {
          case ES256 -> "secp256r1";
          case ES384 -> "secp384r1";
          default -> "secp521r1";
        };
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve));
      ECParameterSpec expected = parameters.getParameterSpec(ECParameterSpec.class);
      ECParameterSpec actual = ec.getParams();
      if (actual.getCurve().equals(expected.getCurve())
          && actual.getGenerator().equals(expected.getGenerator())
          && actual.getOrder().equals(expected.getOrder())
          && actual.getCofactor() == expected.getCofactor()) {
        return;
      }
    } catch (GeneralSecurityException e) {
      throw new EnvelopeException("ecdsa curve " + curve + " is not available", e);
    }
    throw new EnvelopeException(
        "signing certificate key uses an elliptic curve that is not supported (only P-256,"
            + " P-384 and P-521 are allowed)");
  }

}
