package dev.signet.notation.x509;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1NumericString;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DERUniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Distinguished names as notation prints them: Go's {@code pkix.Name.String()} (checklist §5.8).
 *
 * <p>Go first folds the parsed name into fixed fields and then prints those fields in a canonical
 * order, whatever the DER order was: {@code SERIALNUMBER, CN, OU, O, POSTALCODE, STREET, L, ST, C}.
 * Repeated values of one list-valued type (OU, O, POSTALCODE, STREET, L, ST, C) become one
 * multi-valued RDN joined with {@code +}; CN and SERIALNUMBER are single-valued in Go, so the last
 * occurrence wins and an empty value is omitted. Every other attribute follows as {@code
 * <dotted-oid>=#<hex DER>}, in reverse DER order, where the DER is Go's re-encoding of the decoded
 * string (PrintableString when the text allows it, else UTF8String), not the original bytes.
 */
public final class GoNameFormat {
  private static final String OID_CN = "2.5.4.3";
  private static final String OID_SERIAL = "2.5.4.5";
  private static final String OID_C = "2.5.4.6";
  private static final String OID_L = "2.5.4.7";
  private static final String OID_ST = "2.5.4.8";
  private static final String OID_STREET = "2.5.4.9";
  private static final String OID_O = "2.5.4.10";
  private static final String OID_OU = "2.5.4.11";
  private static final String OID_POSTALCODE = "2.5.4.17";

  private GoNameFormat() {}

  /** The name as Go's {@code pkix.Name.String()} prints it. */
  public static String format(X500Principal name) {
    if (!isWellFormed(name)) {
      // Go would not have parsed the certificate; messages still need a readable text.
      return name.getName(X500Principal.RFC2253);
    }
    X500Name parsed = X500Name.getInstance(name.getEncoded());
    String cn = null;
    String serial = null;
    List<String> c = new ArrayList<>();
    List<String> st = new ArrayList<>();
    List<String> l = new ArrayList<>();
    List<String> street = new ArrayList<>();
    List<String> postal = new ArrayList<>();
    List<String> o = new ArrayList<>();
    List<String> ou = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (RDN rdn : parsed.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        String oid = atv.getType().getId();
        String value = stringValue(atv.getValue());
        if (isNamedAttribute(oid)) {
          if (value == null) {
            continue; // Go's parser would have refused a non-string value
          }
          switch (oid) {
            case OID_CN -> cn = value;
            case OID_SERIAL -> serial = value;
            case OID_C -> c.add(value);
            case OID_L -> l.add(value);
            case OID_ST -> st.add(value);
            case OID_STREET -> street.add(value);
            case OID_O -> o.add(value);
            case OID_OU -> ou.add(value);
            case OID_POSTALCODE -> postal.add(value);
            default -> throw new IllegalStateException(oid);
          }
        } else {
          others.add(oid + "=#" + HexFormat.of().formatHex(reencode(atv.getValue(), value)));
        }
      }
    }
    List<String> rdns = new ArrayList<>();
    if (serial != null && !serial.isEmpty()) {
      rdns.add("SERIALNUMBER=" + escape(serial));
    }
    if (cn != null && !cn.isEmpty()) {
      rdns.add("CN=" + escape(cn));
    }
    addMultiValued(rdns, "OU", ou);
    addMultiValued(rdns, "O", o);
    addMultiValued(rdns, "POSTALCODE", postal);
    addMultiValued(rdns, "STREET", street);
    addMultiValued(rdns, "L", l);
    addMultiValued(rdns, "ST", st);
    addMultiValued(rdns, "C", c);
    for (int i = others.size() - 1; i >= 0; i--) {
      rdns.add(others.get(i));
    }
    return String.join(",", rdns);
  }

  /** The DN of a certificate's subject, Go style. */
  public static String subjectOf(java.security.cert.X509Certificate cert) {
    return format(cert.getSubjectX500Principal());
  }

  /** The DN of a certificate's issuer, Go style. */
  public static String issuerOf(java.security.cert.X509Certificate cert) {
    return format(cert.getIssuerX500Principal());
  }

  /**
   * True when Go's certificate parser would accept the name: every attribute value is one of the
   * string types it decodes (PrintableString, UTF8String, IA5String, T61String, BMPString,
   * NumericString). Anything else makes Go refuse the whole certificate, and a name we cannot read
   * the way notation reads it must not take part in trust decisions.
   */
  static boolean isWellFormed(X500Principal name) {
    X500Name parsed;
    try {
      parsed = X500Name.getInstance(name.getEncoded());
      for (RDN rdn : parsed.getRDNs()) {
        for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
          ASN1Encodable v = atv.getValue();
          boolean supported =
              v instanceof ASN1PrintableString
                  || v instanceof ASN1UTF8String
                  || v instanceof ASN1IA5String
                  || v instanceof ASN1T61String
                  || v instanceof ASN1BMPString
                  || v instanceof ASN1NumericString;
          if (!supported || !validText(v, ((ASN1String) v).getString())) {
            return false;
          }
        }
      }
    } catch (RuntimeException e) {
      return false;
    }
    return true;
  }

  /** The character checks Go's parser applies to each string type (UTF-8 is checked on decode). */
  private static boolean validText(ASN1Encodable v, String text) {
    if (v instanceof ASN1PrintableString) {
      // Go also accepts '*' and '&' here, as real certificates use them.
      return text.chars().allMatch(ch -> printable((char) ch) || ch == '*' || ch == '&');
    }
    if (v instanceof ASN1IA5String) {
      return text.chars().allMatch(ch -> ch < 0x80);
    }
    if (v instanceof ASN1NumericString) {
      return text.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || ch == ' ');
    }
    return true;
  }

  private static boolean isNamedAttribute(String oid) {
    return switch (oid) {
      case OID_CN, OID_SERIAL, OID_C, OID_L, OID_ST, OID_STREET, OID_O, OID_OU, OID_POSTALCODE ->
          true;
      default -> false;
    };
  }

  private static void addMultiValued(List<String> rdns, String type, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (String v : values) {
      if (!sb.isEmpty()) {
        sb.append('+');
      }
      sb.append(type).append('=').append(escape(v));
    }
    rdns.add(sb.toString());
  }

  private static String stringValue(ASN1Encodable value) {
    if (value instanceof DERUniversalString) {
      return null; // BouncyCastle renders it as hex; Go does not accept it at all
    }
    if (value instanceof ASN1String s) {
      return s.getString();
    }
    return null;
  }

  /** Go re-marshals the decoded value: PrintableString if every byte allows it, else UTF8String. */
  private static byte[] reencode(ASN1Encodable original, String value) {
    if (value == null) {
      try {
        return original.toASN1Primitive().getEncoded();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    boolean printable = value.chars().allMatch(ch -> printable((char) ch));
    try {
      return (printable ? new DERPrintableString(value) : new DERUTF8String(value)).getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean printable(char ch) {
    return (ch >= 'a' && ch <= 'z')
        || (ch >= 'A' && ch <= 'Z')
        || (ch >= '0' && ch <= '9')
        || " '()+,-./:=?".indexOf(ch) >= 0;
  }

  /** RFC 2253 escaping as Go applies it (by byte index, so a trailing space is escaped). */
  static String escape(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 4);
    int lastIndex = value.length() - 1;
    for (int k = 0; k < value.length(); k++) {
      char ch = value.charAt(k);
      boolean escape =
          switch (ch) {
            case ',', '+', '"', '\\', '<', '>', ';' -> true;
            case ' ' -> k == 0 || k == lastIndex;
            case '#' -> k == 0;
            default -> false;
          };
      if (escape) {
        sb.append('\\');
      }
      sb.append(ch);
    }
    return sb.toString();
  }
}
