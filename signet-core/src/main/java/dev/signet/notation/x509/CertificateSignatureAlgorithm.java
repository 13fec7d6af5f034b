package dev.signet.notation.x509;

/**
 * The certificate signature algorithms Go's {@code crypto/x509} knows, with its names: the one
 * table behind the signing-chain rules and the timestamp token's TSA chain. SHA-1 algorithms are
 * known (so that messages name them) but not accepted in a verified chain; MD2 and MD5 are not
 * known at all.
 */
public enum CertificateSignatureAlgorithm {
  SHA1_RSA("1.2.840.113549.1.1.5", "SHA1-RSA", KeyFamily.RSA, true),
  SHA256_RSA("1.2.840.113549.1.1.11", "SHA256-RSA", KeyFamily.RSA, false),
  SHA384_RSA("1.2.840.113549.1.1.12", "SHA384-RSA", KeyFamily.RSA, false),
  SHA512_RSA("1.2.840.113549.1.1.13", "SHA512-RSA", KeyFamily.RSA, false),
  RSASSA_PSS("1.2.840.113549.1.1.10", "RSASSA-PSS", KeyFamily.RSA, false),
  ECDSA_SHA1("1.2.840.10045.4.1", "ECDSA-SHA1", KeyFamily.EC, true),
  ECDSA_SHA256("1.2.840.10045.4.3.2", "ECDSA-SHA256", KeyFamily.EC, false),
  ECDSA_SHA384("1.2.840.10045.4.3.3", "ECDSA-SHA384", KeyFamily.EC, false),
  ECDSA_SHA512("1.2.840.10045.4.3.4", "ECDSA-SHA512", KeyFamily.EC, false),
  ED25519("1.3.101.112", "Ed25519", KeyFamily.ED25519, false);

  /** The kind of public key an algorithm verifies with. */
  public enum KeyFamily {
    RSA,
    EC,
    ED25519
  }

  private final String oid;
  private final String goName;
  private final KeyFamily family;
  private final boolean sha1;

  CertificateSignatureAlgorithm(String oid, String goName, KeyFamily family, boolean sha1) {
    this.oid = oid;
    this.goName = goName;
    this.family = family;
    this.sha1 = sha1;
  }

  /** The algorithm with this OID, or null when Go does not know it. */
  public static CertificateSignatureAlgorithm forOid(String oid) {
    for (CertificateSignatureAlgorithm a : values()) {
      if (a.oid.equals(oid)) {
        return a;
      }
    }
    return null;
  }

  /** Whether a certificate signed with the algorithm of {@code oid} may be in a verified chain. */
  public static boolean accepted(String oid) {
    CertificateSignatureAlgorithm a = forOid(oid);
    return a != null && !a.sha1;
  }

  public String goName() {
    return goName;
  }

  public KeyFamily family() {
    return family;
  }

  /** A SHA-1 algorithm: known, but insecure. */
  public boolean sha1() {
    return sha1;
  }
}
