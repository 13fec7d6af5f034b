package dev.signet.notation.revocation;

// Checklist §10: where a certificate says its revocation data lives (AIA id-ad-ocsp, CRL
// distribution points, FreshestCRL for delta CRLs). Only URI general names are used.

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

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
      AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(unwrap(ext));
      for (AccessDescription ad : aia.getAccessDescriptions()) {
        if (AccessDescription.id_ad_ocsp.equals(ad.getAccessMethod())) {
          uri(ad.getAccessLocation(), urls);
        }
      }
    } catch (RuntimeException e) {
      throw new RevocationCheckException("invalid authority information access extension");
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

  private static List<String> distributionPointUrls(byte[] ext, String what)
      throws RevocationCheckException {
    if (ext == null) {
      return List.of();
    }
    List<String> urls = new ArrayList<>();
    try {
      CRLDistPoint points = CRLDistPoint.getInstance(unwrap(ext));
      for (DistributionPoint dp : points.getDistributionPoints()) {
        DistributionPointName name = dp.getDistributionPoint();
        if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
          continue;
        }
        for (GeneralName gn : GeneralNames.getInstance(name.getName()).getNames()) {
          uri(gn, urls);
        }
      }
    } catch (RuntimeException e) {
      throw new RevocationCheckException("invalid " + what + " extension");
    }
    return List.copyOf(urls);
  }

  private static void uri(GeneralName gn, List<String> into) {
    if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
      into.add(((ASN1String) gn.getName()).getString());
    }
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
    String scheme = HttpFetcher.scheme(uri);
    if (!"http".equals(scheme)) {
      throw new RevocationCheckException(schemeMessage.apply(scheme));
    }
    if (uri.getHost() == null) {
      throw new RevocationCheckException("URL has no host");
    }
    return uri;
  }
}
