package dev.signet.notation.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.Vectors;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain outcomes MANIFEST.md lists for notation-core-go's x509 tests. */
class CertificateChainsVectorTest {
  private static final String CS =
      "derived/notation-core-go/x509/codesigning_cert_validations_test/";
  private static final String TS = "derived/notation-core-go/x509/timestamp_cert_validations_test/";
  private static final String CORE = "notation-core-go/x509/testdata/";

  private static X509Certificate cert(String relative) throws Exception {
    List<X509Certificate> certs = CertificateFiles.read(Vectors.notary(relative));
    assertThat(certs).hasSize(1);
    return certs.get(0);
  }

  private static X509Certificate cs(String name) throws Exception {
    return cert(CS + name + ".pem");
  }

  private static X509Certificate ts(String name) throws Exception {
    return cert(TS + name + ".pem");
  }

  private static void codeSigningFails(List<X509Certificate> chain, String message) {
    assertThatThrownBy(() -> CertificateChains.validateCodeSigning(chain))
        .isInstanceOf(CertificateChainException.class)
        .hasMessage(message);
  }

  private static void timestampingFails(List<X509Certificate> chain, String message) {
    assertThatThrownBy(() -> CertificateChains.validateTimestamping(chain))
        .isInstanceOf(CertificateChainException.class)
        .hasMessage(message);
  }

  // ---- code signing ----

  @Test
  void valid_four_certificate_chain() throws Exception {
    List<X509Certificate> chain =
        List.of(
            cs("codeSigningLeafPem"),
            cs("intermediateCertPem2"),
            cs("intermediateCertPem1"),
            cs("rootCertPem"));
    assertThatCode(() -> CertificateChains.validateCodeSigning(chain)).doesNotThrowAnyException();
    assertThatCode(
            () ->
                CertificateChains.validateCodeSigningAt(
                    chain, Instant.parse("2023-01-01T00:00:00Z")))
        .doesNotThrowAnyException();
  }

  @Test
  void signing_time_before_validity() throws Exception {
    List<X509Certificate> chain =
        List.of(
            cs("codeSigningLeafPem"),
            cs("intermediateCertPem2"),
            cs("intermediateCertPem1"),
            cs("rootCertPem"));
    assertThatThrownBy(
            () ->
                CertificateChains.validateCodeSigningAt(
                    chain, Instant.parse("2021-07-07T20:48:42Z")))
        .hasMessage(
            "certificate with subject \"CN=CodeSigningLeaf\" was invalid at signing time of"
                + " 2021-07-07 20:48:42 +0000 UTC. Certificate is valid from [2022-06-30 19:20:03"
                + " +0000 UTC] to [3021-10-31 19:20:03 +0000 UTC]");
  }

  @Test
  void lone_ca_issued_leaf_is_not_self_signed() throws Exception {
    codeSigningFails(
        List.of(cs("codeSigningLeafPem")),
        "invalid self-signed certificate. subject: \"CN=CodeSigningLeaf\". Error: crypto/rsa:"
            + " verification error");
  }

  @Test
  void chain_without_root() throws Exception {
    codeSigningFails(
        List.of(cs("codeSigningLeafPem"), cs("intermediateCertPem2"), cs("intermediateCertPem1")),
        "root certificate with subject \"CN=Intermediate1\" is invalid or not self-signed."
            + " Certificate chain must end with a valid self-signed root certificate. Error:"
            + " crypto/rsa: verification error");
  }

  @Test
  void chain_in_wrong_order() throws Exception {
    codeSigningFails(
        List.of(
            cs("codeSigningLeafPem"),
            cs("intermediateCertPem1"),
            cs("intermediateCertPem2"),
            cs("rootCertPem")),
        "invalid certificates or certificate with subject \"CN=CodeSigningLeaf\" is not issued"
            + " by \"CN=Intermediate1\". Error: crypto/rsa: verification error");
  }

  @Test
  void self_signed_leaf_in_chain() throws Exception {
    codeSigningFails(
        List.of(cs("rootCertPem"), cs("rootCertPem"), cs("rootCertPem")),
        "leaf certificate with subject \"CN=Root\" is self-signed. Certificate chain must not"
            + " contain self-signed leaf certificate");
  }

  @Test
  void self_signed_intermediate_in_chain() throws Exception {
    codeSigningFails(
        List.of(
            cs("codeSigningLeafPem"),
            cs("intermediateCertPem2"),
            cs("intermediateCertPem1"),
            cs("rootCertPem"),
            cs("rootCertPem")),
        "intermediate certificate with subject \"CN=Root\" is self-signed. Certificate chain must"
            + " not contain self-signed intermediate certificate");
  }

  @Test
  void root_path_length() throws Exception {
    assertThat(CertificateRules.caProblem(cs("rootCertPem"), 3, Purpose.CODE_SIGNING))
        .isEqualTo(
            "certificate with subject \"CN=Root\": expected path length of 3 but certificate has"
                + " path length 2 instead");
    assertThat(CertificateRules.caProblem(cs("rootCertPem"), 2, Purpose.CODE_SIGNING)).isNull();
  }

  @Test
  void issuer_that_is_not_a_ca() throws Exception {
    codeSigningFails(
        List.of(
            cs("codeSigningLeafPem"),
            cs("unrelatedCertPem"),
            cs("intermediateCertPem1"),
            cs("rootCertPem")),
        "invalid certificates or certificate with subject \"CN=CodeSigningLeaf\" is not issued by"
            + " \"CN=Hello\". Error: x509: invalid signature: parent certificate cannot sign this"
            + " kind of certificate");
  }

  @Test
  void intermediate_path_length_too_short() throws Exception {
    codeSigningFails(
        List.of(
            cs("codeSigningLeafInvalidPathLenPem"),
            cs("intermediateCertInvalidPathLenPem"),
            cs("intermediateCertPem2"),
            cs("intermediateCertPem1"),
            cs("rootCertPem")),
        "certificate with subject \"CN=Intermediate2\": expected path length of 1 but certificate"
            + " has path length 0 instead");
  }

  @Test
  void ca_rules() throws Exception {
    String hello = "certificate with subject \"CN=Hello\": ";
    assertThat(CertificateRules.caProblem(cs("noBasicConstraintsCaPem"), 3, Purpose.CODE_SIGNING))
        .isEqualTo(
            hello + "ca field in basic constraints must be present, critical, and set to true");
    assertThat(CertificateRules.caProblem(cs("basicConstraintsNotCaPem"), 3, Purpose.CODE_SIGNING))
        .isEqualTo(
            hello + "ca field in basic constraints must be present, critical, and set to true");
    assertThat(
            CertificateRules.caProblem(cs("kuNotCriticalCertSignCaPem"), 3, Purpose.CODE_SIGNING))
        .isEqualTo(hello + "key usage extension must be marked critical");
    assertThat(
            CertificateRules.caProblem(cs("kuNotCriticalCertSignCaPem"), 3, Purpose.TIMESTAMPING))
        .isNull();
    assertThat(CertificateRules.caProblem(cs("kuMissingCaPem"), 3, Purpose.CODE_SIGNING))
        .isEqualTo(hello + "key usage extension must be present");
    assertThat(CertificateRules.caProblem(cs("kuNotCertSignCaPem"), 3, Purpose.CODE_SIGNING))
        .isEqualTo(hello + "key usage must have the bit positions for key cert sign set");
  }

  @Test
  void leaf_rules() throws Exception {
    String hello = "certificate with subject \"CN=Hello\": ";
    assertThat(CertificateRules.leafProblem(cs("validNoOptionsLeafPem"), Purpose.CODE_SIGNING))
        .isNull();
    assertThat(CertificateRules.leafProblem(cs("validNoOptionsLeafPem"), Purpose.TIMESTAMPING))
        .isEqualTo(
            "timestamp signing certificate with subject \"CN=Hello\" must have and only have"
                + " Timestamping as extended key usage");
    assertThat(CertificateRules.leafProblem(cs("caTrueLeafPem"), Purpose.CODE_SIGNING))
        .isEqualTo(
            hello
                + "if the basic constraints extension is present, the ca field must be set to"
                + " false");
    assertThat(
            CertificateRules.leafProblem(cs("kuNoDigitalSignatureLeafPem"), Purpose.CODE_SIGNING))
        .isEqualTo(
            "the certificate with subject \"CN=Hello\" is invalid. The key usage must have the bit"
                + " positions for \"Digital Signature\" set");
    assertThat(CertificateRules.leafProblem(cs("kuWrongValuesLeafPem"), Purpose.CODE_SIGNING))
        .isEqualTo(
            "the certificate with subject \"CN=Hello\" is invalid. The key usage must be \"Digital"
                + " Signature\" only, but found \"CertSign\", \"CRLSign\"");
    assertThat(CertificateRules.leafProblem(cs("rsaKeyTooSmallLeafPem"), Purpose.CODE_SIGNING))
        .isEqualTo(hello + "rsa key size 1024 bits is not supported");
    assertThat(CertificateRules.leafProblem(cs("ecdsaKeyTooSmallLeafPem"), Purpose.CODE_SIGNING))
        .isEqualTo(hello + "ecdsa key size 224 bits is not supported");
    assertThat(CertificateRules.leafProblem(cs("ekuWrongValuesCodeLeafPem"), Purpose.CODE_SIGNING))
        .isEqualTo(hello + "extended key usage must not contain ServerAuth eku");
    assertThat(
            CertificateRules.leafProblem(cs("ekuMissingCodeSigningLeafPem"), Purpose.CODE_SIGNING))
        .isEqualTo(hello + "extended key usage must not contain OCSPSigning eku");
    assertThat(
            CertificateRules.leafProblem(
                ts("ekuMissingTimestampingLeafPem"), Purpose.TIMESTAMPING))
        .isEqualTo(
            "timestamp signing certificate with subject \"CN=Hello\" must have and only have"
                + " Timestamping as extended key usage");
    assertThat(CertificateRules.leafProblem(ts("ekuWrongValuesTimeLeafPem"), Purpose.TIMESTAMPING))
        .isEqualTo(
            "timestamp signing certificate with subject \"CN=Hello\" must have and only have"
                + " Timestamping as extended key usage");
    assertThat(CertificateRules.leafProblem(ts("ekuNonCriticalTimeLeafPem"), Purpose.TIMESTAMPING))
        .isEqualTo(
            "timestamp signing certificate with subject \"CN=TimeStampingLeaf\" must have extended"
                + " key usage extension marked as critical");
  }

  @Test
  void unrelated_certificate_as_timestamp_leaf() throws Exception {
    timestampingFails(
        List.of(ts("ekuWrongValuesTimeLeafPem"), cs("intermediateCertPem1"), cs("rootCertPem")),
        "invalid certificates or certificate with subject \"CN=Hello\" is not issued by"
            + " \"CN=Intermediate1\". Error: crypto/rsa: verification error");
    assertThat(CertificateRules.leafProblem(cs("unrelatedCertPem"), Purpose.TIMESTAMPING))
        .isEqualTo(
            "timestamp signing certificate with subject \"CN=Hello\" must have and only have"
                + " Timestamping as extended key usage");
  }

  @Test
  void openssl_minimum_self_signed_certificate_is_valid() throws Exception {
    X509Certificate cert = cert(CORE + "openssl-minimum-self-signed.pem");
    assertThatCode(() -> CertificateChains.validateCodeSigning(List.of(cert)))
        .doesNotThrowAnyException();
    assertThat(CertificateChains.isSelfSigned(cert)).isTrue();
  }

  // ---- timestamping (DigiCert) ----

  @Test
  void digicert_timestamping_chain() throws Exception {
    X509Certificate leaf = cert(CORE + "timestamp_leaf.crt");
    X509Certificate inter = cert(CORE + "timestamp_intermediate.crt");
    X509Certificate root = cert(CORE + "timestamp_root.crt");
    assertThatCode(() -> CertificateChains.validateTimestamping(List.of(leaf, inter, root)))
        .doesNotThrowAnyException();
    timestampingFails(
        List.of(leaf),
        "invalid self-signed certificate. subject: \"CN=DigiCert Timestamp 2023,O=DigiCert\\\\,"
            + " Inc.,C=US\". Error: crypto/rsa: verification error");
    timestampingFails(
        List.of(leaf, inter),
        "root certificate with subject \"CN=DigiCert Trusted G4 RSA4096 SHA256 TimeStamping"
            + " CA,O=DigiCert\\\\, Inc.,C=US\" is invalid or not self-signed. Certificate chain"
            + " must end with a valid self-signed root certificate. Error: crypto/rsa:"
            + " verification error");
    timestampingFails(
        List.of(root, root),
        "leaf certificate with subject \"CN=DigiCert Trusted Root G4,OU=www.digicert.com,"
            + "O=DigiCert Inc,C=US\" is self-signed. Certificate chain must not contain"
            + " self-signed leaf certificate");
    timestampingFails(
        List.of(leaf, inter, root, root),
        "intermediate certificate with subject \"CN=DigiCert Trusted Root G4,OU=www.digicert.com,"
            + "O=DigiCert Inc,C=US\" is self-signed. Certificate chain must not contain"
            + " self-signed intermediate certificate");
    timestampingFails(
        List.of(leaf, cs("intermediateCertPem2"), cs("intermediateCertPem1"), cs("rootCertPem")),
        "invalid certificates or certificate with subject \"CN=DigiCert Timestamp 2023,"
            + "O=DigiCert\\\\, Inc.,C=US\" is not issued by \"CN=Intermediate2\". Error:"
            + " crypto/rsa: verification error");
    // The TSA leaf is not a code-signing leaf.
    assertThatThrownBy(() -> CertificateChains.validateCodeSigning(List.of(leaf, inter, root)))
        .hasMessageContaining("extended key usage must not contain Timestamping eku");
  }

  @Test
  void digicert_root_is_a_root_ca_and_leaf_is_not() throws Exception {
    assertThat(CertificateChains.isRootCa(cert(CORE + "timestamp_root.crt"))).isTrue();
    assertThat(CertificateChains.isRootCa(cert(CORE + "timestamp_intermediate.crt"))).isFalse();
    X509Certificate leaf = cert(CORE + "timestamp_leaf.crt");
    assertThatThrownBy(() -> CertificateChains.requireRootCa(leaf))
        .hasMessage(
            "certificate with subject \"CN=DigiCert Timestamp 2023,O=DigiCert\\\\, Inc.,C=US\" is"
                + " not a root CA certificate: x509: invalid signature: parent certificate cannot"
                + " sign this kind of certificate");
  }
}
