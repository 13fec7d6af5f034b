package dev.signet.notation.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.TestPki;
import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {
  private static final String CORE = "notation-core-go/x509/testdata/";

  @Test
  void reads_notation_core_go_certificate_files() throws Exception {
    assertThat(CertificateFiles.read(Vectors.notary(CORE + "pem.crt"))).hasSize(1);
    assertThat(CertificateFiles.read(Vectors.notary(CORE + "multi-pem.crt"))).hasSize(2);
    assertThat(CertificateFiles.read(Vectors.notary(CORE + "der.der"))).hasSize(1);
    assertThat(CertificateFiles.read(Vectors.notary(CORE + "multi-der.der"))).hasSize(2);
    assertThat(CertificateFiles.read(Vectors.notary(CORE + "openssl-minimum-self-signed.pem")))
        .hasSize(1);
  }

  @Test
  void pem_and_der_forms_give_the_same_certificate() throws Exception {
    X509Certificate pem = CertificateFiles.read(Vectors.notary(CORE + "pem.crt")).get(0);
    X509Certificate der = CertificateFiles.read(Vectors.notary(CORE + "der.der")).get(0);
    assertThat(der).isEqualTo(pem);
    assertThat(GoNameFormat.subjectOf(pem))
        .isEqualTo("CN=GlobalSign,OU=GlobalSign Root CA - R3,O=GlobalSign");
  }

  @Test
  void invalid_file_is_an_error() {
    Path invalid = Vectors.notary(CORE + "invalid");
    assertThatThrownBy(() -> CertificateFiles.read(invalid))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("invalid");
  }

  @Test
  void empty_data_is_an_error() {
    assertThatThrownBy(() -> CertificateFiles.read(new byte[0]))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void oversized_file_is_refused_before_parsing(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.pem");
    Files.write(big, new byte[CertificateFiles.MAX_FILE_SIZE + 1]);
    assertThatThrownBy(() -> CertificateFiles.read(big)).hasMessageContaining("larger than");
  }

  @Test
  void missing_file_is_an_error(@TempDir Path dir) {
    assertThatThrownBy(() -> CertificateFiles.read(dir.resolve("nope.pem")))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("cannot read");
  }

  @Test
  void pem_text_around_blocks_and_other_block_types_are_ignored() throws Exception {
    X509Certificate cert = TestPki.root("CN=Root").selfSigned().certificate();
    String text =
        "subject=CN = Root\n"
            + pem("PUBLIC KEY", cert.getPublicKey().getEncoded())
            + "comment\n"
            + pem("CERTIFICATE", cert.getEncoded())
            + pem("CERTIFICATE", cert.getEncoded());
    List<X509Certificate> certs = CertificateFiles.read(text.getBytes(StandardCharsets.US_ASCII));
    assertThat(certs).containsExactly(cert, cert);
  }

  @Test
  void pem_without_certificate_blocks_is_an_error() throws Exception {
    X509Certificate cert = TestPki.root("CN=Root").selfSigned().certificate();
    byte[] data = pem("PUBLIC KEY", cert.getPublicKey().getEncoded()).getBytes();
    assertThatThrownBy(() -> CertificateFiles.read(data)).hasMessageContaining("no certificate");
  }

  @Test
  void pem_with_bad_base64_or_trailing_bytes_is_an_error() throws Exception {
    X509Certificate cert = TestPki.root("CN=Root").selfSigned().certificate();
    String good = pem("CERTIFICATE", cert.getEncoded());
    String corrupted = good.replaceFirst("\n(.)", "\n*$1");
    assertThatThrownBy(() -> CertificateFiles.read(corrupted.getBytes()))
        .hasMessageContaining("base64");
    byte[] withTrailing = java.util.Arrays.copyOf(cert.getEncoded(), cert.getEncoded().length + 2);
    assertThatThrownBy(() -> CertificateFiles.read(pem("CERTIFICATE", withTrailing).getBytes()))
        .isInstanceOf(CertificateException.class);
    String unterminated = good.substring(0, good.indexOf("-----END"));
    assertThatThrownBy(() -> CertificateFiles.read(unterminated.getBytes()))
        .hasMessageContaining("END");
  }

  @Test
  void concatenated_der_with_trailing_garbage_is_an_error() throws Exception {
    byte[] der = TestPki.root("CN=Root").selfSigned().certificate().getEncoded();
    byte[] data = new byte[der.length * 2 + 3];
    System.arraycopy(der, 0, data, 0, der.length);
    System.arraycopy(der, 0, data, der.length, der.length);
    data[data.length - 3] = 0x30;
    data[data.length - 2] = 0x05;
    assertThatThrownBy(() -> CertificateFiles.read(data)).hasMessageContaining("truncated");
    byte[] two = java.util.Arrays.copyOf(data, der.length * 2);
    assertThat(CertificateFiles.read(two)).hasSize(2);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
