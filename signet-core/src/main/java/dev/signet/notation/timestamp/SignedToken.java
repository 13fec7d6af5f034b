package dev.signet.notation.timestamp;

// RFC 5652 §5 (SignedData) and RFC 3161 §2.4.2 (TimeStampToken); checklist §9 "Parse".

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;

/**
 * A parsed TimeStampToken: the SignedData's certificates, signer infos and the encapsulated TSTInfo
 * bytes. Parsing accepts BER (real TSAs emit indefinite lengths) but nothing after the token.
 */
record SignedToken(
    List<X509Certificate> certificates, List<SignerInfo> signerInfos, byte[] tstInfo) {

  /** More certificates or signers than any TSA sends is an attack on path building time. */
  static final int MAX_CERTIFICATES = 32;

  static final int MAX_SIGNERS = 8;

  /** This token with certificates published beside it added to its own (own ones first). */
  SignedToken withPublished(List<X509Certificate> published) throws TokenException {
    if (published.isEmpty()) {
      return this;
    }
    List<X509Certificate> all = new ArrayList<>(certificates);
    for (X509Certificate c : published) {
      if (!all.contains(c)) {
        all.add(c);
      }
    }
    if (all.size() > MAX_CERTIFICATES) {
      throw new TokenException("cms: too many certificates: " + all.size());
    }
    return new SignedToken(List.copyOf(all), signerInfos, tstInfo);
  }

  static SignedToken parse(byte[] der) throws TokenException {
    ContentInfo contentInfo;
    try (ASN1InputStream in = new ASN1InputStream(der)) {
      ASN1Primitive top = in.readObject();
      if (top == null) {
        throw new TokenException("cms: syntax error: invalid signed data: empty input");
      }
      if (in.readObject() != null) {
        throw new TokenException("cms: syntax error: invalid signed data: trailing data");
      }
      contentInfo = ContentInfo.getInstance(top);
    } catch (IOException | RuntimeException e) {
      throw new TokenException("cms: syntax error: invalid signed data: " + e.getMessage(), e);
    }
    if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
      throw new TokenException("cms: content type is not signed-data");
    }
    SignedData signedData;
    try {
      signedData = SignedData.getInstance(contentInfo.getContent());
    } catch (RuntimeException e) {
      throw new TokenException("cms: syntax error: invalid signed data: " + e.getMessage(), e);
    }
    int version = signedData.getVersion().intValueExact();
    if (version != 3) {
      throw new TokenException(
          "cms: syntax error: unsupported signed data version: got " + version + ", want 3");
    }
    try {
      List<X509Certificate> certificates = certificates(signedData.getCertificates());
      ASN1Set infos = signedData.getSignerInfos();
      if (infos.size() > MAX_SIGNERS) {
        throw new TokenException("cms: too many signer infos: " + infos.size());
      }
      List<SignerInfo> signerInfos = new ArrayList<>();
      for (ASN1Encodable info : infos) {
        signerInfos.add(SignerInfo.getInstance(info));
      }
      var encap = signedData.getEncapContentInfo();
      if (!PKCSObjectIdentifiers.id_ct_TSTInfo.equals(encap.getContentType())) {
        throw new TokenException(
            "unexpected content type: "
                + encap.getContentType().getId()
                + ". Expected to be id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4)");
      }
      if (encap.getContent() == null) {
        throw new TokenException("cms: syntax error: missing encapsulated TSTInfo content");
      }
      byte[] tstInfo = ASN1OctetString.getInstance(encap.getContent()).getOctets();
      return new SignedToken(List.copyOf(certificates), List.copyOf(signerInfos), tstInfo);
    } catch (RuntimeException e) {
      throw new TokenException("cms: syntax error: invalid signed data: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(ASN1Set set) throws TokenException {
    List<X509Certificate> out = new ArrayList<>();
    if (set == null) {
      return out;
    }
    if (set.size() > MAX_CERTIFICATES) {
      throw new TokenException("cms: too many certificates: " + set.size());
    }
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    for (ASN1Encodable choice : set) {
      // CertificateChoices: only the plain Certificate (a SEQUENCE) is accepted; attribute and
      // other certificate formats are tagged and have no place in a TSA token.
      if (!(choice.toASN1Primitive() instanceof ASN1Sequence)) {
        throw new TokenException("cms: syntax error: certificate is not an X.509 certificate");
      }
      try {
        byte[] encoded = choice.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(encoded)));
      } catch (IOException | CertificateException e) {
        throw new TokenException("cms: syntax error: invalid certificate: " + e.getMessage(), e);
      }
    }
    return out;
  }
}
