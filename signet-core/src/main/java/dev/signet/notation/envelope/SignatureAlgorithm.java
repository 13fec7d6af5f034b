package dev.signet.notation.envelope;

import dev.signet.notation.x509.KeySpec;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/** The six signature algorithms of the Notary Project signature specification. */
public enum SignatureAlgorithm {
  PS256(-37, 256),
  PS384(-38, 384),
  PS512(-39, 512),
  ES256(-7, 256),
  ES384(-35, 384),
  ES512(-36, 512);

  private final int coseId;
  private final int hashBits;

  SignatureAlgorithm(int coseId, int hashBits) {
    this.coseId = coseId;
    this.hashBits = hashBits;
  }

  /** The JWS {@code alg} value: the constant's name. */
  public String jwsName() {
    return name();
  }

  /** The COSE algorithm identifier (label 1). */
  public int coseId() {
    return coseId;
  }

  /** JCA name of the hash (SHA-256, SHA-384, SHA-512). */
  public String hash() {
    return "SHA-" + hashBits;
  }

  /** The hash's length in bytes. */
  public int hashLength() {
    return hashBits / 8;
  }

  public boolean isRsaPss() {
    return this == PS256 || this == PS384 || this == PS512;
  }

  /**
   * The algorithm bound to a signing key (signature specification, "Algorithm Selection"): RSA
   * 2048/3072/4096 give PS256/384/512, EC P-256/384/521 give ES256/384/512 ({@link KeySpec}).
   *
   * @throws EnvelopeException for any other key type or size
   */
  public static SignatureAlgorithm forKey(PublicKey key) throws EnvelopeException {
    KeySpec spec;
    try {
      spec = KeySpec.of(key);
    } catch (KeySpec.UnsupportedKeyException e) {
      throw new EnvelopeException(e.getMessage(), e);
    }
    return switch (spec) {
      case RSA_2048 -> PS256;
      case RSA_3072 -> PS384;
      case RSA_4096 -> PS512;
      case EC_256 -> ES256;
      case EC_384 -> ES384;
      case EC_521 -> ES512;
    };
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
            new PSSParameterSpec(hash(), "MGF1", new MGF1ParameterSpec(hash()), hashLength(), 1));
      } else {
        int coordinate = this == ES512 ? 66 : hashLength();
        if (signature.length != 2 * coordinate) {
          return false;
        }
        verifier = Signature.getInstance("SHA" + hashBits + "withECDSAinP1363Format");
      }
      verifier.initVerify(key);
      verifier.update(signedData);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
