package dev.signet.notation.x509;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;

/**
 * Certificate chain rules of the Notary Project signature specification, as notation-core-go's
 * {@code x509} package applies them (checklist §5). Chains are ordered leaf first and must end with
 * a self-signed root; nothing is reordered, added or dropped.
 *
 * <p>The JDK PKIX validator is deliberately not used: it rejects what notation accepts (a lone
 * self-signed leaf, unknown critical extensions, §5.9) and does not know Notary's key usage, EKU
 * and key-size rules.
 *
 * <p>The rules for each certificate in its place (CA, code-signing or timestamping leaf) are
 * {@link CertificateRules}; this class walks the chain and checks signatures and names.
 *
 * <p>A certificate whose subject or issuer name Go's parser would refuse (an attribute value that
 * is not one of Go's string types, or is badly encoded) fails the chain, as it fails to parse in
 * notation.
 */
public final class CertificateChains {
  private static final String CONSTRAINT_VIOLATION =
      "x509: invalid signature: parent certificate cannot sign this kind of certificate";

  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private CertificateChains() {}

  /**
   * Validates a code-signing chain (leaf first) without any time check (§5.1-5.5).
   *
   * @throws CertificateChainException naming the first rule broken
   */
  public static void validateCodeSigning(List<X509Certificate> chain)
      throws CertificateChainException {
    validate(chain, Purpose.CODE_SIGNING, null);
  }

  /**
   * Validates a code-signing chain and that every certificate was valid at the signing time (§5.6,
   * boundaries inclusive).
   *
   * @throws CertificateChainException naming the first rule broken
   */
  public static void validateCodeSigningAt(List<X509Certificate> chain, Instant signingTime)
      throws CertificateChainException {
    Objects.requireNonNull(signingTime, "signingTime");
    validate(chain, Purpose.CODE_SIGNING, signingTime);
  }

  /**
   * Validates a timestamping (TSA) chain, leaf first (§5.7). Validity periods are not checked here;
   * the timestamp verifier checks them at the token's time.
   *
   * @throws CertificateChainException naming the first rule broken
   */
  public static void validateTimestamping(List<X509Certificate> chain)
      throws CertificateChainException {
    validate(chain, Purpose.TIMESTAMPING, null);
  }

  /**
   * True when the certificate's signature verifies with its own public key and its encoded issuer
   * equals its encoded subject. No CA requirement: this is the "self-signed signing certificate"
   * that a trust store may hold. SHA-1 is tolerated here, as notation's {@code CheckSignature}
   * tolerates it.
   */
  public static boolean isSelfSigned(X509Certificate cert) {
    return isSelfIssued(cert) && verifySignature(cert, cert.getPublicKey(), true) == null;
  }

  /**
   * True when the certificate is a root CA: it may sign certificates (Go's {@code
   * CheckSignatureFrom} rules: CA basic constraints, keyCertSign if key usage is present, no
   * SHA-1), its signature verifies with its own key, and its encoded issuer equals its encoded
   * subject.
   */
  public static boolean isRootCa(X509Certificate cert) {
    return rootCaProblem(cert) == null;
  }

  /**
   * Requires a root CA (the rule for TSA trust stores).
   *
   * @throws CertificateChainException {@code certificate with subject "<DN>" is not a root CA
   *     certificate: <reason>}
   */
  public static void requireRootCa(X509Certificate cert) throws CertificateChainException {
    String problem = rootCaProblem(cert);
    if (problem != null) {
      throw new CertificateChainException(
          "certificate with subject " + q(cert) + " is not a root CA certificate: " + problem);
    }
  }

  /** True when basic constraints mark the certificate as a CA. */
  public static boolean isCa(X509Certificate cert) {
    return cert.getBasicConstraints() >= 0;
  }

  private static String rootCaProblem(X509Certificate cert) {
    String problem = checkSignatureFrom(cert, cert);
    if (problem != null) {
      return problem;
    }
    if (!isSelfIssued(cert)) {
      return "issuer ("
          + GoNameFormat.issuerOf(cert)
          + ") and subject ("
          + GoNameFormat.subjectOf(cert)
          + ") are not the same";
    }
    return null;
  }

  // ---- chain walk (§5.2, §5.3) ----

  private static void validate(List<X509Certificate> chain, Purpose purpose, Instant signingTime)
      throws CertificateChainException {
    if (chain == null || chain.isEmpty()) {
      throw new CertificateChainException(
          "certificate chain must contain at least one certificate");
    }
    for (X509Certificate cert : chain) {
      if (cert == null) {
        throw new CertificateChainException("certificate chain must not contain null entries");
      }
      if (!GoNameFormat.isWellFormed(cert.getSubjectX500Principal())
          || !GoNameFormat.isWellFormed(cert.getIssuerX500Principal())) {
        // Go refuses to parse such a certificate at all; we refuse the chain.
        throw new CertificateChainException(
            "certificate with subject "
                + q(cert)
                + " has a subject or issuer name with an unsupported attribute value");
      }
    }
    if (chain.size() == 1) {
      validateSingle(chain.get(0), purpose, signingTime);
      return;
    }
    int last = chain.size() - 1;
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      checkSigningTime(cert, signingTime);
      if (i == last) {
        String problem = checkSignatureFrom(cert, cert);
        if (problem != null) {
          throw new CertificateChainException(
              "root certificate with subject "
                  + q(cert)
                  + " is invalid or not self-signed. Certificate chain must end with a valid"
                  + " self-signed root certificate. Error: "
                  + problem);
        }
        if (!isSelfIssued(cert)) {
          throw new CertificateChainException(
              "root certificate with subject "
                  + q(cert)
                  + " is not self-signed. Certificate chain must end with a valid self-signed"
                  + " root certificate");
        }
      } else {
        // Names first: a certificate whose issuer differs from its subject is not self-signed, and
        // comparing bytes spares a signature verification per certificate on the usual chain.
        if (isSelfIssued(cert) && checkSignatureFrom(cert, cert) == null) {
          if (i == 0) {
            throw new CertificateChainException(
                "leaf certificate with subject "
                    + q(cert)
                    + " is self-signed. Certificate chain must not contain self-signed leaf"
                    + " certificate");
          }
          throw new CertificateChainException(
              "intermediate certificate with subject "
                  + q(cert)
                  + " is self-signed. Certificate chain must not contain self-signed"
                  + " intermediate certificate");
        }
        X509Certificate parent = chain.get(i + 1);
        String problem = checkSignatureFrom(cert, parent);
        if (problem != null) {
          throw new CertificateChainException(
              "invalid certificates or certificate with subject "
                  + q(cert)
                  + " is not issued by "
                  + q(parent)
                  + ". Error: "
                  + problem);
        }
        if (!issuedBy(cert, parent)) {
          throw new CertificateChainException(
              "certificate with subject " + q(cert) + " is not issued by " + q(parent));
        }
      }
      String problem = i == 0
              ? CertificateRules.leafProblem(cert, purpose)
              : CertificateRules.caProblem(cert, i - 1, purpose);
      if (problem != null) {
        throw new CertificateChainException(problem);
      }
    }
  }

  private static void validateSingle(X509Certificate cert, Purpose purpose, Instant signingTime)
      throws CertificateChainException {
    // A lone certificate is a self-signed signing certificate: it need not be a CA, and SHA-1 is
    // tolerated, because notation uses CheckSignature (not CheckSignatureFrom) here.
    String problem = verifySignature(cert, cert.getPublicKey(), true);
    if (problem != null) {
      throw new CertificateChainException(
          "invalid self-signed certificate. subject: " + q(cert) + ". Error: " + problem);
    }
    if (!isSelfIssued(cert)) {
      String issuer = purpose == Purpose.TIMESTAMPING ? "issuer (" : "issuer(";
      String subject = purpose == Purpose.TIMESTAMPING ? " and subject (" : " and subject(";
      throw new CertificateChainException(
          "invalid self-signed certificate. subject: "
              + q(cert)
              + ". Error: "
              + issuer
              + GoNameFormat.issuerOf(cert)
              + ")"
              + subject
              + GoNameFormat.subjectOf(cert)
              + ") are not the same");
    }
    checkSigningTime(cert, signingTime);
    String leaf = CertificateRules.leafProblem(cert, purpose);
    if (leaf != null) {
      throw new CertificateChainException("invalid self-signed certificate. Error: " + leaf);
    }
  }

  private static void checkSigningTime(X509Certificate cert, Instant signingTime)
      throws CertificateChainException {
    if (signingTime == null) {
      return;
    }
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    if (signingTime.isBefore(notBefore) || signingTime.isAfter(notAfter)) {
      throw new CertificateChainException(
          "certificate with subject "
              + q(cert)
              + " was invalid at signing time of "
              + goTime(signingTime)
              + ". Certificate is valid from ["
              + goTime(notBefore)
              + "] to ["
              + goTime(notAfter)
              + "]");
    }
  }

  /** Go's {@code time.Time.String()} for a UTC instant. */
  static String goTime(Instant t) {
    String base = GO_TIME.format(t);
    int nanos = t.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
      base = base + "." + fraction;
    }
    return base + " +0000 UTC";
  }

  // ---- signatures (Go CheckSignature / CheckSignatureFrom) ----

  /**
   * Go's {@code child.CheckSignatureFrom(parent)}: the parent must be allowed to sign certificates
   * and the signature must verify with a non-SHA-1 algorithm. Returns the problem, or null.
   */
  private static String checkSignatureFrom(X509Certificate child, X509Certificate parent) {
    if (parent.getVersion() >= 3 && parent.getBasicConstraints() < 0) {
      return CONSTRAINT_VIOLATION;
    }
    boolean[] keyUsage = parent.getKeyUsage();
    if (keyUsage != null && anySet(keyUsage) && !(keyUsage.length > 5 && keyUsage[5])) {
      return CONSTRAINT_VIOLATION;
    }
    return verifySignature(child, parent.getPublicKey(), false);
  }

  /** Verifies {@code cert}'s signature with {@code key}; returns Go's error text, or null. */
  private static String verifySignature(X509Certificate cert, PublicKey key, boolean allowSha1) {
    String oid = cert.getSigAlgOID();
    CertificateSignatureAlgorithm kind = CertificateSignatureAlgorithm.forOid(oid);
    if (kind == null) {
      if (oid.equals("1.2.840.113549.1.1.4") || oid.equals("1.2.840.113549.1.1.2")) {
        return "x509: cannot verify signature: insecure algorithm "
            + (oid.endsWith(".4") ? "MD5-RSA" : "MD2-RSA");
      }
      return "x509: cannot verify signature: algorithm unimplemented";
    }
    if (kind.sha1() && !allowSha1) {
      return "x509: cannot verify signature: insecure algorithm " + kind.goName();
    }
    boolean keyMatches =
        switch (kind.family()) {
          case RSA -> key instanceof RSAPublicKey;
          case EC -> key instanceof ECPublicKey;
          case ED25519 -> key instanceof EdECPublicKey;
        };
    if (!keyMatches) {
      return "x509: signature algorithm specifies an "
          + kind.family()
          + " public key, but have public key of type "
          + key.getAlgorithm();
    }
    try {
      cert.verify(key);
      return null;
    } catch (SignatureException e) {
      return switch (kind.family()) {
        case RSA -> "crypto/rsa: verification error";
        case EC -> "x509: ECDSA verification failure";
        case ED25519 -> "x509: Ed25519 verification failure";
      };
    } catch (GeneralSecurityException | RuntimeException e) {
      return "x509: cannot verify signature: " + e.getMessage();
    }
  }

  // ---- small helpers ----

  private static boolean isSelfIssued(X509Certificate cert) {
    Optional<EncodedNames> names = EncodedNames.of(cert);
    return names.isPresent() && Arrays.equals(names.get().issuer(), names.get().subject());
  }

  /** True when the encoded issuer of {@code cert} equals the encoded subject of {@code issuer}. */
  private static boolean issuedBy(X509Certificate cert, X509Certificate issuer) {
    Optional<EncodedNames> child = EncodedNames.of(cert);
    Optional<EncodedNames> parent = EncodedNames.of(issuer);
    return child.isPresent()
        && parent.isPresent()
        && Arrays.equals(parent.get().subject(), child.get().issuer());
  }

  /**
   * The encoded issuer and subject names exactly as they appear in the TBSCertificate. Comparisons
   * use these bytes, never a DER re-encoding (which would sort the values of a multi-valued name),
   * so that two names differing only in string type or order stay different, as in notation.
   */
  private record EncodedNames(byte[] issuer, byte[] subject) {
    /**
     * The names of {@code cert}; empty when BouncyCastle, stricter than the JDK's certificate
     * parser, cannot read its TBSCertificate. An unreadable name equals nothing, so such a
     * certificate never chains.
     */
    static Optional<EncodedNames> of(X509Certificate cert) {
      try {
        ASN1Sequence tbs = ASN1Sequence.getInstance(cert.getTBSCertificate());
        // [0] version (optional), serialNumber, signature, issuer, validity, subject
        int issuer = tbs.getObjectAt(0) instanceof ASN1TaggedObject ? 3 : 2;
        return Optional.of(new EncodedNames(
            tbs.getObjectAt(issuer).toASN1Primitive().getEncoded(ASN1Encoding.DL),
            tbs.getObjectAt(issuer + 2).toASN1Primitive().getEncoded(ASN1Encoding.DL)));
      } catch (CertificateEncodingException | IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  private static boolean anySet(boolean[] bits) {
    for (boolean b : bits) {
      if (b) {
        return true;
      }
    }
    return false;
  }

  private static String q(X509Certificate cert) {
    return CertificateRules.q(cert);
  }
}
