package dev.signet.notation.revocation;

import dev.signet.testkit.TestCrl;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.SettableClock;
import dev.signet.notation.x509.Purpose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.deadline.Deadline;
import dev.signet.testkit.TestPki;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnlineRevocationCheckerCrlTest {
  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  static final TestPki.KeyType EC = TestPki.KeyType.EC_P256;

  LocalHttpServer server;
  SettableClock clock;
  InMemoryCrlCache cache;
  OnlineRevocationChecker checker;
  TestPki.Issued root;
  TestPki.Issued inter;

  @BeforeEach
  void setUp() throws IOException {
    server = new LocalHttpServer();
    clock = new SettableClock(NOW);
    cache = new InMemoryCrlCache();
    checker = OnlineRevocationChecker.builder().clock(clock).crlCache(cache).build();
    root = TestPki.root("CN=Root,O=Test,ST=WA,C=US").keyType(EC).selfSigned();
    inter =
        TestPki.intermediate("CN=Inter,O=Test,ST=WA,C=US")
            .keyType(EC)
            .crl(server.url("/inter.crl"))
            .issuedBy(root);
  }

  @AfterEach
  void tearDown() {
    checker.close();
    server.close();
  }

  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(20));
  }

  TestCrl crlBy(TestPki.Issued issuer) {
    return new TestCrl(issuer.certificate(), issuer.privateKey(), NOW);
  }

  TestPki.Issued leaf(String... crlPaths) {
    TestPki.Builder b = TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US").keyType(EC);
    for (String p : crlPaths) {
      b.crl(server.url(p));
    }
    return b.issuedBy(inter);
  }

  List<CertificateStatus> check(X509Certificate leaf, Instant signingTime) {
    return checker.check(
        List.of(leaf, inter.certificate(), root.certificate()),
        Purpose.CODE_SIGNING,
        signingTime,
        deadline());
  }

  @Test
  void empty_crls_give_good_for_every_checked_certificate() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve("/leaf.crl", crlBy(inter).build());
    List<CertificateStatus> r = check(leaf("/leaf.crl").certificate(), null);
    assertThat(r)
        .extracting(CertificateStatus::status)
        .containsExactly(
            RevocationStatus.GOOD, RevocationStatus.GOOD, RevocationStatus.NON_REVOKABLE);
  }

  @Test
  void revoked_intermediate_is_revoked_and_detail_names_crl_url() {
    server.serve(
        "/inter.crl",
        crlBy(root).revoke(inter.certificate().getSerialNumber(), NOW.minusSeconds(60)).build());
    server.serve("/leaf.crl", crlBy(inter).build());
    List<CertificateStatus> r = check(leaf("/leaf.crl").certificate(), null);
    assertThat(r.get(0).status()).isEqualTo(RevocationStatus.GOOD);
    assertThat(r.get(1).status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(r.get(1).detail())
        .contains("certificate is revoked via CRL")
        .contains(server.url("/inter.crl"));
  }

  @Test
  void every_distribution_point_is_checked() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf = leaf("/a.crl", "/b.crl");
    server.serve("/a.crl", crlBy(inter).build());
    server.serve(
        "/b.crl",
        crlBy(inter).revoke(leaf.certificate().getSerialNumber(), NOW.minusSeconds(9)).build());
    assertThat(check(leaf.certificate(), null).get(0).status()).isEqualTo(RevocationStatus.REVOKED);
    server.handle("/b.crl", ex -> LocalHttpServer.respond(ex, 404, new byte[0]));
    cache.remove(java.net.URI.create(server.url("/b.crl")));
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains(server.url("/b.crl")).contains("HTTP status 404");
  }

  @Test
  void expired_crl_is_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve(
        "/leaf.crl",
        crlBy(inter).updates(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1))).build());
    CertificateStatus s = check(leaf("/leaf.crl").certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("expired CRL. Current time");
  }

  @Test
  void crl_without_next_update_is_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve("/leaf.crl", crlBy(inter).updates(NOW.minusSeconds(60), null).build());
    assertThat(check(leaf("/leaf.crl").certificate(), null).get(0).detail())
        .contains("CRL NextUpdate is not set");
  }

  @Test
  void crl_signed_by_another_key_is_unknown() {
    TestPki.Issued impostor =
        TestPki.intermediate("CN=Inter,O=Test,ST=WA,C=US").keyType(EC).issuedBy(root);
    server.serve("/inter.crl", crlBy(root).build());
    server.serve("/leaf.crl", crlBy(impostor).build());
    CertificateStatus s = check(leaf("/leaf.crl").certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("CRL is not signed by CA");
  }

  @Test
  void issuer_without_crl_sign_key_usage_is_unknown() {
    TestPki.Issued noCrlSign =
        TestPki.intermediate("CN=Inter2,O=Test,ST=WA,C=US")
            .keyType(EC)
            .keyUsage(KeyUsage.keyCertSign)
            .issuedBy(root);
    TestPki.Issued leaf =
        TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US")
            .keyType(EC)
            .crl(server.url("/l.crl"))
            .issuedBy(noCrlSign);
    server.serve("/l.crl", crlBy(noCrlSign).build());
    CertificateStatus s =
        checker
            .check(
                List.of(leaf.certificate(), noCrlSign.certificate()),
                Purpose.CODE_SIGNING,
                null,
                deadline())
            .get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("cRLSign");
  }

  @Test
  void hold_means_revoked_until_a_later_remove_from_crl() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf = leaf("/leaf.crl");
    BigInteger serial = leaf.certificate().getSerialNumber();
    server.serve(
        "/leaf.crl",
        crlBy(inter)
            .revoke(serial, NOW.minusSeconds(600), CRLReason.certificateHold, null, null)
            .build());
    assertThat(check(leaf.certificate(), null).get(0).status()).isEqualTo(RevocationStatus.REVOKED);

    server.serve(
        "/leaf.crl",
        crlBy(inter)
            .revoke(serial, NOW.minusSeconds(600), CRLReason.certificateHold, null, null)
            .revoke(serial, NOW.minusSeconds(300), CRLReason.removeFromCRL, null, null)
            .build());
    cache.remove(java.net.URI.create(server.url("/leaf.crl")));
    assertThat(check(leaf.certificate(), null).get(0).status()).isEqualTo(RevocationStatus.GOOD);
  }

  @Test
  void invalidity_date_after_signing_time_is_good() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf = leaf("/leaf.crl");
    Instant invalidity = NOW.minus(Duration.ofDays(30));
    server.serve(
        "/leaf.crl",
        crlBy(inter)
            .revoke(
                leaf.certificate().getSerialNumber(),
                NOW.minusSeconds(60),
                CRLReason.keyCompromise,
                invalidity,
                null)
            .build());
    assertThat(check(leaf.certificate(), invalidity.minus(Duration.ofDays(1))).get(0).status())
        .isEqualTo(RevocationStatus.GOOD);
    assertThat(check(leaf.certificate(), invalidity.plus(Duration.ofDays(1))).get(0).status())
        .isEqualTo(RevocationStatus.REVOKED);
  }

  @Test
  void unknown_critical_entry_extension_is_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf = leaf("/leaf.crl");
    server.serve(
        "/leaf.crl",
        crlBy(inter)
            .revoke(
                leaf.certificate().getSerialNumber(),
                NOW.minusSeconds(60),
                null,
                null,
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.3"))
            .build());
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail())
        .contains("unsupported critical extension")
        .contains("1.3.6.1.4.1.99999.3");
  }

  @Test
  void unknown_critical_crl_extension_is_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve(
        "/leaf.crl",
        crlBy(inter)
            .extension(
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.4"), true, new DERUTF8String("x"))
            .build());
    CertificateStatus s = check(leaf("/leaf.crl").certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail())
        .contains("unsupported critical extension found in CRL: 1.3.6.1.4.1.99999.4");
  }

  @Test
  void issuing_distribution_point_is_accepted_but_scope_is_enforced() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve(
        "/leaf.crl",
        crlBy(inter)
            .extension(
                Extension.issuingDistributionPoint,
                true,
                new IssuingDistributionPoint(null, true, false, null, false, false))
            .build());
    assertThat(check(leaf("/leaf.crl").certificate(), null).get(0).status())
        .isEqualTo(RevocationStatus.GOOD);
    // A CA-only CRL says nothing about a leaf.
    server.serve(
        "/leaf2.crl",
        crlBy(inter)
            .extension(
                Extension.issuingDistributionPoint,
                true,
                new IssuingDistributionPoint(null, false, true, null, false, false))
            .build());
    CertificateStatus s = check(leaf("/leaf2.crl").certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("only covers CA certificates");
  }

  @Test
  void partial_and_indirect_crls_are_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    // Partial by reason: it lists only key compromises, so "not listed" proves nothing.
    server.serve(
        "/partial.crl",
        crlBy(inter)
            .extension(
                Extension.issuingDistributionPoint,
                true,
                new IssuingDistributionPoint(
                    null, false, false, new ReasonFlags(ReasonFlags.keyCompromise), false, false))
            .build());
    CertificateStatus partial = check(leaf("/partial.crl").certificate(), null).get(0);
    assertThat(partial.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(partial.detail()).contains("partial CRLs (onlySomeReasons) are not supported");
    // Indirect: it may list certificates of other issuers, whose entries Signet does not match.
    server.serve(
        "/indirect.crl",
        crlBy(inter)
            .extension(
                Extension.issuingDistributionPoint,
                true,
                new IssuingDistributionPoint(null, false, false, null, true, false))
            .build());
    CertificateStatus indirect = check(leaf("/indirect.crl").certificate(), null).get(0);
    assertThat(indirect.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(indirect.detail()).contains("indirect CRLs are not supported");
  }

  @Test
  void delta_crl_from_freshest_crl_revokes() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf = leaf("/leaf.crl");
    server.serve("/leaf.crl", crlBy(inter).number(4).freshest(server.url("/delta.crl")).build());
    server.serve(
        "/delta.crl",
        crlBy(inter)
            .number(5)
            .delta(4)
            .revoke(leaf.certificate().getSerialNumber(), NOW.minusSeconds(5))
            .build());
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(server.hits("/delta.crl")).isEqualTo(1);
  }

  @Test
  void delta_remove_from_crl_releases_a_hold_in_the_base() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf = leaf("/leaf.crl");
    BigInteger serial = leaf.certificate().getSerialNumber();
    server.serve(
        "/leaf.crl",
        crlBy(inter)
            .number(4)
            .freshest(server.url("/delta.crl"))
            .revoke(serial, NOW.minusSeconds(600), CRLReason.certificateHold, null, null)
            .build());
    server.serve(
        "/delta.crl",
        crlBy(inter)
            .number(5)
            .delta(4)
            .revoke(serial, NOW.minusSeconds(60), CRLReason.removeFromCRL, null, null)
            .build());
    assertThat(check(leaf.certificate(), null).get(0).status()).isEqualTo(RevocationStatus.GOOD);
  }

  @Test
  void delta_number_rules_are_enforced() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf = leaf("/leaf.crl");
    server.serve("/leaf.crl", crlBy(inter).number(4).freshest(server.url("/delta.crl")).build());
    server.serve("/delta.crl", crlBy(inter).number(4).delta(3).build());
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("is not greater than the base CRL number 4");

    server.serve("/leaf2.crl", crlBy(inter).number(4).freshest(server.url("/delta2.crl")).build());
    server.serve("/delta2.crl", crlBy(inter).number(6).delta(5).build());
    assertThat(check(leaf("/leaf2.crl").certificate(), null).get(0).detail())
        .contains("delta CRL indicator 5 is greater than the base CRL number 4");

    server.serve("/leaf3.crl", crlBy(inter).number(4).freshest(server.url("/delta3.crl")).build());
    server.serve("/delta3.crl", crlBy(inter).number(6).build());
    assertThat(check(leaf("/leaf3.crl").certificate(), null).get(0).detail())
        .contains("delta CRL has no delta CRL indicator");
  }

  @Test
  void certificate_freshest_crl_without_base_freshest_is_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve("/leaf.crl", crlBy(inter).build());
    TestPki.Issued leaf = leaf("/leaf.crl");
    // TestPki has no FreshestCRL option; build the leaf by hand with BouncyCastle.
    X509Certificate withFreshest =
        LeafWithFreshest.issue(inter, server.url("/leaf.crl"), server.url("/d.crl"));
    assertThat(leaf.certificate()).isNotNull();
    CertificateStatus s = check(withFreshest, null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("freshest CRL from certificate extension is not supported");
  }

  @Test
  void non_http_crl_url_is_unknown_with_notation_message() {
    server.serve("/inter.crl", crlBy(root).build());
    TestPki.Issued leaf =
        TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US")
            .keyType(EC)
            .crl("ldap://dir.example/cn=crl")
            .issuedBy(inter);
    CertificateStatus s = check(leaf.certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail())
        .contains("unsupported scheme: ldap. Only supports CRL URL in HTTP protocol");
  }

  @Test
  void oversized_crl_is_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    server.handle(
        "/leaf.crl",
        ex -> {
          // Chunked, so only the bounded reader can notice.
          ex.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[1024 * 1024];
          chunk[0] = 0x30;
          try (var out = ex.getResponseBody()) {
            for (int i = 0; i < 40; i++) {
              out.write(chunk);
            }
          } catch (IOException aborted) {
            // the client hung up, as expected
          }
        });
    CertificateStatus s = check(leaf("/leaf.crl").certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail()).contains("size limit of 33554432 bytes");
  }

  @Test
  void garbage_and_pem_crls_are_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve(
        "/leaf.crl",
        "-----BEGIN X509 CRL-----\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(check(leaf("/leaf.crl").certificate(), null).get(0).detail()).contains("PEM");
    server.serve("/leaf2.crl", new byte[] {0x30, 0x03, 0x02, 0x01});
    assertThat(check(leaf("/leaf2.crl").certificate(), null).get(0).detail())
        .contains("malformed CRL");
  }

  @Test
  void slow_crl_server_past_the_deadline_is_unknown() {
    server.serve("/inter.crl", crlBy(root).build());
    server.slow("/leaf.crl");
    TestPki.Issued leaf = leaf("/leaf.crl");
    Deadline tiny = Deadline.after(Clock.systemUTC(), Duration.ofMillis(200));
    List<CertificateStatus> r =
        checker.check(
            List.of(leaf.certificate(), inter.certificate(), root.certificate()),
            Purpose.CODE_SIGNING,
            null,
            tiny);
    assertThat(r.get(0).status()).isEqualTo(RevocationStatus.UNKNOWN);
  }

  @Test
  void a_crl_request_is_cut_at_its_five_second_cap_inside_a_longer_deadline() {
    // The server holds the request for 30 s and the deadline leaves 20 s: only the per-request
    // cap can end the wait with a time-limit failure.
    server.serve("/inter.crl", crlBy(root).build());
    server.slow("/leaf.crl");
    CertificateStatus s = check(leaf("/leaf.crl").certificate(), null).get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(s.detail())
        .contains("request did not complete within its time limit (method timeout 5000 ms");
  }

  @Test
  void certificates_are_checked_in_parallel() {
    // Each CRL is served only once both requests have arrived: a sequential checker would time
    // out on the first one.
    java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
    byte[] interCrl = crlBy(root).build();
    byte[] leafCrl = crlBy(inter).build();
    server.handle(
        "/inter.crl",
        ex -> {
          both.countDown();
          LocalHttpServer.respond(ex, awaitQuietly(both) ? 200 : 503, interCrl);
        });
    server.handle(
        "/leaf.crl",
        ex -> {
          both.countDown();
          LocalHttpServer.respond(ex, awaitQuietly(both) ? 200 : 503, leafCrl);
        });
    List<CertificateStatus> r = check(leaf("/leaf.crl").certificate(), null);
    assertThat(r)
        .extracting(CertificateStatus::status)
        .containsExactly(
            RevocationStatus.GOOD, RevocationStatus.GOOD, RevocationStatus.NON_REVOKABLE);
  }

  private static boolean awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      return latch.await(3, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void passed_deadline_gives_unknown_without_any_request() {
    server.serve("/inter.crl", crlBy(root).build());
    server.serve("/leaf.crl", crlBy(inter).build());
    Deadline passed = new Deadline(Clock.systemUTC(), Instant.now().minusSeconds(1));
    List<CertificateStatus> r =
        checker.check(
            List.of(leaf("/leaf.crl").certificate(), inter.certificate(), root.certificate()),
            Purpose.CODE_SIGNING,
            null,
            passed);
    assertThat(r.get(0).status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(r.get(1).status()).isEqualTo(RevocationStatus.UNKNOWN);
    assertThat(server.hits("/leaf.crl") + server.hits("/inter.crl")).isZero();
  }
}
