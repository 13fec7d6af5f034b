package dev.signet.notation.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.TestPki;
import dev.signet.testkit.TestPki.Issued;
import dev.signet.testkit.TestPki.KeyType;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every chain rule of checklist §5, both ways, on certificates built here. */
class CertificateChainsTest {
  private static Issued root;
  private static Issued inter;
  private static Issued leaf;

  @BeforeAll
  static void pki() {
    root = TestPki.root("CN=Root,O=Test,C=US").selfSigned();
    inter = TestPki.intermediate("CN=Inter,O=Test,C=US").issuedBy(root);
    leaf = TestPki.leaf("CN=Leaf,O=Test,C=US").issuedBy(inter);
  }

  /** Leaves on P-256 keys: fast to generate, and the issuer's key decides the error text. */
  private static TestPki.Builder ecLeaf(String subject) {
    return TestPki.leaf(subject).keyType(KeyType.EC_P256);
  }

  private static List<X509Certificate> chain(Issued... issued) {
    return java.util.Arrays.stream(issued).map(Issued::certificate).toList();
  }

  private static void valid(List<X509Certificate> chain) {
    assertThatCode(() -> CertificateChains.validateCodeSigning(chain)).doesNotThrowAnyException();
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> invalid(
      List<X509Certificate> chain) {
    return assertThatThrownBy(() -> CertificateChains.validateCodeSigning(chain))
        .isInstanceOf(CertificateChainException.class);
  }

  // ---- structure ----

  @Test
  void empty_chain() {
    invalid(List.of()).hasMessage("certificate chain must contain at least one certificate");
    invalid(null).hasMessage("certificate chain must contain at least one certificate");
  }

  @Test
  void chains_of_every_length() {
    valid(chain(ecLeaf("CN=Self").selfSigned()));
    valid(chain(ecLeaf("CN=L2").issuedBy(root), root));
    valid(chain(leaf, inter, root));
    Issued inter2 = TestPki.intermediate("CN=Inter2").issuedBy(inter);
    valid(chain(ecLeaf("CN=L4").issuedBy(inter2), inter2, inter, root));
  }

  @Test
  void wrong_order_is_not_repaired() {
    invalid(chain(root, inter, leaf))
        .hasMessage(
            "leaf certificate with subject \"CN=Root,O=Test,C=US\" is self-signed. Certificate"
                + " chain must not contain self-signed leaf certificate");
    invalid(chain(inter, leaf, root))
        .hasMessage(
            "invalid certificates or certificate with subject \"CN=Inter,O=Test,C=US\" is not"
                + " issued by \"CN=Leaf,O=Test,C=US\". Error: x509: invalid signature: parent"
                + " certificate cannot sign this kind of certificate");
    invalid(chain(leaf, root))
        .hasMessage(
            "invalid certificates or certificate with subject \"CN=Leaf,O=Test,C=US\" is not"
                + " issued by \"CN=Root,O=Test,C=US\". Error: crypto/rsa: verification error");
  }

  @Test
  void extra_certificates_are_rejected() {
    Issued otherRoot = TestPki.root("CN=Other Root").selfSigned();
    invalid(chain(leaf, inter, root, otherRoot))
        .hasMessageStartingWith("intermediate certificate with subject \"CN=Root,O=Test,C=US\"");
  }

  @Test
  void chain_must_end_with_a_root() {
    invalid(chain(leaf, inter))
        .hasMessage(
            "root certificate with subject \"CN=Inter,O=Test,C=US\" is invalid or not self-signed."
                + " Certificate chain must end with a valid self-signed root certificate. Error:"
                + " crypto/rsa: verification error");
  }

  @Test
  void root_signed_by_its_own_key_under_another_issuer_name() {
    KeyPair key = KeyType.RSA_2048.generate();
    Issued nameOnly = new Issued(TestPki.root("CN=Someone Else").selfSigned().certificate(), key);
    Issued odd = TestPki.root("CN=Odd Root").keyPair(key).issuedBy(nameOnly);
    Issued child = ecLeaf("CN=Child").issuedBy(odd);
    invalid(chain(child, odd))
        .hasMessage(
            "root certificate with subject \"CN=Odd Root\" is not self-signed. Certificate chain"
                + " must end with a valid self-signed root certificate");
  }

  @Test
  void issuer_name_must_match_byte_for_byte() {
    // Signed by the root's key, but naming another issuer.
    Issued impostor =
        new Issued(TestPki.root("CN=Not Root").selfSigned().certificate(), root.keyPair());
    Issued child = ecLeaf("CN=Child").issuedBy(impostor);
    invalid(chain(child, root))
        .hasMessage(
            "certificate with subject \"CN=Child\" is not issued by \"CN=Root,O=Test,C=US\"");
    // Same text, different string type: the bytes differ, so the names differ.
    Issued utf8Named = buildCustom("CN=Child2", root, key -> {}, true);
    assertThat(utf8Named.certificate().getIssuerX500Principal().getName())
        .isEqualTo(root.certificate().getSubjectX500Principal().getName());
    invalid(chain(utf8Named, root))
        .hasMessage(
            "certificate with subject \"CN=Child2\" is not issued by \"CN=Root,O=Test,C=US\"");
  }

  @Test
  void multi_valued_issuer_name_must_keep_its_order() throws Exception {
    // Go compares the raw bytes: the same two attributes in another order are another name. A
    // comparison after a DER re-encoding (which sorts a SET) would wrongly see one name.
    Issued multiRoot = TestPki.root("CN=Multi+O=Test").selfSigned();
    byte[] subject = multiRoot.certificate().getSubjectX500Principal().getEncoded();
    Issued child = buildCustom("CN=Child", multiRoot, b -> {}, false);
    byte[] swapped = swapSetMembers(subject);
    X509Certificate reordered = reissued(child.certificate(), subject, swapped, multiRoot);
    assertThat(indexOf(reordered.getTBSCertificate(), swapped)).isPositive();
    // The JDK's X500Principal re-encodes (and so sorts) the name: compared that way, it matches.
    assertThat(reordered.getIssuerX500Principal())
        .isEqualTo(multiRoot.certificate().getSubjectX500Principal());

    assertThatCode(() -> CertificateChains.validateCodeSigning(chain(child, multiRoot)))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> CertificateChains.validateCodeSigning(List.of(reordered, multiRoot.certificate())))
        .isInstanceOf(CertificateChainException.class)
        .hasMessageStartingWith("certificate with subject \"CN=Child\" is not issued by");
  }

  /** A name of one RDN holding two attributes, with those two swapped (same length). */
  private static byte[] swapSetMembers(byte[] name) throws Exception {
    org.bouncycastle.asn1.ASN1Set set =
        org.bouncycastle.asn1.ASN1Set.getInstance(
            org.bouncycastle.asn1.ASN1Sequence.getInstance(name).getObjectAt(0));
    assertThat(set.size()).isEqualTo(2);
    byte[] first = set.getObjectAt(0).toASN1Primitive().getEncoded();
    byte[] second = set.getObjectAt(1).toASN1Primitive().getEncoded();
    byte[] out = name.clone();
    int at = name.length - first.length - second.length;
    System.arraycopy(second, 0, out, at, second.length);
    System.arraycopy(first, 0, out, at + second.length, first.length);
    return out;
  }

  /** The certificate with {@code from} replaced by {@code to} in its TBS bytes, signed again. */
  private static X509Certificate reissued(
      X509Certificate cert, byte[] from, byte[] to, Issued issuer) throws Exception {
    byte[] tbs = cert.getTBSCertificate();
    int at = indexOf(tbs, from);
    assertThat(at).isPositive();
    System.arraycopy(to, 0, tbs, at, to.length);
    java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
    signer.initSign(issuer.privateKey());
    signer.update(tbs);
    byte[] algorithm =
        org.bouncycastle.asn1.x509.Certificate.getInstance(cert.getEncoded())
            .getSignatureAlgorithm()
            .getEncoded();
    byte[] signature = new org.bouncycastle.asn1.DERBitString(signer.sign()).getEncoded();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.write(tbs);
    body.write(algorithm);
    body.write(signature);
    // The outer SEQUENCE written by hand: re-encoding the TBS would sort the name again.
    java.io.ByteArrayOutputStream der = new java.io.ByteArrayOutputStream();
    der.write(0x30);
    int length = body.size();
    assertThat(length).isBetween(256, 65_535);
    der.write(0x82);
    der.write(length >>> 8);
    der.write(length & 0xff);
    body.writeTo(der);
    return (X509Certificate)
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(der.toByteArray()));
  }

  private static int indexOf(byte[] data, byte[] part) {
    for (int i = 0; i + part.length <= data.length; i++) {
      if (java.util.Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    return -1;
  }

  // ---- single certificate ----

  @Test
  void lone_certificate_must_be_self_signed_and_self_issued() {
    invalid(chain(leaf))
        .hasMessage(
            "invalid self-signed certificate. subject: \"CN=Leaf,O=Test,C=US\". Error: crypto/rsa:"
                + " verification error");
    KeyPair key = KeyType.EC_P256.generate();
    Issued nameOnly = new Issued(TestPki.root("CN=Other").selfSigned().certificate(), key);
    Issued notSelfIssued = ecLeaf("CN=Mine").keyPair(key).issuedBy(nameOnly);
    invalid(chain(notSelfIssued))
        .hasMessage(
            "invalid self-signed certificate. subject: \"CN=Mine\". Error: issuer(CN=Other) and"
                + " subject(CN=Mine) are not the same");
    Issued tsa = TestPki.tsaLeaf("CN=Mine").keyPair(key).issuedBy(nameOnly);
    assertThatThrownBy(() -> CertificateChains.validateTimestamping(chain(tsa)))
        .hasMessage(
            "invalid self-signed certificate. subject: \"CN=Mine\". Error: issuer (CN=Other) and"
                + " subject (CN=Mine) are not the same");
  }

  @Test
  void lone_certificate_gets_the_leaf_rules_with_a_prefix() {
    invalid(chain(TestPki.root("CN=Self CA").selfSigned()))
        .hasMessage(
            "invalid self-signed certificate. Error: certificate with subject \"CN=Self CA\": if"
                + " the basic constraints extension is present, the ca field must be set to false");
  }

  // ---- SHA-1 ----

  @Test
  void sha1_is_tolerated_only_for_a_lone_self_signed_certificate() {
    valid(chain(TestPki.leaf("CN=Old").signatureAlgorithm("SHA1withRSA").selfSigned()));
    Issued oldLeaf = ecLeaf("CN=Old Leaf").signatureAlgorithm("SHA1withRSA").issuedBy(root);
    invalid(chain(oldLeaf, root))
        .hasMessageEndingWith("Error: x509: cannot verify signature: insecure algorithm SHA1-RSA");
    Issued oldRoot = TestPki.root("CN=Old Root").signatureAlgorithm("SHA1withRSA").selfSigned();
    invalid(chain(ecLeaf("CN=L").issuedBy(oldRoot), oldRoot))
        .hasMessageStartingWith(
            "root certificate with subject \"CN=Old Root\" is invalid or not" + " self-signed")
        .hasMessageEndingWith("insecure algorithm SHA1-RSA");
    Issued ecRoot = TestPki.root("CN=EC Root").keyType(KeyType.EC_P256).selfSigned();
    Issued ecOld = ecLeaf("CN=EC Old").signatureAlgorithm("SHA1withECDSA").issuedBy(ecRoot);
    invalid(chain(ecOld, ecRoot)).hasMessageEndingWith("insecure algorithm ECDSA-SHA1");
  }

  @Test
  void other_signature_algorithms() {
    Issued ecRoot = TestPki.root("CN=EC Root").keyType(KeyType.EC_P384).selfSigned();
    valid(chain(ecLeaf("CN=EC Leaf").keyType(KeyType.EC_P256).issuedBy(ecRoot), ecRoot));
    Issued otherEc = TestPki.root("CN=EC Root").keyType(KeyType.EC_P384).selfSigned();
    invalid(chain(ecLeaf("CN=EC Leaf").issuedBy(otherEc), ecRoot))
        .hasMessageEndingWith("Error: x509: ECDSA verification failure");
    valid(chain(buildCustom("CN=PSS Leaf", root, b -> {}, false, "SHA256withRSAandMGF1"), root));
    valid(chain(ecLeaf("CN=512").signatureAlgorithm("SHA512withRSA").issuedBy(root), root));
  }

  // ---- CA rules ----

  @Test
  void path_lengths() {
    Issued root0 = TestPki.root("CN=Root0").pathLen(0).selfSigned();
    Issued root1 = TestPki.root("CN=Root1").pathLen(1).selfSigned();
    valid(chain(ecLeaf("CN=L").issuedBy(root0), root0));
    Issued i0 = TestPki.intermediate("CN=I0").pathLen(0).issuedBy(root0);
    invalid(chain(ecLeaf("CN=L").issuedBy(i0), i0, root0))
        .hasMessage(
            "certificate with subject \"CN=Root0\": expected path length of 1 but certificate has"
                + " path length 0 instead");
    Issued i1 = TestPki.intermediate("CN=I1").pathLen(0).issuedBy(root1);
    valid(chain(ecLeaf("CN=L").issuedBy(i1), i1, root1));
    Issued i1b = TestPki.intermediate("CN=I1b").pathLen(0).issuedBy(root1);
    Issued i2 = TestPki.intermediate("CN=I2").pathLen(0).issuedBy(i1b);
    invalid(chain(ecLeaf("CN=L").issuedBy(i2), i2, i1b, root1))
        .hasMessage(
            "certificate with subject \"CN=I1b\": expected path length of 1 but certificate has"
                + " path length 0 instead");
  }

  @Test
  void ca_basic_constraints_must_be_critical() {
    // Stricter than notation-core-go, which ignores the criticality (checklist §5.4 [DIV]).
    Issued lax = TestPki.intermediate("CN=Lax").basicConstraintsCritical(false).issuedBy(root);
    invalid(chain(ecLeaf("CN=L").issuedBy(lax), lax, root))
        .hasMessage(
            "certificate with subject \"CN=Lax\": ca field in basic constraints must be present,"
                + " critical, and set to true");
  }

  @Test
  void ca_that_is_not_a_ca_cannot_sign() {
    Issued notCa = TestPki.intermediate("CN=NotCA").ca(false).issuedBy(root);
    invalid(chain(ecLeaf("CN=L").issuedBy(notCa), notCa, root))
        .hasMessageEndingWith("parent certificate cannot sign this kind of certificate");
    Issued noBc = TestPki.intermediate("CN=NoBC").ca(null).issuedBy(root);
    invalid(chain(ecLeaf("CN=L").issuedBy(noBc), noBc, root))
        .hasMessageEndingWith("parent certificate cannot sign this kind of certificate");
  }

  @Test
  void ca_key_usage() {
    Issued noKu = TestPki.intermediate("CN=NoKU").keyUsage(null).issuedBy(root);
    invalid(chain(ecLeaf("CN=L").issuedBy(noKu), noKu, root))
        .hasMessage("certificate with subject \"CN=NoKU\": key usage extension must be present");
    Issued laxKu = TestPki.intermediate("CN=LaxKU").keyUsageCritical(false).issuedBy(root);
    invalid(chain(ecLeaf("CN=L").issuedBy(laxKu), laxKu, root))
        .hasMessage(
            "certificate with subject \"CN=LaxKU\": key usage extension must be marked critical");
    Issued noCertSign =
        TestPki.intermediate("CN=CRLOnly").keyUsage(KeyUsage.cRLSign).issuedBy(root);
    invalid(chain(ecLeaf("CN=L").issuedBy(noCertSign), noCertSign, root))
        .hasMessageEndingWith("parent certificate cannot sign this kind of certificate");
    // A root without key usage can still sign (Go's CheckSignatureFrom) but fails the CA rule.
    Issued rootNoKu = TestPki.root("CN=RootNoKU").keyUsage(null).selfSigned();
    invalid(chain(ecLeaf("CN=L").issuedBy(rootNoKu), rootNoKu))
        .hasMessage(
            "certificate with subject \"CN=RootNoKU\": key usage extension must be present");
  }

  @Test
  void ca_keys_are_not_size_checked() {
    Issued smallRoot =
        TestPki.root("CN=Small Root").keyPair(TestPki.sharedKey(KeyType.RSA_1024)).selfSigned();
    valid(chain(ecLeaf("CN=L").issuedBy(smallRoot), smallRoot));
  }

  // ---- leaf rules ----

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void leaf_key_sizes(KeyType type) {
    Issued l = ecLeaf("CN=K").keyPair(keyPair(type)).issuedBy(root);
    switch (type) {
      case RSA_1024 ->
          invalid(chain(l, root))
              .hasMessage(
                  "certificate with subject \"CN=K\": rsa key size 1024 bits is not supported");
      case EC_P224 ->
          invalid(chain(l, root))
              .hasMessage(
                  "certificate with subject \"CN=K\": ecdsa key size 224 bits is not supported");
      default -> valid(chain(l, root));
    }
  }

  @Test
  void leaf_basic_constraints() {
    valid(chain(ecLeaf("CN=L").ca(false).issuedBy(root), root));
    invalid(chain(ecLeaf("CN=L").ca(true).issuedBy(root), root))
        .hasMessage(
            "certificate with subject \"CN=L\": if the basic constraints extension is present,"
                + " the ca field must be set to false");
  }

  @Test
  void leaf_key_usage() {
    valid(
        chain(
            ecLeaf("CN=L")
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation)
                .issuedBy(root),
            root));
    invalid(chain(ecLeaf("CN=L").keyUsage(null).issuedBy(root), root))
        .hasMessage("certificate with subject \"CN=L\": key usage extension must be present");
    invalid(chain(ecLeaf("CN=L").keyUsageCritical(false).issuedBy(root), root))
        .hasMessage(
            "certificate with subject \"CN=L\": key usage extension must be marked critical");
    invalid(chain(ecLeaf("CN=L").keyUsage(KeyUsage.nonRepudiation).issuedBy(root), root))
        .hasMessage(
            "the certificate with subject \"CN=L\" is invalid. The key usage must have the bit"
                + " positions for \"Digital Signature\" set");
    int all =
        KeyUsage.digitalSignature
            | KeyUsage.keyEncipherment
            | KeyUsage.dataEncipherment
            | KeyUsage.keyAgreement
            | KeyUsage.keyCertSign
            | KeyUsage.cRLSign
            | KeyUsage.encipherOnly
            | KeyUsage.decipherOnly;
    invalid(chain(ecLeaf("CN=L").keyUsage(all).issuedBy(root), root))
        .hasMessage(
            "the certificate with subject \"CN=L\" is invalid. The key usage must be \"Digital"
                + " Signature\" only, but found \"KeyEncipherment\", \"DataEncipherment\","
                + " \"KeyAgreement\", \"CertSign\", \"CRLSign\", \"EncipherOnly\","
                + " \"DecipherOnly\"");
  }

  @Test
  void leaf_extended_key_usage() {
    valid(chain(ecLeaf("CN=L").extendedKeyUsage(false).issuedBy(root), root));
    valid(
        chain(
            ecLeaf("CN=L")
                .extendedKeyUsage(
                    true,
                    KeyPurposeId.id_kp_codeSigning,
                    KeyPurposeId.getInstance(TestPki.oid("1.3.6.1.4.1.311.10.3.13")))
                .issuedBy(root),
            root));
    String[][] cases = {
      {"serverAuth", "ServerAuth"}, {"clientAuth", "ClientAuth"},
      {"emailProtection", "EmailProtection"}, {"timeStamping", "Timestamping"},
      {"OCSPSigning", "OCSPSigning"}, {"any", "Any"}
    };
    KeyPurposeId[] ids = {
      KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth,
      KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_timeStamping,
      KeyPurposeId.id_kp_OCSPSigning, KeyPurposeId.anyExtendedKeyUsage
    };
    for (int i = 0; i < ids.length; i++) {
      Issued l =
          ecLeaf("CN=L")
              .extendedKeyUsage(false, KeyPurposeId.id_kp_codeSigning, ids[i])
              .issuedBy(root);
      invalid(chain(l, root))
          .as(cases[i][0])
          .hasMessage(
              "certificate with subject \"CN=L\": extended key usage must not contain "
                  + cases[i][1]
                  + " eku");
    }
    // The first excluded purpose in certificate order is reported.
    Issued two =
        ecLeaf("CN=L")
            .extendedKeyUsage(false, KeyPurposeId.id_kp_OCSPSigning, KeyPurposeId.id_kp_serverAuth)
            .issuedBy(root);
    invalid(chain(two, root)).hasMessageEndingWith("must not contain OCSPSigning eku");
  }

  @Test
  void unknown_critical_extensions_are_not_rejected() {
    Issued custom =
        buildCustom(
            "CN=Custom",
            root,
            b -> {
              try {
                b.addExtension(TestPki.oid("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("x"));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            false);
    assertThat(custom.certificate().getCriticalExtensionOIDs()).contains("1.3.6.1.4.1.99999.1");
    valid(chain(custom, root));
  }

  // ---- signing time ----

  @Test
  void signing_time_is_checked_for_every_certificate_inclusively() {
    Instant from = Instant.parse("2024-01-01T00:00:00Z");
    Instant to = Instant.parse("2025-01-01T00:00:00Z");
    Issued shortInter = TestPki.intermediate("CN=Short").validity(from, to).issuedBy(root);
    Issued l = ecLeaf("CN=L").issuedBy(shortInter);
    List<X509Certificate> c = chain(l, shortInter, root);
    assertThatCode(() -> CertificateChains.validateCodeSigningAt(c, from))
        .doesNotThrowAnyException();
    assertThatCode(() -> CertificateChains.validateCodeSigningAt(c, to)).doesNotThrowAnyException();
    assertThatThrownBy(() -> CertificateChains.validateCodeSigningAt(c, to.plusMillis(1500)))
        .hasMessage(
            "certificate with subject \"CN=Short\" was invalid at signing time of 2025-01-01"
                + " 00:00:01.5 +0000 UTC. Certificate is valid from [2024-01-01 00:00:00 +0000"
                + " UTC] to [2025-01-01 00:00:00 +0000 UTC]");
    // Without a signing time, validity is not checked at all.
    assertThatCode(() -> CertificateChains.validateCodeSigning(c)).doesNotThrowAnyException();
    Issued self = ecLeaf("CN=Self").validity(from, to).selfSigned();
    assertThatThrownBy(
            () -> CertificateChains.validateCodeSigningAt(chain(self), from.minusSeconds(1)))
        .hasMessageStartingWith("certificate with subject \"CN=Self\" was invalid at signing time");
  }

  // ---- timestamping ----

  @Test
  void timestamping_chains() throws Exception {
    Issued tsa = TestPki.tsaLeaf("CN=TSA").issuedBy(inter);
    assertThatCode(() -> CertificateChains.validateTimestamping(chain(tsa, inter, root)))
        .doesNotThrowAnyException();
    Issued laxKu = TestPki.tsaLeaf("CN=TSA").keyUsageCritical(false).issuedBy(root);
    assertThatCode(() -> CertificateChains.validateTimestamping(chain(laxKu, root)))
        .doesNotThrowAnyException();
    Issued laxCa = TestPki.intermediate("CN=LaxKuCA").keyUsageCritical(false).issuedBy(root);
    Issued underLax = TestPki.tsaLeaf("CN=TSA").issuedBy(laxCa);
    assertThatCode(() -> CertificateChains.validateTimestamping(chain(underLax, laxCa, root)))
        .doesNotThrowAnyException();
    Issued laxEku =
        TestPki.tsaLeaf("CN=TSA")
            .extendedKeyUsage(false, KeyPurposeId.id_kp_timeStamping)
            .issuedBy(root);
    assertThatThrownBy(() -> CertificateChains.validateTimestamping(chain(laxEku, root)))
        .hasMessage(
            "timestamp signing certificate with subject \"CN=TSA\" must have extended key usage"
                + " extension marked as critical");
    Issued extra =
        TestPki.tsaLeaf("CN=TSA")
            .extendedKeyUsage(true, KeyPurposeId.id_kp_timeStamping, KeyPurposeId.id_kp_codeSigning)
            .issuedBy(root);
    assertThatThrownBy(() -> CertificateChains.validateTimestamping(chain(extra, root)))
        .hasMessage(
            "timestamp signing certificate with subject \"CN=TSA\" must have and only have"
                + " Timestamping as extended key usage");
    Issued unknownOnly =
        TestPki.tsaLeaf("CN=TSA")
            .extendedKeyUsage(true, KeyPurposeId.getInstance(TestPki.oid("1.3.6.1.4.1.99999.2")))
            .issuedBy(root);
    assertThatThrownBy(() -> CertificateChains.validateTimestamping(chain(unknownOnly, root)))
        .hasMessageContaining("must have and only have Timestamping");
    assertThatThrownBy(() -> CertificateChains.validateTimestamping(chain(leaf, inter, root)))
        .hasMessageContaining("must have and only have Timestamping");
  }

  // ---- helpers ----

  /** The JDK no longer generates P-224 keys; BouncyCastle (not registered globally) still does. */
  private static KeyPair keyPair(KeyType type) {
    if (type != KeyType.EC_P224) {
      return TestPki.sharedKey(type);
    }
    try {
      java.security.KeyPairGenerator g =
          java.security.KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
      g.initialize(new java.security.spec.ECGenParameterSpec("secp224r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void self_signed_and_root_ca_helpers() {
    Issued self = ecLeaf("CN=Self").selfSigned();
    assertThat(CertificateChains.isSelfSigned(self.certificate())).isTrue();
    assertThat(CertificateChains.isRootCa(self.certificate())).isFalse();
    assertThat(CertificateChains.isSelfSigned(root.certificate())).isTrue();
    assertThat(CertificateChains.isRootCa(root.certificate())).isTrue();
    assertThat(CertificateChains.isSelfSigned(inter.certificate())).isFalse();
    assertThat(CertificateChains.isRootCa(inter.certificate())).isFalse();
    assertThat(CertificateChains.isCa(inter.certificate())).isTrue();
    assertThat(CertificateChains.isCa(leaf.certificate())).isFalse();
    assertThatThrownBy(() -> CertificateChains.requireRootCa(inter.certificate()))
        .hasMessage(
            "certificate with subject \"CN=Inter,O=Test,C=US\" is not a root CA certificate:"
                + " crypto/rsa: verification error");
  }

  /** A code-signing leaf issued by {@code issuer}, with extra control over the encoding. */
  private static Issued buildCustom(
      String subject,
      Issued issuer,
      java.util.function.Consumer<JcaX509v3CertificateBuilder> extra,
      boolean utf8IssuerName) {
    return buildCustom(subject, issuer, extra, utf8IssuerName, "SHA256withRSA");
  }

  private static Issued buildCustom(
      String subject,
      Issued issuer,
      java.util.function.Consumer<JcaX509v3CertificateBuilder> extra,
      boolean utf8IssuerName,
      String signatureAlgorithm) {
    try {
      KeyPair pair = KeyType.EC_P256.generate();
      org.bouncycastle.asn1.x500.X500Name issuerName;
      if (utf8IssuerName) {
        // Same attributes and text as the issuer's subject, but every value as UTF8String.
        org.bouncycastle.asn1.x500.X500NameBuilder nb =
            new org.bouncycastle.asn1.x500.X500NameBuilder();
        nb.addRDN(org.bouncycastle.asn1.x500.style.BCStyle.C, new DERUTF8String("US"));
        nb.addRDN(org.bouncycastle.asn1.x500.style.BCStyle.O, new DERUTF8String("Test"));
        nb.addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, new DERUTF8String("Root"));
        issuerName = nb.build();
      } else {
        issuerName =
            org.bouncycastle.asn1.x500.X500Name.getInstance(
                issuer.certificate().getSubjectX500Principal().getEncoded());
      }
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              BigInteger.valueOf(System.nanoTime()),
              Date.from(Instant.parse("2020-01-01T00:00:00Z")),
              Date.from(Instant.parse("2120-01-01T00:00:00Z")),
              org.bouncycastle.asn1.x500.X500Name.getInstance(
                  new X500Principal(subject).getEncoded()),
              pair.getPublic());
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      extra.accept(b);
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(
                      new JcaContentSignerBuilder(signatureAlgorithm)
                          .setProvider(new BouncyCastleProvider())
                          .build(issuer.privateKey())));
      return new Issued(cert, pair);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
