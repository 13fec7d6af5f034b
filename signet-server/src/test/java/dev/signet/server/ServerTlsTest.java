package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.TestTls;
import dev.signet.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir Path dir;

  @Test
  void loads_pkcs8_and_pkcs1_keys() throws Exception {
    TestPki.Issued ca = TestTls.ca("CA");
    TestTls.write(dir.resolve("a"), TestTls.server(ca), ca, false);
    TestTls.write(dir.resolve("b"), TestTls.server(ca), ca, true);
    assertThat(Files.readString(dir.resolve("b/tls.key"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(new ServerTls(dir.resolve("a"), null, ServerTls.TlsVersion.TLS_1_3).load().enabled()).isTrue();
    assertThat(new ServerTls(dir.resolve("b"), null, ServerTls.TlsVersion.TLS_1_2).load().enabled()).isTrue();
  }

  @Test
  void loads_an_ec_key() throws Exception {
    TestPki.Issued ca = TestTls.ca("CA");
    TestPki.Issued ec =
        TestPki.leaf("CN=localhost").keyType(TestPki.KeyType.EC_P256)
            .extendedKeyUsage(false, org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth).issuedBy(ca);
    TestTls.write(dir, ec, ca, false);
    // As OpenSSL writes it: SEC1 with the curve and without the public key.
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256,
            ((java.security.interfaces.ECPrivateKey) ec.privateKey()).getS(),
            org.bouncycastle.asn1.x9.X9ObjectIdentifiers.prime256v1);
    Files.writeString(
        dir.resolve("tls.key"),
        TestTls.pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded())));
    assertThat(new ServerTls(dir, null, ServerTls.TlsVersion.TLS_1_3).load().enabled()).isTrue();
  }

  @Test
  void a_key_of_another_certificate_is_refused() throws Exception {
    TestPki.Issued ca = TestTls.ca("CA");
    TestTls.write(dir.resolve("a"), TestTls.server(ca), ca, false);
    TestTls.write(dir.resolve("b"), TestTls.server(ca), ca, false);
    Files.copy(dir.resolve("b/tls.key"), dir.resolve("a/tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> new ServerTls(dir.resolve("a"), null, ServerTls.TlsVersion.TLS_1_3).load())
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("does not match the first certificate");
  }

  @Test
  void files_without_the_expected_pem_are_named() throws Exception {
    TestPki.Issued ca = TestTls.ca("CA");
    TestTls.write(dir, TestTls.server(ca), ca, false);
    Files.writeString(dir.resolve("tls.key"), TestTls.pem(ca.certificate()));
    assertThatThrownBy(() -> new ServerTls(dir, null, ServerTls.TlsVersion.TLS_1_3).load())
        .hasMessageContaining("tls.key holds no PEM private key");
    Path emptyCa = Files.writeString(dir.resolve("ca.pem"), "nothing here");
    TestTls.write(dir, TestTls.server(ca), ca, false);
    assertThatThrownBy(() -> new ServerTls(dir, emptyCa, ServerTls.TlsVersion.TLS_1_3).load())
        .hasMessageContaining("ca.pem holds no PEM certificate");
  }

  @Test
  void minimum_versions() {
    assertThat(ServerTls.TlsVersion.parse("1.2")).isEqualTo(ServerTls.TlsVersion.TLS_1_2);
    assertThat(ServerTls.TlsVersion.parse("TLSv1.3")).isEqualTo(ServerTls.TlsVersion.TLS_1_3);
    assertThatThrownBy(() -> ServerTls.TlsVersion.parse("1.1")).hasMessageContaining("use 1.3 (default) or 1.2");
  }
}
