package dev.signet.notation.envelope;

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
}
