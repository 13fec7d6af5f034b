package dev.signet.notation.timestamp;

// RFC 5652 §5.3-5.6 (SignerInfo, signature), RFC 5035 (ESSCertIDv2), RFC 3161 §2.3 (TSA EKU);
// checklist §9 "Per SignerInfo".

import dev.signet.notation.x509.CertificateSignatureAlgorithm;
import dev.signet.notation.x509.TimestampingEku;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Verifies one SignerInfo of a TimeStampToken and builds its TSA chain. Messages follow
 * tspclient-go, without the {@code failed to verify signed token: } prefix.
 */
final class SignerInfoVerifier {

  private static final Map<ASN1ObjectIdentifier, String> RSA_PKCS1 =
      Map.of(
          PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA-256",
          PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA-384",
          PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA-512");

  private static final Map<ASN1ObjectIdentifier, String> ECDSA =
      Map.of(
          X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA-256",
          X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA-384",
          X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA-512");

  private final SignedToken token;
  private final Instant genTime;
  private final Set<TrustAnchor> anchors;

  SignerInfoVerifier(SignedToken token, Instant genTime, List<X509Certificate> roots) {
    this.token = token;
    this.genTime = genTime;
    Set<TrustAnchor> set = new HashSet<>();
    for (X509Certificate root : roots) {
      set.add(new TrustAnchor(root, null));
    }
    this.anchors = set;
  }

  /** Verifies {@code signer}; returns the TSA chain, leaf first, root last. */
  List<X509Certificate> verify(SignerInfo signer) throws TokenException {
    requireWellFormed(signer.getAuthenticatedAttributes());
    X509Certificate leaf = signingCertificate(signer);
    if (signer.getVersion().getValue().intValueExact() != 1 || signer.getSID().isTagged()) {
      throw new TokenException(
          "cms verification failure: invalid signer info version: only version 1 is supported;"
              + " got "
              + signer.getVersion().getValue());
    }
    ASN1Set signedAttributes = signer.getAuthenticatedAttributes();
    if (signedAttributes == null || signedAttributes.size() == 0) {
      throw new TokenException("cms verification failure: missing signed attributes");
    }
    String digest = TokenInfo.SHA2.get(signer.getDigestAlgorithm().getAlgorithm());
    if (digest == null) {
      throw new TokenException(
          "cms verification failure: unsupported digest algorithm: "
              + signer.getDigestAlgorithm().getAlgorithm().getId());
    }
    // Go locates the certificate by ESS alone; a sid naming another certificate is ambiguous.
    IssuerAndSerialNumber sid = IssuerAndSerialNumber.getInstance(signer.getSID().getId());
    if (find(sid.getName(), sid.getSerialNumber().getValue()) != leaf) {
      throw new TokenException(
          "cms verification failure: the signer identifier does not name the signing certificate");
    }
    verifySignature(signer, signedAttributes, digest, leaf.getPublicKey());
    List<X509Certificate> chain = chain(leaf);
    verifyAttributes(signedAttributes, digest, chain);
    checkExtendedKeyUsage(chain);
    return chain;
  }

  // --- ESS signingCertificateV2 (RFC 5035 §5.4) -----------------------------------------------

  private X509Certificate signingCertificate(SignerInfo signer) throws TokenException {
    ASN1Encodable value =
        single(
            signer.getAuthenticatedAttributes(), PKCSObjectIdentifiers.id_aa_signingCertificateV2);
    if (value == null) {
      throw new TokenException(
          "failed to get SigningCertificateV2 from signed attributes: attribute not found");
    }
    CertId first = firstCertId(value);
    X509Certificate candidate;
    if (first.issuerSerial() != null) {
      ASN1Sequence issuerSerial = first.issuerSerial();
      candidate =
          find(
              issuerName(issuerSerial.getObjectAt(0)),
              ASN1Integer.getInstance(issuerSerial.getObjectAt(1)).getValue());
    } else if (!signer.getSID().isTagged()) {
      IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(signer.getSID().getId());
      candidate = find(ias.getName(), ias.getSerialNumber().getValue());
    } else {
      candidate = null;
    }
    if (candidate == null) {
      throw new TokenException("signing certificate not found in the timestamp token");
    }
    String hash = TokenInfo.SHA2.get(first.hashAlgorithm());
    if (hash == null) {
      throw new TokenException(
          "unsupported certificate hash algorithm in SigningCertificateV2 attribute");
    }
    byte[] actual;
    try {
      actual = TokenInfo.digest(hash, candidate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new TokenException("cannot encode the signing certificate: " + e.getMessage(), e);
    }
    if (!MessageDigest.isEqual(actual, first.certHash())) {
      throw new TokenException(
          "signing certificate hash does not match CertHash in signed attribute");
    }
    return candidate;
  }

  /** The first ESSCertIDv2; its issuerSerial is kept raw so that its name choice can be judged. */
  private record CertId(
      ASN1ObjectIdentifier hashAlgorithm, byte[] certHash, ASN1Sequence issuerSerial) {}

  private static CertId firstCertId(ASN1Encodable value) throws TokenException {
    try {
      // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies OPTIONAL }
      ASN1Sequence outer = ASN1Sequence.getInstance(value);
      if (outer.size() == 0) {
        throw new IllegalArgumentException("asn1: syntax error: sequence truncated");
      }
      ASN1Sequence certs = ASN1Sequence.getInstance(outer.getObjectAt(0));
      if (certs.size() == 0) {
        throw new TokenException("signingCertificateV2 does not contain any certificate");
      }
      // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }
      ASN1Sequence id = ASN1Sequence.getInstance(certs.getObjectAt(0));
      int i = 0;
      ASN1ObjectIdentifier hash = NISTObjectIdentifiers.id_sha256;
      if (id.size() > 0 && id.getObjectAt(0).toASN1Primitive() instanceof ASN1Sequence alg) {
        hash = AlgorithmIdentifier.getInstance(alg).getAlgorithm();
        i++;
      }
      if (i >= id.size()) {
        throw new IllegalArgumentException("asn1: syntax error: sequence truncated");
      }
      byte[] certHash = ASN1OctetString.getInstance(id.getObjectAt(i++)).getOctets();
      ASN1Sequence issuerSerial = null;
      if (i < id.size()) {
        issuerSerial = ASN1Sequence.getInstance(id.getObjectAt(i++));
        if (issuerSerial.size() < 2 || issuerSerial.size() > 3) {
          throw new IllegalArgumentException("invalid IssuerSerial");
        }
      }
      if (i != id.size()) {
        throw new IllegalArgumentException("trailing data in ESSCertIDv2");
      }
      return new CertId(hash, certHash, issuerSerial);
    } catch (RuntimeException e) {
      throw new TokenException(
          "failed to get SigningCertificateV2 from signed attributes: " + e.getMessage(), e);
    }
  }

  /** GeneralNames whose first name must be a directoryName ([4] EXPLICIT Name). */
  private static X500Name issuerName(ASN1Encodable generalNames) throws TokenException {
    ASN1Sequence names = ASN1Sequence.getInstance(generalNames);
    if (names.size() == 0
        || !(names.getObjectAt(0).toASN1Primitive() instanceof ASN1TaggedObject tagged)
        || tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC
        || tagged.getTagNo() != GeneralName.directoryName) {
      throw new TokenException("issuer name is missing in IssuerSerial");
    }
    try {
      X500Name name = X500Name.getInstance(tagged, true);
      if (name.getRDNs().length == 0) {
        throw new TokenException("issuer name is missing in IssuerSerial");
      }
      return name;
    } catch (RuntimeException e) {
      throw new TokenException("failed to unmarshal issuer name: " + e.getMessage(), e);
    }
  }

  private X509Certificate find(X500Name issuer, BigInteger serial) throws TokenException {
    byte[] wanted;
    try {
      wanted = issuer.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new TokenException("invalid issuer name: " + e.getMessage(), e);
    }
    for (X509Certificate cert : token.certificates()) {
      if (cert.getSerialNumber().equals(serial)
          && MessageDigest.isEqual(cert.getIssuerX500Principal().getEncoded(), wanted)) {
        return cert;
      }
    }
    return null;
  }

  // --- signature (RFC 5652 §5.4) ----------------------------------------------------------------

  private static void verifySignature(
      SignerInfo signer, ASN1Set signedAttributes, String digest, PublicKey key)
      throws TokenException {
    Signature verifier = signatureFor(signer.getDigestEncryptionAlgorithm(), digest);
    boolean valid;
    try {
      verifier.initVerify(key);
      // The signature covers the DER encoding of the attributes with the SET OF tag.
      verifier.update(new DERSet(signedAttributes.toArray()).getEncoded(ASN1Encoding.DER));
      try {
        valid = verifier.verify(signer.getEncryptedDigest().getOctets());
      } catch (java.security.SignatureException e) {
        // A malformed signature value (e.g. of the wrong length) is simply not a valid signature.
        valid = false;
      }
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new TokenException("cms verification failure: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new TokenException(
          "cms verification failure: "
              + (key instanceof RSAKey
                  ? "crypto/rsa: verification error"
                  : "x509: ECDSA verification failure"));
    }
  }

  private static Signature signatureFor(AlgorithmIdentifier algorithm, String digest)
      throws TokenException {
    ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
    String jcaDigest = digest.replace("-", "");
    try {
      if (PKCSObjectIdentifiers.rsaEncryption.equals(oid) || digest.equals(RSA_PKCS1.get(oid))) {
        requireNullParameters(algorithm);
        return Signature.getInstance(jcaDigest + "withRSA");
      }
      if (digest.equals(ECDSA.get(oid))) {
        if (algorithm.getParameters() != null) {
          throw unknownAlgorithm();
        }
        return Signature.getInstance(jcaDigest + "withECDSA");
      }
      if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(pssParameters(algorithm, digest));
        return pss;
      }
    } catch (GeneralSecurityException e) {
      throw new TokenException("cms verification failure: " + e.getMessage(), e);
    }
    throw unknownAlgorithm();
  }

  private static void requireNullParameters(AlgorithmIdentifier algorithm) throws TokenException {
    ASN1Encodable p = algorithm.getParameters();
    if (p != null && !(p.toASN1Primitive() instanceof ASN1Null)) {
      throw unknownAlgorithm();
    }
  }

  /** RSA-PSS as Go accepts it: MGF1 with the digest's hash, salt = hash length, trailer 1. */
  private static PSSParameterSpec pssParameters(AlgorithmIdentifier algorithm, String digest)
      throws TokenException {
    try {
      RSASSAPSSparams params = RSASSAPSSparams.getInstance(algorithm.getParameters());
      AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
      AlgorithmIdentifier mgfHash = AlgorithmIdentifier.getInstance(mgf.getParameters());
      if (!digest.equals(TokenInfo.SHA2.get(params.getHashAlgorithm().getAlgorithm()))
          || !PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
          || mgfHash == null
          || !digest.equals(TokenInfo.SHA2.get(mgfHash.getAlgorithm()))
          || params.getSaltLength().intValueExact() != TokenInfo.digestLength(digest)
          || params.getTrailerField().intValueExact() != 1) {
        throw unknownAlgorithm();
      }
    } catch (RuntimeException e) {
      throw unknownAlgorithm();
    }
    return new PSSParameterSpec(
        digest, "MGF1", new MGF1ParameterSpec(digest), TokenInfo.digestLength(digest), 1);
  }

  private static TokenException unknownAlgorithm() {
    return new TokenException("cms verification failure: unknown signature algorithm");
  }

  // --- path validation at genTime -------------------------------------------------------------

  private List<X509Certificate> chain(X509Certificate leaf) throws TokenException {
    checkValidity(leaf);
    PKIXCertPathBuilderResult result;
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(genTime));
      params.setMaxPathLength(SignedToken.MAX_CERTIFICATES);
      params.addCertStore(
          CertStore.getInstance(
              "Collection", new CollectionCertStoreParameters(token.certificates())));
      result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
    } catch (CertPathBuilderException e) {
      String expired = expiredIssuer(leaf);
      throw new TokenException(
          "cms verification failure: "
              + (expired != null
                  ? expired
                  : "x509: certificate signed by unknown authority" + detail(e)),
          e);
    } catch (GeneralSecurityException e) {
      throw new TokenException("cms verification failure: " + e.getMessage(), e);
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (var cert : result.getCertPath().getCertificates()) {
      chain.add((X509Certificate) cert);
    }
    chain.add(result.getTrustAnchor().getTrustedCert());
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate cert = chain.get(i);
      // Date-based checks above are millisecond-precise; repeat them at genTime exactly, and for
      // the root, which PKIX does not check but Go's x509.Verify does.
      checkValidity(cert);
      if (i < chain.size() - 1 && !CertificateSignatureAlgorithm.accepted(cert.getSigAlgOID())) {
        throw new TokenException(
            "cms verification failure: x509: cannot verify signature: insecure algorithm "
                + cert.getSigAlgName());
      }
    }
    return List.copyOf(chain);
  }

  private static String detail(CertPathBuilderException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.contains("unable to find valid certification path")) {
      return "";
    }
    return " (" + message + ")";
  }

  private void checkValidity(X509Certificate cert) throws TokenException {
    String invalid = validityError(cert);
    if (invalid != null) {
      throw new TokenException("cms verification failure: " + invalid);
    }
  }

  /** Go's wording when {@code cert} is not valid at genTime, else null. */
  private String validityError(X509Certificate cert) {
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    String prefix = "x509: certificate has expired or is not yet valid: current time " + genTime;
    if (genTime.isBefore(notBefore)) {
      return prefix + " is before " + notBefore;
    }
    if (genTime.isAfter(notAfter)) {
      return prefix + " is after " + notAfter;
    }
    return null;
  }

  /**
   * Why no path was found, when the reason is an issuer that was not valid at genTime: follows
   * issuer names through the token's certificates until a trusted root's subject is reached.
   * Without this, an expired intermediate would read as an unknown authority.
   */
  private String expiredIssuer(X509Certificate leaf) {
    Set<X509Certificate> seen = new HashSet<>();
    X509Certificate current = leaf;
    while (seen.add(current)) {
      for (TrustAnchor anchor : anchors) {
        if (anchor
            .getTrustedCert()
            .getSubjectX500Principal()
            .equals(current.getIssuerX500Principal())) {
          return validityError(anchor.getTrustedCert());
        }
      }
      X509Certificate parent = null;
      for (X509Certificate candidate : token.certificates()) {
        if (!seen.contains(candidate)
            && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
          parent = candidate;
          break;
        }
      }
      if (parent == null) {
        return null;
      }
      String invalid = validityError(parent);
      if (invalid != null) {
        return invalid;
      }
      current = parent;
    }
    return null;
  }

  // --- signed attributes (RFC 5652 §11) -------------------------------------------------------

  private void verifyAttributes(ASN1Set attributes, String digest, List<X509Certificate> chain)
      throws TokenException {
    try {
      ASN1Encodable contentType = single(attributes, CMSAttributes.contentType);
      if (contentType == null) {
        throw new TokenException("cms verification failure: missing content type attribute");
      }
      if (!PKCSObjectIdentifiers.id_ct_TSTInfo.equals(
          ASN1ObjectIdentifier.getInstance(contentType))) {
        throw new TokenException("cms verification failure: invalid content type attribute");
      }
      ASN1Encodable messageDigest = single(attributes, CMSAttributes.messageDigest);
      if (messageDigest == null) {
        throw new TokenException("cms verification failure: missing message digest attribute");
      }
      byte[] expected = ASN1OctetString.getInstance(messageDigest).getOctets();
      if (!MessageDigest.isEqual(expected, TokenInfo.digest(digest, token.tstInfo()))) {
        throw new TokenException("cms verification failure: invalid message digest");
      }
      ASN1Encodable signingTime = single(attributes, CMSAttributes.signingTime);
      if (signingTime != null) {
        Instant at = signingTime(signingTime);
        for (X509Certificate cert : chain) {
          if (at.isBefore(cert.getNotBefore().toInstant())
              || at.isAfter(cert.getNotAfter().toInstant())) {
            throw new TokenException(
                "cms verification failure: signing time, "
                    + at
                    + ", is outside certificate's validity period");
          }
        }
      }
    } catch (RuntimeException e) {
      throw new TokenException(
          "cms verification failure: invalid signed attributes: " + e.getMessage(), e);
    }
  }

  private static Instant signingTime(ASN1Encodable value) throws TokenException {
    try {
      if (value.toASN1Primitive() instanceof ASN1UTCTime utc) {
        return utc.getAdjustedDate().toInstant();
      }
      if (value.toASN1Primitive() instanceof ASN1GeneralizedTime gt) {
        return gt.getDate().toInstant();
      }
    } catch (java.text.ParseException | RuntimeException e) {
      throw new TokenException("cms verification failure: invalid signing time", e);
    }
    throw new TokenException("cms verification failure: invalid signing time");
  }

  private static void requireWellFormed(ASN1Set attributes) throws TokenException {
    if (attributes == null) {
      return;
    }
    try {
      for (ASN1Encodable element : attributes) {
        Attribute attribute = Attribute.getInstance(element);
        attribute.getAttrType();
        attribute.getAttrValues().size();
      }
    } catch (RuntimeException e) {
      throw new TokenException(
          "cms verification failure: invalid signed attributes: " + e.getMessage(), e);
    }
  }

  /**
   * The single value of a signed attribute, or null when absent. A repeated attribute, or one with
   * other than one value, is ambiguous and rejected.
   */
  private static ASN1Encodable single(ASN1Set attributes, ASN1ObjectIdentifier type)
      throws TokenException {
    if (attributes == null) {
      return null;
    }
    ASN1Encodable found = null;
    for (ASN1Encodable element : attributes) {
      Attribute attribute = Attribute.getInstance(element);
      if (!type.equals(attribute.getAttrType())) {
        continue;
      }
      if (found != null || attribute.getAttrValues().size() != 1) {
        throw new TokenException(
            "cms verification failure: attribute " + type.getId() + " must have exactly one value");
      }
      found = attribute.getAttrValues().getObjectAt(0);
    }
    return found;
  }

  // --- extended key usage (RFC 3161 §2.3) -----------------------------------------------------

  private static void checkExtendedKeyUsage(List<X509Certificate> chain) throws TokenException {
    try {
      for (X509Certificate ca : chain.subList(1, chain.size())) {
        if (!TimestampingEku.allowedByIssuer(ca)) {
          throw new TokenException(
              "cms verification failure: x509: certificate specifies an incompatible key usage");
        }
      }
      switch (TimestampingEku.of(chain.get(0))) {
        case VALID -> {}
        case NOT_ONLY_TIMESTAMPING ->
            throw new TokenException(
                "signing certificate must have and only have ExtKeyUsageTimeStamping as extended"
                    + " key usage");
        case NOT_CRITICAL ->
            throw new TokenException(
                "signing certificate extended key usage extension must be set as critical");
      }
    } catch (CertificateParsingException e) {
      throw new TokenException("invalid extended key usage extension: " + e.getMessage(), e);
    }
  }
}
