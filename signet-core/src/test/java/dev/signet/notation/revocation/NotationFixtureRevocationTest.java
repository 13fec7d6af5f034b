package dev.signet.notation.revocation;

import dev.signet.testkit.OcspResponder;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.notation.x509.Purpose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.deadline.Deadline;
import dev.signet.testkit.Vectors;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The notation CLI e2e revocation fixtures (config/crl and config/ocsp), read in place. */
class NotationFixtureRevocationTest {
  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static List<X509Certificate> certs(String relative) throws Exception {
    try (InputStream in = Files.newInputStream(Vectors.notary(relative))) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      return out;
    }
  }

  static PrivateKey rsaKey(String relative) throws Exception {
    String pem = Files.readString(Vectors.notary(relative));
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }

  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(20));
  }

  static String dn(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }

  @Nested
  class Crl {
    static final String DIR = "notation/test/e2e/testdata/config/crl/";
    LocalHttpServer server;
    OnlineRevocationChecker checker;
    List<X509Certificate> chain;

    @BeforeEach
    void setUp() throws Exception {
      server = new LocalHttpServer();
      checker =
          OnlineRevocationChecker.builder()
              .clock(CLOCK)
              .urlRewriter(server.rewriter("localhost", 10086, "localhost.test"))
              .build();
      chain = certs(DIR + "certchain_with_crl.pem");
    }

    @AfterEach
    void tearDown() {
      checker.close();
      server.close();
    }

    void serve(String leafCrl, String intermediateCrl) throws Exception {
      server.serve("/leaf.crl", Files.readAllBytes(Vectors.notary(DIR + leafCrl)));
      server.serve("/intermediate.crl", Files.readAllBytes(Vectors.notary(DIR + intermediateCrl)));
    }

    List<CertificateStatus> check() {
      return checker.check(chain, Purpose.CODE_SIGNING, null, deadline());
    }

    @Test
    void valid_crls_pass_and_the_unreachable_ocsp_falls_back_to_crl() throws Exception {
      serve("leaf.crl", "intermediate.crl");
      List<CertificateStatus> r = check();
      assertThat(r)
          .extracting(CertificateStatus::status)
          .containsExactly(
              RevocationStatus.GOOD, RevocationStatus.GOOD, RevocationStatus.NON_REVOKABLE);
      assertThat(r.get(1).detail())
          .contains("http://localhost.test/ocsp")
          .contains("CRL http://localhost:10086/intermediate.crl: not revoked");
      assertThat(
              RevocationOutcome.summarize(
                      r, NotationFixtureRevocationTest::dn, Purpose.CODE_SIGNING)
                  .passed())
          .isTrue();
    }

    @Test
    void revoked_leaf() throws Exception {
      serve("leaf_revoked.crl", "intermediate.crl");
      List<CertificateStatus> r = check();
      assertThat(r.get(0).status()).isEqualTo(RevocationStatus.REVOKED);
      assertThat(r.get(0).detail()).contains("http://localhost:10086/leaf.crl");
      assertThat(
              RevocationOutcome.summarize(
                      r, NotationFixtureRevocationTest::dn, Purpose.CODE_SIGNING)
                  .message())
          .isEqualTo("signing certificate with subject \"" + dn(chain.get(0)) + "\" is revoked");
    }

    @Test
    void revoked_intermediate() throws Exception {
      serve("leaf.crl", "intermediate_revoked.crl");
      List<CertificateStatus> r = check();
      assertThat(r)
          .extracting(CertificateStatus::status)
          .containsExactly(
              RevocationStatus.GOOD, RevocationStatus.REVOKED, RevocationStatus.NON_REVOKABLE);
      assertThat(
              RevocationOutcome.summarize(
                      r, NotationFixtureRevocationTest::dn, Purpose.CODE_SIGNING)
                  .message())
          .contains("IntermediateCA")
          .endsWith("is revoked");
    }

    @Test
    void expired_crl_is_unknown() throws Exception {
      serve("leaf_expired.crl", "intermediate.crl");
      List<CertificateStatus> r = check();
      assertThat(r.get(0).status()).isEqualTo(RevocationStatus.UNKNOWN);
      // leaf_expired.crl (nextUpdate 2023-12-25) is also signed by an older intermediate key
      // (AKI 71:2E:..., the chain's intermediate is 6C:29:...), so the signature check, which
      // notation also runs first, already fails. Either way the status is unknown.
      assertThat(r.get(0).detail())
          .contains("http://localhost:10086/leaf.crl")
          .containsAnyOf("expired CRL", "CRL is not signed by CA");
      RevocationOutcome o =
          RevocationOutcome.summarize(r, NotationFixtureRevocationTest::dn, Purpose.CODE_SIGNING);
      assertThat(o.result()).isEqualTo(RevocationOutcome.Result.UNKNOWN);
      assertThat(o.message()).endsWith("revocation status is unknown").contains("LeafCert");
    }

    @Test
    void expired_cache_entry_is_refreshed() throws Exception {
      // The notation "cache refresh" scenario: an expired CRL is fetched again, not reused.
      serve("leaf_expired.crl", "intermediate.crl");
      assertThat(check().get(0).status()).isEqualTo(RevocationStatus.UNKNOWN);
      serve("leaf.crl", "intermediate.crl");
      assertThat(check().get(0).status()).isEqualTo(RevocationStatus.GOOD);
      assertThat(check().get(0).status()).isEqualTo(RevocationStatus.GOOD);
      assertThat(server.hits("/leaf.crl")).isEqualTo(2);
    }
  }

  @Nested
  class Ocsp {
    static final String DIR = "notation/test/e2e/testdata/config/ocsp/";
    LocalHttpServer server;
    OnlineRevocationChecker checker;
    List<X509Certificate> chain;
    OcspResponder responder;

    @BeforeEach
    void setUp() throws Exception {
      server = new LocalHttpServer();
      checker =
          OnlineRevocationChecker.builder()
              .clock(CLOCK)
              .urlRewriter(server.rewriter("localhost", 10087, null))
              .build();
      chain = certs(DIR + "certchain_with_ocsp.pem");
      X509Certificate ocspCert = certs(DIR + "ocsp.crt").get(0);
      responder = new OcspResponder(ocspCert, rsaKey(DIR + "ocsp.key"), NOW);
      server.handle("*", responder::handle);
    }

    @AfterEach
    void tearDown() {
      checker.close();
      server.close();
    }

    List<CertificateStatus> check() {
      return checker.check(chain, Purpose.CODE_SIGNING, null, deadline());
    }

    @Test
    void good_from_the_delegated_responder() {
      List<CertificateStatus> r = check();
      assertThat(r)
          .extracting(CertificateStatus::status)
          .containsExactly(RevocationStatus.GOOD, RevocationStatus.NON_REVOKABLE);
      assertThat(responder.requests).isEqualTo(1);
    }

    @Test
    void good_signed_by_the_root_itself() throws Exception {
      responder.signerCert = certs(DIR + "root.crt").get(0);
      responder.signerKey = rsaKey(DIR + "root.key");
      assertThat(check().get(0).status()).isEqualTo(RevocationStatus.GOOD);
    }

    @Test
    void revoked() {
      responder.revoke(chain.get(0).getSerialNumber(), NOW.minusSeconds(3600), null);
      CertificateStatus s = check().get(0);
      assertThat(s.status()).isEqualTo(RevocationStatus.REVOKED);
      assertThat(s.detail())
          .contains("certificate is revoked via OCSP")
          .contains("http://localhost:10087");
    }

    @Test
    void unknown() {
      responder.unknown(chain.get(0).getSerialNumber());
      List<CertificateStatus> r = check();
      assertThat(r.get(0).status()).isEqualTo(RevocationStatus.UNKNOWN);
      assertThat(
              RevocationOutcome.summarize(
                      r, NotationFixtureRevocationTest::dn, Purpose.CODE_SIGNING)
                  .message())
          .isEqualTo(
              "signing certificate with subject \""
                  + dn(chain.get(0))
                  + "\" revocation status is unknown");
    }

    @Test
    void responder_key_that_is_not_the_responder_certificate_is_unknown() throws Exception {
      responder.signerKey = rsaKey(DIR + "leaf.key");
      assertThat(check().get(0).detail()).contains("bad OCSP signature");
    }
  }
}
