package dev.signet.notation.revocation;

import dev.signet.testkit.TestCrl;
import dev.signet.testkit.OcspResponder;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.LoopbackProcess;
import dev.signet.notation.x509.Purpose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.deadline.Deadline;
import dev.signet.testkit.TestPki;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnlineRevocationCheckerOcspTest {
  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  LocalHttpServer server;
  OnlineRevocationChecker checker;
  TestPki.Issued root;
  OcspResponder responder;

  @BeforeEach
  void setUp() throws Exception {
    server = new LocalHttpServer();
    root = TestPki.root("CN=Root,O=Test,ST=WA,C=US").keyType(TestPki.KeyType.EC_P256).selfSigned();
    responder = new OcspResponder(root.certificate(), root.privateKey(), NOW);
    server.handle("/ocsp", responder::handle);
    checker = OnlineRevocationChecker.builder().clock(CLOCK).build();
  }

  @AfterEach
  void tearDown() {
    checker.close();
    server.close();
  }

  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(20));
  }

  TestPki.Issued leafWithOcsp(String... crls) {
    TestPki.Builder b = TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US").ocsp(server.url("/ocsp"));
    for (String c : crls) {
      b.crl(c);
    }
    return b.keyType(TestPki.KeyType.EC_P256).issuedBy(root);
  }

  List<CertificateStatus> check(X509Certificate leaf, Instant signingTime) {
    return checker.check(
        List.of(leaf, root.certificate()), Purpose.CODE_SIGNING, signingTime, deadline());
  }

  @Test
  void good_response_signed_by_the_issuer_is_good_and_uses_get() {
    TestPki.Issued leaf = leafWithOcsp();
    List<CertificateStatus> r = check(leaf.certificate(), null);
    assertThat(r)
        .extracting(CertificateStatus::status)
        .containsExactly(RevocationStatus.GOOD, RevocationStatus.NON_REVOKABLE);
    assertThat(responder.lastMethod).isEqualTo("GET");
  }

  @Test
  void revoked_response_is_revoked_and_names_method_and_url() {
    TestPki.Issued leaf = leafWithOcsp();
    responder.revoke(leaf.certificate().getSerialNumber(), NOW.minusSeconds(7200), null);
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(s.detail())
        .contains("certificate is revoked via OCSP")
        .contains(server.url("/ocsp"));
  }

  @Test
  void invalidity_date_after_signing_time_is_good_and_before_is_revoked() {
    TestPki.Issued leaf = leafWithOcsp();
    Instant invalidity = NOW.minus(Duration.ofDays(10));
    responder.revoke(leaf.certificate().getSerialNumber(), NOW.minusSeconds(7200), invalidity);
    assertThat(check(leaf.certificate(), invalidity.minus(Duration.ofDays(1))).get(0).status())
        .isEqualTo(RevocationStatus.GOOD);
    assertThat(check(leaf.certificate(), invalidity.plus(Duration.ofDays(1))).get(0).status())
        .isEqualTo(RevocationStatus.REVOKED);
    assertThat(check(leaf.certificate(), null).get(0).status()).isEqualTo(RevocationStatus.REVOKED);
  }

  @Test
  void unknown_response_without_crl_is_unknown() {
    TestPki.Issued leaf = leafWithOcsp();
    responder.unknown(leaf.certificate().getSerialNumber());
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("certificate has unknown status via OCSP");
  }

  @Test
  void unknown_response_falls_back_to_crl() {
    server.serve(
        "/leaf.crl",
        new TestCrl(root.certificate(), root.privateKey(), NOW).build());
    TestPki.Issued leaf = leafWithOcsp(server.url("/leaf.crl"));
    responder.unknown(leaf.certificate().getSerialNumber());
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.GOOD);
    assertThat(server.hits("/leaf.crl")).isEqualTo(1);
  }

  @Test
  void delegated_responder_with_ocsp_signing_eku_is_accepted() {
    TestPki.Issued ocsp =
        TestPki.leaf("CN=OCSP,O=Test,ST=WA,C=US")
            .extendedKeyUsage(false, KeyPurposeId.id_kp_OCSPSigning)
            .keyType(TestPki.KeyType.EC_P256)
            .issuedBy(root);
    responder.signerCert = ocsp.certificate();
    responder.signerKey = ocsp.privateKey();
    TestPki.Issued leaf = leafWithOcsp();
    responder.revoke(leaf.certificate().getSerialNumber(), NOW.minusSeconds(60), null);
    assertThat(check(leaf.certificate(), null).get(0).status()).isEqualTo(RevocationStatus.REVOKED);
  }

  @Test
  void delegated_responder_without_ocsp_signing_eku_is_unknown() {
    TestPki.Issued ocsp =
        TestPki.leaf("CN=OCSP,O=Test,ST=WA,C=US").keyType(TestPki.KeyType.EC_P256).issuedBy(root);
    responder.signerCert = ocsp.certificate();
    responder.signerKey = ocsp.privateKey();
    CertificateStatus s = check(leafWithOcsp().certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("OCSPSigning");
  }

  @Test
  void delegated_responder_that_has_expired_is_unknown() {
    TestPki.Issued ocsp =
        TestPki.leaf("CN=OCSP,O=Test,ST=WA,C=US")
            .extendedKeyUsage(false, KeyPurposeId.id_kp_OCSPSigning)
            .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"))
            .keyType(TestPki.KeyType.EC_P256)
            .issuedBy(root);
    responder.signerCert = ocsp.certificate();
    responder.signerKey = ocsp.privateKey();
    CertificateStatus s = check(leafWithOcsp().certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("not valid now");
  }

  @Test
  void delegated_responder_from_another_ca_is_unknown() {
    TestPki.Issued other =
        TestPki.root("CN=Other,O=Test,ST=WA,C=US").keyType(TestPki.KeyType.EC_P256).selfSigned();
    TestPki.Issued ocsp =
        TestPki.leaf("CN=OCSP,O=Test,ST=WA,C=US")
            .extendedKeyUsage(false, KeyPurposeId.id_kp_OCSPSigning)
            .keyType(TestPki.KeyType.EC_P256)
            .issuedBy(other);
    responder.signerCert = ocsp.certificate();
    responder.signerKey = ocsp.privateKey();
    assertThat(check(leafWithOcsp().certificate(), null).get(0).status())
        .isEqualTo(RevocationStatus.UNKNOWN);
  }

  @Test
  void response_signed_with_a_wrong_key_is_unknown() {
    // The responder ID names the issuer, but another key signed.
    responder.signerKey = TestPki.KeyType.EC_P256.generate().getPrivate();
    CertificateStatus s = check(leafWithOcsp().certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("bad OCSP signature");
  }

  @Test
  void missing_next_update_counts_as_expired() {
    responder.omitNextUpdate = true;
    CertificateStatus s = check(leafWithOcsp().certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("expired OCSP response");
  }

  @Test
  void stale_response_is_expired() {
    responder.now = NOW.minus(Duration.ofDays(2));
    assertThat(check(leafWithOcsp().certificate(), null).get(0).detail())
        .contains("expired OCSP response");
  }

  @Test
  void critical_single_extension_is_unknown() {
    responder.criticalSingleExtension = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.7");
    CertificateStatus s = check(leafWithOcsp().certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("unsupported critical extension 1.3.6.1.4.1.99999.7");
  }

  @Test
  void oversized_response_is_unknown() {
    responder.padBytes = 21 * 1024;
    CertificateStatus s = check(leafWithOcsp().certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("size limit of 20480 bytes");
  }

  @Test
  void responder_down_is_unknown_and_names_the_url() throws Exception {
    String url = "http://127.0.0.1:" + LoopbackProcess.freePort() + "/ocsp";
    TestPki.Issued leaf =
        TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US")
            .ocsp(url)
            .keyType(TestPki.KeyType.EC_P256)
            .issuedBy(root);
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains(url).contains("request failed");
  }

  @Test
  void http_error_status_is_unknown() {
    server.handle("/ocsp", ex -> LocalHttpServer.respond(ex, 500, new byte[0]));
    assertThat(check(leafWithOcsp().certificate(), null).get(0).detail())
        .contains("HTTP status 500");
  }

  @Test
  void unsuccessful_ocsp_status_is_unknown() throws Exception {
    byte[] tryLater = OcspResponder.statusOnly(3);
    server.serve("/ocsp", tryLater);
    assertThat(check(leafWithOcsp().certificate(), null).get(0).detail())
        .contains("OCSP response status 3");
  }

  @Test
  void slow_responder_past_the_deadline_is_unknown() {
    server.slow("/ocsp");
    TestPki.Issued leaf = leafWithOcsp();
    Deadline tiny = Deadline.after(Clock.systemUTC(), Duration.ofMillis(200));
    CertificateStatus s =
        checker
            .check(
                List.of(leaf.certificate(), root.certificate()), Purpose.CODE_SIGNING, null, tiny)
            .get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
  }

  @Test
  void an_ocsp_request_is_cut_at_its_two_second_cap_inside_a_longer_deadline() {
    // The responder holds the request for 30 s and the deadline leaves 20 s: only the
    // per-request cap can end the wait with a time-limit failure.
    server.slow("/ocsp");
    CertificateStatus s = check(leafWithOcsp().certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail())
        .contains("request did not complete within its time limit (method timeout 2000 ms");
  }

  @Test
  void non_http_ocsp_url_is_unknown_with_notation_message() {
    TestPki.Issued leaf =
        TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US")
            .ocsp("https://ocsp.example/x")
            .keyType(TestPki.KeyType.EC_P256)
            .issuedBy(root);
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("OCSPServer protocol https is not supported");
  }

  @Test
  void redirect_to_https_is_refused() {
    server.handle(
        "/ocsp",
        ex -> {
          ex.getResponseHeaders().add("Location", "https://127.0.0.1:1/ocsp");
          LocalHttpServer.respond(ex, 302, new byte[0]);
        });
    assertThat(check(leafWithOcsp().certificate(), null).get(0).detail())
        .contains("only http URLs are followed");
  }

  @Test
  void redirect_to_http_is_followed() {
    server.handle("/moved", responder::handle);
    server.handle(
        "/ocsp",
        ex -> {
          String rest = ex.getRequestURI().getRawPath().substring("/ocsp".length());
          ex.getResponseHeaders().add("Location", server.url("/moved" + rest));
          LocalHttpServer.respond(ex, 302, new byte[0]);
        });
    assertThat(check(leafWithOcsp().certificate(), null).get(0).status())
        .isEqualTo(RevocationStatus.GOOD);
  }

  @Test
  void long_requests_use_post() {
    byte[] big = new byte[300];
    HttpFetcher.Request r =
        OcspCheck.httpRequest(URI.create("http://h/ocsp"), big, Duration.ofSeconds(2));
    assertThat(r.body()).isEqualTo(big);
    assertThat(r.contentType()).isEqualTo("application/ocsp-request");
    HttpFetcher.Request small =
        OcspCheck.httpRequest(
            URI.create("http://h/ocsp"),
            new byte[] {(byte) 0xfb, (byte) 0xff},
            Duration.ofSeconds(2));
    assertThat(small.body()).isNull();
    assertThat(small.uri().toString()).isEqualTo("http://h/ocsp/%2B%2F8%3D");
  }

  @Test
  void certificates_are_checked_each_against_its_issuer_and_the_root_is_not_checked() {
    TestPki.Issued inter =
        TestPki.intermediate("CN=Inter,O=Test,ST=WA,C=US")
            .ocsp(server.url("/ocsp"))
            .keyType(TestPki.KeyType.EC_P256)
            .issuedBy(root);
    OcspResponder interResponder =
        new OcspResponder(inter.certificate(), inter.privateKey(), NOW);
    server.handle("/ocsp2", interResponder::handle);
    TestPki.Issued leaf =
        TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US")
            .ocsp(server.url("/ocsp2"))
            .keyType(TestPki.KeyType.EC_P256)
            .issuedBy(inter);
    interResponder.revoke(leaf.certificate().getSerialNumber(), NOW.minusSeconds(5), null);
    List<CertificateStatus> r =
        checker.check(
            List.of(leaf.certificate(), inter.certificate(), root.certificate()),
            Purpose.CODE_SIGNING,
            null,
            deadline());
    assertThat(r)
        .extracting(CertificateStatus::status)
        .containsExactly(
            RevocationStatus.REVOKED, RevocationStatus.GOOD, RevocationStatus.NON_REVOKABLE);
    assertThat(r)
        .extracting(CertificateStatus::certificate)
        .containsExactly(leaf.certificate(), inter.certificate(), root.certificate());
  }

  @Test
  void certificate_without_locations_is_non_revokable() {
    TestPki.Issued leaf =
        TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US").keyType(TestPki.KeyType.EC_P256).issuedBy(root);
    assertThat(check(leaf.certificate(), null).get(0).status())
        .isEqualTo(RevocationStatus.NON_REVOKABLE);
    assertThat(responder.requests).isZero();
  }
}
