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
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Certificate chain rules of the Notary Project signature specification, as notation-core-go's
 * {@code x509} package applies them (checklist §5). Chains are ordered leaf first and must end with
 * a self-signed root; nothing is reordered, added or dropped.
 *
 * <p>The JDK PKIX validator is deliberately not used: it rejects what notation accepts (a lone
 * self-signed leaf, unknown critical extensions, §5.9) and does not know Notary's key usage, EKU
 * and key-size rules.
 *
 * <p>Deliberate differences from notation-core-go, all stricter, as the specification asks:
 *
 * <ul>
 *   <li>a code-signing leaf whose EKU holds {@code anyExtendedKeyUsage} is rejected ({@code
 *       extended key usage must not contain Any eku}); notation-core-go v1.3 accepts it;
 *   <li>a CA certificate's basic constraints must be critical, as the message always said;
 *       notation-core-go does not check the criticality.
 * </ul>
 *
 * <p>A certificate whose subject or issuer name Go's parser would refuse (an attribute value that
 * is not one of Go's string types, or is badly encoded) fails the chain, as it fails to parse in
 * notation.
 */
public final class CertificateChains {
  private static final String OID_KEY_USAGE = "2.5.29.15";
  private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String OID_EXTENDED_KEY_USAGE = "2.5.29.37";

  private static final String ANY_EKU = "2.5.29.37.0";
  private static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
  private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();
  private static final String EMAIL_PROTECTION = KeyPurposeId.id_kp_emailProtection.getId();
  private static final String TIME_STAMPING = KeyPurposeId.id_kp_timeStamping.getId();
  private static final String OCSP_SIGNING = KeyPurposeId.id_kp_OCSPSigning.getId();

  private static final Set<String> NIST_CURVES =
      Set.of("1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35");

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
        if (!Arrays.equals(rawName(parent, NamePart.SUBJECT), rawName(cert, NamePart.ISSUER))) {
          throw new CertificateChainException(
              "certificate with subject " + q(cert) + " is not issued by " + q(parent));
        }
      }
      String problem = i == 0 ? leafProblem(cert, purpose) : caProblem(cert, i - 1, purpose);
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
    String leaf = leafProblem(cert, purpose);
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

  // ---- CA rules (§5.4) ----

  static String caProblem(X509Certificate cert, int expectedPathLen, Purpose purpose) {
    if (cert.getBasicConstraints() < 0 || !isCritical(cert, OID_BASIC_CONSTRAINTS)) {
      return subject(cert)
          + ": ca field in basic constraints must be present, critical, and set to true";
    }
    int pathLen = cert.getBasicConstraints();
    if (pathLen != Integer.MAX_VALUE && pathLen < expectedPathLen) {
      return subject(cert)
          + ": expected path length of "
          + expectedPathLen
          + " but certificate has path length "
          + pathLen
          + " instead";
    }
    String keyUsage = keyUsagePresence(cert, purpose);
    if (keyUsage != null) {
      return keyUsage;
    }
    if (!keyUsageBit(cert, 5)) {
      return subject(cert) + ": key usage must have the bit positions for key cert sign set";
    }
    return null;
  }

  // ---- leaf rules (§5.5, §5.7) ----

  static String leafProblem(X509Certificate cert, Purpose purpose) {
    if (cert.getBasicConstraints() >= 0) {
      return subject(cert)
          + ": if the basic constraints extension is present, the ca field must be set to false";
    }
    String keyUsage = keyUsagePresence(cert, purpose);
    if (keyUsage != null) {
      return keyUsage;
    }
    if (!keyUsageBit(cert, 0)) {
      return "the certificate with subject "
          + q(cert)
          + " is invalid. The key usage must have the bit positions for \"Digital Signature\" set";
    }
    String[] names = {
      null,
      null,
      "KeyEncipherment",
      "DataEncipherment",
      "KeyAgreement",
      "CertSign",
      "CRLSign",
      "EncipherOnly",
      "DecipherOnly"
    };
    StringBuilder found = new StringBuilder();
    for (int bit = 2; bit < names.length; bit++) {
      if (keyUsageBit(cert, bit)) {
        if (!found.isEmpty()) {
          found.append(", ");
        }
        found.append('"').append(names[bit]).append('"');
      }
    }
    if (!found.isEmpty()) {
      return "the certificate with subject "
          + q(cert)
          + " is invalid. The key usage must be \"Digital Signature\" only, but found "
          + found;
    }
    String eku =
        purpose == Purpose.CODE_SIGNING ? codeSigningEkuProblem(cert) : tsaEkuProblem(cert);
    if (eku != null) {
      return eku;
    }
    return keyProblem(cert);
  }

  private static String keyUsagePresence(X509Certificate cert, Purpose purpose) {
    boolean critical = isCritical(cert, OID_KEY_USAGE);
    boolean present = critical || isNonCritical(cert, OID_KEY_USAGE);
    if (!present) {
      return subject(cert) + ": key usage extension must be present";
    }
    if (!critical && purpose == Purpose.CODE_SIGNING) {
      return subject(cert) + ": key usage extension must be marked critical";
    }
    return null;
  }

  private static String codeSigningEkuProblem(X509Certificate cert) {
    List<String> purposes;
    try {
      purposes = extendedKeyUsage(cert);
    } catch (IOException | IllegalArgumentException e) {
      return "certificate with subject " + q(cert) + ": invalid extended key usage extension";
    }
    if (purposes == null) {
      return null;
    }
    for (String purpose : purposes) {
      String name = excludedCodeSigningEku(purpose);
      if (name != null) {
        return "certificate with subject "
            + q(cert)
            + ": extended key usage must not contain "
            + name
            + " eku";
      }
    }
    return null;
  }

  private static String excludedCodeSigningEku(String oid) {
    // anyExtendedKeyUsage: the specification forbids it in a code-signing leaf; notation-core-go
    // v1.3 lets it through. We take the specification's (stricter) side.
    if (oid.equals(ANY_EKU)) {
      return "Any";
    }
    if (oid.equals(SERVER_AUTH)) {
      return "ServerAuth";
    }
    if (oid.equals(CLIENT_AUTH)) {
      return "ClientAuth";
    }
    if (oid.equals(EMAIL_PROTECTION)) {
      return "EmailProtection";
    }
    if (oid.equals(TIME_STAMPING)) {
      return "Timestamping";
    }
    if (oid.equals(OCSP_SIGNING)) {
      return "OCSPSigning";
    }
    return null;
  }

  private static String tsaEkuProblem(X509Certificate cert) {
    TimestampingEku eku;
    try {
      eku = TimestampingEku.of(cert);
    } catch (java.security.cert.CertificateParsingException e) {
      eku = TimestampingEku.NOT_ONLY_TIMESTAMPING;
    }
    return switch (eku) {
      case VALID -> null;
      case NOT_ONLY_TIMESTAMPING ->
          "timestamp signing certificate with subject "
              + q(cert)
              + " must have and only have Timestamping as extended key usage";
      case NOT_CRITICAL ->
          "timestamp signing certificate with subject "
              + q(cert)
              + " must have extended key usage extension marked as critical";
    };
  }

  /** The EKU purposes in certificate order, or null when the extension is absent. */
  private static List<String> extendedKeyUsage(X509Certificate cert) throws IOException {
    byte[] value = cert.getExtensionValue(OID_EXTENDED_KEY_USAGE);
    if (value == null) {
      return null;
    }
    byte[] inner = ASN1OctetString.getInstance(value).getOctets();
    ExtendedKeyUsage eku = ExtendedKeyUsage.getInstance(ASN1Primitive.fromByteArray(inner));
    return Arrays.stream(eku.getUsages()).map(KeyPurposeId::getId).toList();
  }

  /** Leaf keys: RSA 2048/3072/4096 or ECDSA P-256/384/521 (the Notary key specs). */
  private static String keyProblem(X509Certificate cert) {
    PublicKey key = cert.getPublicKey();
    if (key instanceof RSAPublicKey rsa) {
      // Go measures the modulus in whole bytes.
      int bits = (rsa.getModulus().bitLength() + 7) / 8 * 8;
      if (bits == 2048 || bits == 3072 || bits == 4096) {
        return null;
      }
      return subject(cert) + ": rsa key size " + bits + " bits is not supported";
    }
    if (key instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      String curve = namedCurve(key);
      if (curve != null && NIST_CURVES.contains(curve)) {
        return null;
      }
      if (bits == 256 || bits == 384 || bits == 521) {
        return subject(cert)
            + ": ecdsa curve "
            + (curve == null ? "(unnamed)" : curve)
            + " is not supported";
      }
      return subject(cert) + ": ecdsa key size " + bits + " bits is not supported";
    }
    return subject(cert) + ": unsupported public key type";
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
    return Arrays.equals(rawName(cert, NamePart.ISSUER), rawName(cert, NamePart.SUBJECT));
  }

  private enum NamePart {
    ISSUER,
    SUBJECT
  }

  /**
   * The encoded issuer or subject name exactly as it appears in the TBSCertificate. Comparisons use
   * these bytes, never a re-encoding, so that two names differing only in string type stay
   * different, as in notation.
   */
  private static byte[] rawName(X509Certificate cert, NamePart part) {
    byte[] tbs;
    try {
      tbs = cert.getTBSCertificate();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate has no encodable TBSCertificate", e);
    }
    Der der = new Der(tbs);
    int[] outer = der.element(0); // TBSCertificate SEQUENCE
    int at = outer[1];
    int[] el = der.element(at);
    if ((tbs[at] & 0xff) == 0xa0) { // [0] version
      at = el[2];
      el = der.element(at);
    }
    at = el[2]; // after serialNumber
    at = der.element(at)[2]; // after signature AlgorithmIdentifier
    int[] issuer = der.element(at);
    if (part == NamePart.ISSUER) {
      return Arrays.copyOfRange(tbs, at, issuer[2]);
    }
    at = issuer[2];
    at = der.element(at)[2]; // after validity
    int[] subject = der.element(at);
    return Arrays.copyOfRange(tbs, at, subject[2]);
  }

  /** Minimal DER walker over an already-parsed certificate's TBS bytes. */
  private record Der(byte[] data) {
    /** {tag offset, content offset, end offset} of the element at {@code at}. */
    int[] element(int at) {
      if (at + 2 > data.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      int first = data[at + 1] & 0xff;
      int content = at + 2;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int count = first & 0x7f;
        if (count == 0 || count > 4 || content + count > data.length) {
          throw new IllegalArgumentException("bad DER length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (data[content + i] & 0xff);
        }
        content += count;
      }
      if (length > data.length - content) {
        throw new IllegalArgumentException("truncated DER");
      }
      return new int[] {at, content, (int) (content + length)};
    }
  }

  private static boolean isCritical(X509Certificate cert, String oid) {
    Set<String> critical = cert.getCriticalExtensionOIDs();
    return critical != null && critical.contains(oid);
  }

  private static boolean isNonCritical(X509Certificate cert, String oid) {
    Set<String> nonCritical = cert.getNonCriticalExtensionOIDs();
    return nonCritical != null && nonCritical.contains(oid);
  }

  private static boolean keyUsageBit(X509Certificate cert, int bit) {
    boolean[] ku = cert.getKeyUsage();
    return ku != null && ku.length > bit && ku[bit];
  }

  private static boolean anySet(boolean[] bits) {
    for (boolean b : bits) {
      if (b) {
        return true;
      }
    }
    return false;
  }

  // Messages name the certificate only when a rule is broken: formatting a name re-parses it, and
  // doing that for every passing rule was a measurable share of a whole verification.
  private static String subject(X509Certificate cert) {
    return "certificate with subject " + q(cert);
  }

  private static String q(X509Certificate cert) {
    return GoNameFormat.quote(GoNameFormat.subjectOf(cert));
  }
}
