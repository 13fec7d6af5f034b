package dev.signet.cosign;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * Who may sign keylessly: the certificate's subject alternative name (an e-mail address or URI, as
 * Fulcio writes it) and the OIDC issuer Fulcio recorded, each given exactly or as a regular
 * expression that must match the whole value (Ratify's {@code certificateIdentity[RegExp]},
 * {@code certificateOIDCIssuer[RegExp]}).
 */
public record KeylessIdentity(
    String identity, Pattern identityPattern, String issuer, Pattern issuerPattern,
    boolean ctLogVerify) {

  /** Fulcio's issuer extension (v2, DER UTF8String) and its deprecated raw-bytes form (v1). */
  static final String ISSUER_V2_OID = "1.3.6.1.4.1.57264.1.8";
  static final String ISSUER_V1_OID = "1.3.6.1.4.1.57264.1.1";

  /** Throws when the leaf's identity or issuer is not the one configured. */
  void check(X509Certificate leaf) throws CosignException {
    List<String> names = subjectAlternativeNames(leaf);
    boolean identityOk = names.stream().anyMatch(n ->
        identity != null ? identity.equals(n) : identityPattern.matcher(n).matches());
    if (!identityOk) {
      throw new CosignException("the signing certificate's identity " + names + " is not "
          + (identity != null ? "\"" + identity + "\"" : "matched by /" + identityPattern + "/"),
          "Trust the identity that signs in your CI (certificateIdentity or"
              + " certificateIdentityRegExp).");
    }
    String found = issuer(leaf);
    boolean issuerOk = found != null
        && (issuer != null ? issuer.equals(found) : issuerPattern.matcher(found).matches());
    if (!issuerOk) {
      throw new CosignException("the signing certificate's OIDC issuer "
          + (found == null ? "is missing" : "\"" + found + "\"") + " is not "
          + (issuer != null ? "\"" + issuer + "\"" : "matched by /" + issuerPattern + "/"),
          "Trust the OIDC issuer of your CI (certificateOIDCIssuer or"
              + " certificateOIDCIssuerRegExp).");
    }
  }

  static List<String> subjectAlternativeNames(X509Certificate cert) throws CosignException {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if ((type == 1 || type == 6) && san.get(1) instanceof String s) {
            out.add(s);
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new CosignException("the signing certificate's subject alternative names cannot be"
          + " read: " + e.getMessage(), "Sign with a Fulcio-issued certificate.");
    }
    return out;
  }

  static String issuer(X509Certificate cert) {
    try {
      byte[] v2 = cert.getExtensionValue(ISSUER_V2_OID);
      if (v2 != null) {
        ASN1Primitive inner = ASN1Primitive.fromByteArray(
            ASN1OctetString.getInstance(v2).getOctets());
        return inner instanceof ASN1String s ? s.getString() : null;
      }
      byte[] v1 = cert.getExtensionValue(ISSUER_V1_OID);
      if (v1 != null) {
        return new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }
}
