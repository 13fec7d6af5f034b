package dev.signet.notation.revocation;

import dev.signet.testkit.TestCrl;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.SettableClock;
import dev.signet.notation.x509.Purpose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.deadline.Deadline;
import dev.signet.testkit.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlCacheTest {
  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  static final TestPki.KeyType EC = TestPki.KeyType.EC_P256;

  LocalHttpServer server;
  SettableClock clock;
  TestPki.Issued root;
  TestPki.Issued leaf;
  URI leafCrl;
  OnlineRevocationChecker checker;

  @BeforeEach
  void setUp() throws Exception {
    server = new LocalHttpServer();
    clock = new SettableClock(NOW);
    root = TestPki.root("CN=Root,O=Test,ST=WA,C=US").keyType(EC).selfSigned();
    leaf =
        TestPki.leaf("CN=Leaf,O=Test,ST=WA,C=US")
            .keyType(EC)
            .crl(server.url("/leaf.crl"))
            .issuedBy(root);
    leafCrl = URI.create(server.url("/leaf.crl"));
  }

  @AfterEach
  void tearDown() {
    if (checker != null) {
      checker.close();
    }
    server.close();
  }

  static CachedCrl entry(String url, int size, Instant nextUpdate) {
    return new CachedCrl(URI.create(url), new byte[size], NOW, nextUpdate);
  }

  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(20));
  }

  TestCrl crl(Instant nextUpdate) {
    return new TestCrl(root.certificate(), root.privateKey(), NOW)
        .updates(NOW.minusSeconds(3600), nextUpdate);
  }

  RevocationStatus check() {
    return checker
        .check(
            List.of(leaf.certificate(), root.certificate()), Purpose.CODE_SIGNING, null, deadline())
        .get(0)
        .status();
  }

  @Test
  void in_memory_cache_evicts_least_recently_used_by_count_and_bytes() {
    InMemoryCrlCache cache = new InMemoryCrlCache(2, 100);
    cache.put(entry("http://a/1", 10, NOW));
    cache.put(entry("http://a/2", 10, NOW));
    assertThat(cache.get(URI.create("http://a/1"))).isPresent();
    cache.put(entry("http://a/3", 10, NOW));
    assertThat(cache.get(URI.create("http://a/2"))).isEmpty();
    assertThat(cache.get(URI.create("http://a/1"))).isPresent();
    cache.put(entry("http://a/4", 95, NOW));
    assertThat(cache.size()).isEqualTo(1);
    cache.put(entry("http://a/5", 101, NOW));
    assertThat(cache.get(URI.create("http://a/5"))).isEmpty();
    cache.remove(URI.create("http://a/4"));
    assertThat(cache.size()).isZero();
  }

  @Test
  void cached_crl_is_defensively_copied() {
    byte[] der = {1, 2, 3};
    CachedCrl c = new CachedCrl(URI.create("http://a"), der, NOW, NOW);
    der[0] = 9;
    c.der()[1] = 9;
    assertThat(c.der()).containsExactly(1, 2, 3);
    assertThat(c.freshAt(NOW)).isFalse();
    assertThat(c.freshAt(NOW.minusSeconds(1))).isTrue();
  }

  @Test
  void directory_cache_round_trips_and_evicts(@TempDir Path dir) throws Exception {
    DirectoryCrlCache cache = new DirectoryCrlCache(dir, 2);
    cache.put(new CachedCrl(URI.create("http://a/1"), new byte[] {1}, NOW, NOW.plusSeconds(5)));
    CachedCrl back = cache.get(URI.create("http://a/1")).orElseThrow();
    assertThat(back.der()).containsExactly(1);
    assertThat(back.nextUpdate()).isEqualTo(NOW.plusSeconds(5));
    assertThat(new DirectoryCrlCache(dir, 2).get(URI.create("http://a/1"))).isPresent();
    Files.setLastModifiedTime(
        Files.list(dir).filter(p -> p.toString().endsWith(".meta")).findFirst().orElseThrow(),
        java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
    cache.put(new CachedCrl(URI.create("http://a/2"), new byte[] {2}, NOW, NOW));
    cache.put(new CachedCrl(URI.create("http://a/3"), new byte[] {3}, NOW, NOW));
    assertThat(cache.get(URI.create("http://a/1"))).isEmpty();
    assertThat(cache.get(URI.create("http://a/3"))).isPresent();
    cache.remove(URI.create("http://a/3"));
    assertThat(cache.get(URI.create("http://a/3"))).isEmpty();
  }

  @Test
  void directory_cache_drops_corrupt_metadata(@TempDir Path dir) throws Exception {
    DirectoryCrlCache cache = new DirectoryCrlCache(dir, 5);
    cache.put(new CachedCrl(URI.create("http://a/1"), new byte[] {1}, NOW, NOW));
    Path meta =
        Files.list(dir).filter(p -> p.toString().endsWith(".meta")).findFirst().orElseThrow();
    Files.writeString(meta, "url=http\\://a/1\nnextUpdate=garbage\n");
    assertThat(cache.get(URI.create("http://a/1"))).isEmpty();
    assertThat(Files.exists(meta)).isFalse();
  }

  @Test
  void fresh_crl_is_served_from_cache_until_next_update() {
    checker = OnlineRevocationChecker.builder().clock(clock).build();
    server.serve("/leaf.crl", crl(NOW.plusSeconds(600)).build());
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
    assertThat(server.hits("/leaf.crl")).isEqualTo(1);
    clock.set(NOW.plusSeconds(601));
    server.serve("/leaf.crl", crl(NOW.plusSeconds(6000)).build());
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
    assertThat(server.hits("/leaf.crl")).isEqualTo(2);
  }

  @Test
  void directory_cache_serves_the_checker(@TempDir Path dir) throws Exception {
    checker =
        OnlineRevocationChecker.builder()
            .clock(clock)
            .crlCache(new DirectoryCrlCache(dir, 10))
            .build();
    server.serve("/leaf.crl", crl(NOW.plusSeconds(600)).build());
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
    assertThat(server.hits("/leaf.crl")).isEqualTo(1);
  }

  @Test
  void cached_crl_that_does_not_verify_is_dropped_and_refetched() {
    InMemoryCrlCache cache = new InMemoryCrlCache();
    TestPki.Issued other = TestPki.root("CN=Root,O=Test,ST=WA,C=US").keyType(EC).selfSigned();
    byte[] forged =
        new TestCrl(other.certificate(), other.privateKey(), NOW)
            .revoke(leaf.certificate().getSerialNumber(), NOW)
            .build();
    cache.put(new CachedCrl(leafCrl, forged, NOW, NOW.plusSeconds(600)));
    checker = OnlineRevocationChecker.builder().clock(clock).crlCache(cache).build();
    server.serve("/leaf.crl", crl(NOW.plusSeconds(600)).build());
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
    assertThat(server.hits("/leaf.crl")).isEqualTo(1);
  }

  @Test
  void stale_if_error_is_off_by_default() {
    checker = OnlineRevocationChecker.builder().clock(clock).build();
    server.serve("/leaf.crl", crl(NOW.plusSeconds(600)).build());
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
    clock.set(NOW.plusSeconds(700));
    server.handle("/leaf.crl", ex -> LocalHttpServer.respond(ex, 503, new byte[0]));
    assertThat(check()).isEqualTo(RevocationStatus.UNKNOWN);
  }

  @Test
  void stale_if_error_uses_the_cached_crl_within_the_allowed_staleness() {
    checker =
        OnlineRevocationChecker.builder().clock(clock).staleIfError(Duration.ofHours(1)).build();
    server.serve(
        "/leaf.crl",
        crl(NOW.plusSeconds(600)).revoke(leaf.certificate().getSerialNumber(), NOW).build());
    assertThat(check()).isEqualTo(RevocationStatus.REVOKED);
    server.handle("/leaf.crl", ex -> LocalHttpServer.respond(ex, 503, new byte[0]));
    clock.set(NOW.plusSeconds(700));
    CertificateStatus s =
        checker
            .check(
                List.of(leaf.certificate(), root.certificate()),
                Purpose.CODE_SIGNING,
                null,
                deadline())
            .get(0);
    assertThat(s.status()).isEqualTo(RevocationStatus.REVOKED);
    assertThat(s.detail()).contains("stale CRL").contains("HTTP status 503");
    clock.set(NOW.plusSeconds(600 + 3601));
    assertThat(check()).isEqualTo(RevocationStatus.UNKNOWN);
  }

  @Test
  void warm_prefetches_so_that_checks_need_no_download() {
    checker = OnlineRevocationChecker.builder().clock(clock).build();
    server.serve("/leaf.crl", crl(NOW.plusSeconds(600)).build());
    assertThat(checker.warm(List.of(leaf.certificate(), root.certificate()))).isEmpty();
    assertThat(server.hits("/leaf.crl")).isEqualTo(1);
    assertThat(checker.warm(List.of(leaf.certificate()), deadline())).isEmpty();
    assertThat(server.hits("/leaf.crl")).isEqualTo(1);
    server.handle("/leaf.crl", ex -> LocalHttpServer.respond(ex, 503, new byte[0]));
    assertThat(check()).isEqualTo(RevocationStatus.GOOD);
  }

  @Test
  void warm_reports_failures_and_rejects_crls_from_another_issuer() {
    checker = OnlineRevocationChecker.builder().clock(clock).build();
    TestPki.Issued other = TestPki.root("CN=Root,O=Test,ST=WA,C=US").keyType(EC).selfSigned();
    server.serve(
        "/leaf.crl",
        new TestCrl(other.certificate(), other.privateKey(), NOW).build());
    List<String> failures = checker.warm(List.of(leaf.certificate(), root.certificate()));
    assertThat(failures)
        .singleElement()
        .asString()
        .contains(leafCrl.toString())
        .contains("not signed");
    server.handle("/leaf.crl", ex -> LocalHttpServer.respond(ex, 404, new byte[0]));
    assertThat(checker.warm(List.of(leaf.certificate())))
        .singleElement()
        .asString()
        .contains("404");
  }
}
