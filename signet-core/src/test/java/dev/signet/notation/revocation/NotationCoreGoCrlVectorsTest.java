package dev.signet.notation.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.Vectors;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.Test;

/** notation-core-go revocation/crl/testdata: FreshestCRL parsing and the EJBCA delta CRL. */
class NotationCoreGoCrlVectorsTest {
  static final String DIR = "notation-core-go/revocation/crl/testdata/";

  static X509Certificate cert(String name) throws Exception {
    try (InputStream in = Files.newInputStream(Vectors.notary(DIR + name))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  static java.util.List<String> freshest(String name) throws Exception {
    return CertificateLocations.freshestUrls(
        cert(name).getExtensionValue(Extension.freshestCRL.getId()));
  }

  @Test
  void freshest_crl_urls_from_certificates() throws Exception {
    assertThat(freshest("certificateWithDeltaCRL.cer"))
        .singleElement()
        .asString()
        .startsWith("http://localhost:80/")
        .contains("cmd=deltacrl");
    assertThat(freshest("certificateWith2DeltaCRL.cer")).hasSize(2);
    assertThat(freshest("certificateWithZeroDeltaCRLURL.cer")).isEmpty();
    assertThat(freshest("certificateWithNonURIDeltaCRL.cer")).isEmpty();
    assertThat(freshest("certificateWithIncompleteFreshestCRL2.cer")).isEmpty();
  }

  @Test
  void incomplete_freshest_crl_is_an_error() throws Exception {
    assertThatThrownBy(() -> freshest("certificateWithIncompleteFreshestCRL.cer"))
        .isInstanceOf(RevocationCheckException.class)
        .hasMessageContaining("invalid Freshest CRL extension");
  }

  @Test
  void delta_crl_numbers() throws Exception {
    X509CRLHolder delta = CrlCheck.parse(Files.readAllBytes(Vectors.notary(DIR + "delta.crl")));
    assertThat(CrlCheck.integerExtension(delta, Extension.cRLNumber))
        .isEqualTo(BigInteger.valueOf(5));
    assertThat(CrlCheck.integerExtension(delta, Extension.deltaCRLIndicator))
        .isEqualTo(BigInteger.valueOf(4));
    assertThat(delta.getExtension(Extension.deltaCRLIndicator).isCritical()).isTrue();
  }

  @Test
  void base_crl_with_two_freshest_urls() throws Exception {
    X509CRLHolder base =
        CrlCheck.parse(Files.readAllBytes(Vectors.notary(DIR + "crlWithMultipleFreshestCRLs.crl")));
    assertThat(
            CertificateLocations.freshestUrls(CrlCheck.extensionValue(base, Extension.freshestCRL)))
        .hasSize(2);
  }
}
