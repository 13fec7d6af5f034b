package dev.signet.notation.x509;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Fuzz target for certificate file parsing and the chain rules behind it: only the declared
 * exceptions may come out. Seeds live in {@code CertificateFilesFuzzTestInputs/read/} (our own
 * self-signed P-256 certificate, PEM and DER); in a normal {@code mvn test} they run as regression
 * inputs. Fuzz with {@code JAZZER_FUZZ=1} and this method selected.
 */
class CertificateFilesFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void read(byte[] input) {
    List<X509Certificate> certs;
    try {
      certs = CertificateFiles.read(input);
    } catch (CertificateException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return;
    }
    assertThat(certs).isNotEmpty();
    for (X509Certificate cert : certs) {
      assertThat(GoNameFormat.subjectOf(cert)).isNotNull();
    }
    try {
      CertificateChains.validateCodeSigning(certs);
    } catch (CertificateChainException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    try {
      CertificateChains.validateTimestamping(certs);
    } catch (CertificateChainException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
