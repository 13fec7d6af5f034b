package dev.signet.notation.revocation;

// Checklist §10: where a certificate says its revocation data lives (AIA id-ad-ocsp, CRL
// distribution points, FreshestCRL for delta CRLs). Only URI general names are used.

import dev.signet.http.Redirects;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;

/** Reads OCSP and CRL locations from certificates and CRLs. */
final class CertificateLocations {
  private CertificateLocations() {}

  /** The id-ad-ocsp URIs of the AIA extension, in order. */
  static List<String> ocspUrls(X509Certificate cert) throws RevocationCheckException {
    byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
    if (ext == null) {
      return List.of();
    }
    List<String> urls = new ArrayList<>();
    try {
      // AccessDescription ::= SEQUENCE { accessMethod OID, accessLocation GeneralName }; only
      // URI locations are decoded, so odd names elsewhere do not break the extension.
      for (ASN1Encodable element : ASN1Sequence.getInstance(unwrap(ext))) {
        ASN1Sequence description = ASN1Sequence.getInstance(element);
        if (description.size() != 2
            || !AccessDescription.id_ad_ocsp.equals(description.getObjectAt(0))) {
          continue;
        }
        ASN1TaggedObject location = ASN1TaggedObject.getInstance(description.getObjectAt(1));
        if (location.getTagClass() == BERTags.CONTEXT_SPECIFIC
            && location.getTagNo() == GeneralName.uniformResourceIdentifier) {
          urls.add(ASN1IA5String.getInstance(location, false).getString());
        }
      }
    } catch (RuntimeException e) {
      throw new RevocationCheckException("invalid authority information access extension", e);
    }
    return List.copyOf(urls);
  }

  /** The CRL distribution point URIs of a certificate. */
  static List<String> crlUrls(X509Certificate cert) throws RevocationCheckException {
    return distributionPointUrls(
        cert.getExtensionValue(Extension.cRLDistributionPoints.getId()), "CRL distribution point");
  }

  /** The FreshestCRL (delta CRL) URIs of a certificate or CRL extension value. */
  static List<String> freshestUrls(byte[] extensionValue) throws RevocationCheckException {
    return distributionPointUrls(extensionValue, "Freshest CRL");
  }

  /**
   * Walks CRLDistributionPoints syntax by hand, like Go: only URI names of a fullName are read, and
   * other general names are skipped without being parsed (real certificates carry malformed ones).
   */
  private static List<String> distributionPointUrls(byte[] ext, String what)
      throws RevocationCheckException {
    if (ext == null) {
      return List.of();
    }
    List<String> urls = new ArrayList<>();
    try {
      ASN1Sequence points = ASN1Sequence.getInstance(unwrap(ext));
      for (ASN1Encodable point : points) {
        for (ASN1Encodable field : ASN1Sequence.getInstance(point)) {
          ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(field);
          if (tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC || tagged.getTagNo() != 0) {
            continue; // reasons or cRLIssuer
          }
          ASN1TaggedObject name = ASN1TaggedObject.getInstance(tagged.getExplicitBaseObject());
          if (name.getTagClass() != BERTags.CONTEXT_SPECIFIC || name.getTagNo() != 0) {
            continue; // nameRelativeToCRLIssuer
          }
          for (ASN1Encodable gn : ASN1Sequence.getInstance(name, false)) {
            ASN1TaggedObject general = ASN1TaggedObject.getInstance(gn);
            if (general.getTagClass() == BERTags.CONTEXT_SPECIFIC
                && general.getTagNo() == GeneralName.uniformResourceIdentifier) {
              urls.add(ASN1IA5String.getInstance(general, false).getString());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      throw new RevocationCheckException("invalid " + what + " extension", e);
    }
    return List.copyOf(urls);
  }

  private static ASN1Primitive unwrap(byte[] extensionValue) {
    try {
      return ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extensionValue).getOctets());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("malformed extension", e);
    }
  }

  /** Parses a location and checks that it is http; {@code schemeMessage} gets the scheme. */
  static URI httpUri(String location, java.util.function.Function<String, String> schemeMessage)
      throws RevocationCheckException {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new RevocationCheckException("invalid URL: " + e.getReason());
    }
    String scheme = Redirects.scheme(uri);
    if (!"http".equals(scheme)) {
      throw new RevocationCheckException(schemeMessage.apply(scheme));
    }
    if (uri.getHost() == null) {
      throw new RevocationCheckException("URL has no host");
    }
    return uri;
  }
}
