package dev.signet.notation.x509;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

/** Go's pkix.Name.String() as notation prints DNs (checklist §5.8). */
class GoNameFormatTest {
  private static X500Principal name(X500NameBuilder b) throws Exception {
    return new X500Principal(b.build().getEncoded());
  }

  private static X500NameBuilder builder() {
    return new X500NameBuilder(BCStyle.INSTANCE);
  }

  @Test
  void canonical_order_whatever_the_der_order() throws Exception {
    X500Principal forward =
        name(
            builder()
                .addRDN(BCStyle.C, "AU")
                .addRDN(BCStyle.ST, "Some-State")
                .addRDN(BCStyle.O, "Internet Widgits Pty Ltd"));
    X500Principal backward =
        name(
            builder()
                .addRDN(BCStyle.O, "Internet Widgits Pty Ltd")
                .addRDN(BCStyle.ST, "Some-State")
                .addRDN(BCStyle.C, "AU"));
    assertThat(GoNameFormat.format(forward))
        .isEqualTo("O=Internet Widgits Pty Ltd,ST=Some-State,C=AU");
    assertThat(GoNameFormat.format(backward))
        .isEqualTo("O=Internet Widgits Pty Ltd,ST=Some-State,C=AU");
  }

  @Test
  void all_named_attributes_in_go_order() throws Exception {
    X500Principal p =
        name(
            builder()
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.ST, "WA")
                .addRDN(BCStyle.L, "Seattle")
                .addRDN(BCStyle.STREET, "1 Main St")
                .addRDN(BCStyle.POSTAL_CODE, "98101")
                .addRDN(BCStyle.O, "Org")
                .addRDN(BCStyle.OU, "Unit")
                .addRDN(BCStyle.CN, "Leaf")
                .addRDN(BCStyle.SERIALNUMBER, "42"));
    assertThat(GoNameFormat.format(p))
        .isEqualTo(
            "SERIALNUMBER=42,CN=Leaf,OU=Unit,O=Org,POSTALCODE=98101,STREET=1 Main St,L=Seattle,"
                + "ST=WA,C=US");
    // Reversed DER order prints the same.
    X500Principal reversed =
        name(
            builder()
                .addRDN(BCStyle.SERIALNUMBER, "42")
                .addRDN(BCStyle.CN, "Leaf")
                .addRDN(BCStyle.OU, "Unit")
                .addRDN(BCStyle.O, "Org")
                .addRDN(BCStyle.POSTAL_CODE, "98101")
                .addRDN(BCStyle.STREET, "1 Main St")
                .addRDN(BCStyle.L, "Seattle")
                .addRDN(BCStyle.ST, "WA")
                .addRDN(BCStyle.C, "US"));
    assertThat(GoNameFormat.format(reversed)).isEqualTo(GoNameFormat.format(p));
  }

  @Test
  void repeated_list_attributes_merge_into_one_rdn_in_der_order() throws Exception {
    X500Principal p =
        name(
            builder()
                .addRDN(BCStyle.OU, "b")
                .addRDN(BCStyle.CN, "x")
                .addRDN(BCStyle.OU, "a")
                .addRDN(BCStyle.O, "o1")
                .addRDN(BCStyle.O, "o2"));
    assertThat(GoNameFormat.format(p)).isEqualTo("CN=x,OU=b+OU=a,O=o1+O=o2");
  }

  @Test
  void repeated_common_name_keeps_the_last_and_empty_is_omitted() throws Exception {
    X500Principal p =
        name(
            builder()
                .addRDN(BCStyle.CN, "first")
                .addRDN(BCStyle.CN, "second")
                .addRDN(BCStyle.C, "US"));
    assertThat(GoNameFormat.format(p)).isEqualTo("CN=second,C=US");
    X500Principal empty = name(builder().addRDN(BCStyle.CN, "").addRDN(BCStyle.O, "Org"));
    assertThat(GoNameFormat.format(empty)).isEqualTo("O=Org");
  }

  @Test
  void multi_valued_rdn_is_flattened() throws Exception {
    X500Principal p =
        name(
            builder()
                .addRDN(BCStyle.C, "US")
                .addMultiValuedRDN(
                    new AttributeTypeAndValue[] {
                      new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("a")),
                      new AttributeTypeAndValue(BCStyle.OU, new DERUTF8String("b"))
                    }));
    assertThat(GoNameFormat.format(p)).isEqualTo("CN=a,OU=b,C=US");
  }

  @Test
  void other_oids_are_hex_der_after_c_in_reverse_order() throws Exception {
    X500Principal p =
        name(
            builder()
                .addRDN(BCStyle.DC, "com")
                .addRDN(BCStyle.DC, "example")
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.CN, "x")
                .addRDN(BCStyle.EmailAddress, "a@b.com"));
    // Go re-encodes the string: "a@b.com" is not PrintableString, so UTF8String (0x0c), although
    // the certificate holds an IA5String; "com" and "example" fit PrintableString (0x13).
    assertThat(GoNameFormat.format(p))
        .isEqualTo(
            "CN=x,C=US,1.2.840.113549.1.9.1=#0c076140622e636f6d,"
                + "0.9.2342.19200300.100.1.25=#13076578616d706c65,"
                + "0.9.2342.19200300.100.1.25=#1303636f6d");
  }

  @Test
  void surname_is_not_a_named_attribute() throws Exception {
    X500Principal p = name(builder().addRDN(BCStyle.SURNAME, "Doe").addRDN(BCStyle.CN, "J"));
    assertThat(GoNameFormat.format(p)).isEqualTo("CN=J,2.5.4.4=#1303446f65");
  }

  @Test
  void rfc2253_escaping_as_go_does_it() throws Exception {
    X500Principal p =
        name(
            builder()
                .addRDN(BCStyle.O, new DERUTF8String("DigiCert, Inc."))
                .addRDN(BCStyle.OU, new DERUTF8String("#lead"))
                .addRDN(BCStyle.OU, new DERUTF8String("mid#dle"))
                .addRDN(BCStyle.OU, new DERUTF8String(" both "))
                .addRDN(BCStyle.OU, new DERUTF8String("a+b\"c\\d<e>f;g"))
                .addRDN(BCStyle.CN, new DERUTF8String("José = ok")));
    assertThat(GoNameFormat.format(p))
        .isEqualTo(
            "CN=José = ok,OU=\\#lead+OU=mid#dle+OU=\\ both\\ +OU=a\\+b\\\"c\\\\d\\<e\\>f\\;g,"
                + "O=DigiCert\\, Inc.");
  }

  @Test
  void string_types_do_not_change_the_text() throws Exception {
    ASN1Encodable printable = new DERPrintableString("Org");
    ASN1Encodable utf8 = new DERUTF8String("Org");
    X500Principal a = name(builder().addRDN(BCStyle.O, printable));
    X500Principal b = name(builder().addRDN(BCStyle.O, utf8));
    assertThat(GoNameFormat.format(a))
        .isEqualTo("O=Org")
        .isEqualTo(GoNameFormat.format(b));
  }

  @Test
  void vector_certificates() throws Exception {
    X509Certificate leaf =
        CertificateFiles.read(Vectors.notary("notation-core-go/x509/testdata/timestamp_leaf.crt"))
            .get(0);
    assertThat(GoNameFormat.subjectOf(leaf))
        .isEqualTo("CN=DigiCert Timestamp 2023,O=DigiCert\\, Inc.,C=US");
    assertThat(GoNameFormat.issuerOf(leaf))
        .isEqualTo("CN=DigiCert Trusted G4 RSA4096 SHA256 TimeStamping CA,O=DigiCert\\, Inc.,C=US");
    X509Certificate signing =
        CertificateFiles.read(
                Vectors.notary("notation-go/verifier/testdata/verifier/signing-cert.pem"))
            .get(0);
    assertThat(GoNameFormat.subjectOf(signing))
        .isEqualTo("CN=SomeCN,OU=SomeOU,O=SomeOrg,L=Seattle,ST=WA,C=US");
  }

  @Test
  void certificates_built_with_test_pki() {
    X509Certificate cert =
        TestPki.root("C=US,ST=State,L=City,O=Organization,OU=OrgUnit,CN=LeafCert")
            .selfSigned()
            .certificate();
    assertThat(GoNameFormat.subjectOf(cert))
        .isEqualTo("CN=LeafCert,OU=OrgUnit,O=Organization,L=City,ST=State,C=US");
  }

  @Test
  void names_go_cannot_parse_are_refused_everywhere() throws Exception {
    org.bouncycastle.asn1.x500.X500Name odd =
        builder()
            .addRDN(
                BCStyle.CN, new org.bouncycastle.asn1.DERUniversalString(new byte[] {0, 0, 0, 'A'}))
            .build();
    X500Principal principal = new X500Principal(odd.getEncoded());
    assertThat(GoNameFormat.isWellFormed(principal)).isFalse();
    assertThat(GoNameFormat.format(principal)).isNotBlank();
    assertThat(GoNameFormat.isWellFormed(name(builder().addRDN(BCStyle.CN, "ok")))).isTrue();

    java.security.KeyPair key = TestPki.sharedKey(TestPki.KeyType.EC_P256);
    var b =
        new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
            odd,
            java.math.BigInteger.TEN,
            java.util.Date.from(java.time.Instant.parse("2020-01-01T00:00:00Z")),
            java.util.Date.from(java.time.Instant.parse("2120-01-01T00:00:00Z")),
            odd,
            key.getPublic());
    b.addExtension(
        org.bouncycastle.asn1.x509.Extension.keyUsage,
        true,
        new org.bouncycastle.asn1.x509.KeyUsage(
            org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
    X509Certificate cert =
        new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
            .getCertificate(
                b.build(
                    new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(key.getPrivate())));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CertificateFiles.read(cert.getEncoded()))
        .hasMessageContaining("unsupported attribute value");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CertificateChains.validateCodeSigning(java.util.List.of(cert)))
        .isInstanceOf(CertificateChainException.class)
        .hasMessageContaining("unsupported attribute value");
  }
}
