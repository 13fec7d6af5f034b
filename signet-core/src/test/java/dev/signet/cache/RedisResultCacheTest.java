package dev.signet.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.signet.deadline.Deadline;
import dev.signet.reference.Digest;
import dev.signet.testkit.TestPki;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.ResultJson;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/** {@link RedisResultCache} against a real {@code redis-server} on 127.0.0.1. */
class RedisResultCacheTest {
  static final byte[] K1 = "k1-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final byte[] K2 = "k2-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final Clock CLOCK = Clock.systemUTC();

  @TempDir static Path dir;
  static RedisServer server;

  final List<RedisResultCache> caches = new ArrayList<>();
  UnifiedJedis admin;
  int image;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.start(dir.resolve("redis"));
  }

  @AfterAll
  static void stopRedis() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void connect() {
    admin = endpoint().connect();
    admin.flushAll();
  }

  @AfterEach
  void close() {
    caches.forEach(RedisResultCache::close);
    admin.close();
  }

  static RedisEndpoint endpoint() {
    // Every command of every test has this long: room for a loaded build machine (a stopped server
    // refuses at once, so no test waits for it).
    return new RedisEndpoint(server.url(), null, null, Duration.ofSeconds(5));
  }

  RedisResultCache replica(HmacKeys keys) {
    RedisResultCache c =
        new RedisResultCache(
            endpoint().connect(),
            endpoint().display(),
            keys,
            new CaffeineResultCache(100, CachePolicy.defaults(), Ticker.systemTicker()),
            CachePolicy.defaults(),
            CLOCK);
    caches.add(c);
    return c;
  }

  RedisResultCache replica() {
    return replica(HmacKeys.of(K1, List.of()));
  }

  ResultKey key(String fingerprint) {
    return new ResultKey(
        fingerprint,
        "registry.test/app",
        Digest.sha256(("image " + image++).getBytes(StandardCharsets.UTF_8)));
  }

  static VerificationResult result(boolean ok, ErrorCode code) {
    return new VerificationResult(
        "registry.test/app:v1",
        ok,
        List.of(
            VerifierReport.about("registry.test/app@sha256:aa")
                .verifier("notation", "notation")
                .referrer("sha256:bb", "application/vnd.cncf.notary.signature")
                .success(ok)
                .message(ok ? "ok" : "failed")
                .errorReason(ok ? "" : "why")
                .remediation(ok ? "" : "what to do")
                .errorCode(code)
                .failureKind(code == null ? null : CaffeineResultCacheTest.usualKind(code))
                .extensions(Map.of("Issuer", "CN=Test", "SN", "CN=Signer"))
                .build()));
  }

  static String entryKey(ResultKey key) {
    return "signet:v1:decision:" + key.fingerprint() + ":" + key.repository() + "@" + key.digest();
  }

  // ---------------------------------------------------------------- sharing

  @Test
  void a_decision_written_by_one_replica_is_read_by_another_with_the_same_fingerprint() {
    RedisResultCache a = replica();
    RedisResultCache b = replica();
    ResultKey key = key("sha256:config-1");
    VerificationResult allow = result(true, null);

    a.put(key, allow);

    assertThat(b.get(key)).hasValueSatisfying(r -> {
      assertThat(r.isSuccess()).isTrue();
      assertThat(ResultJson.of(r)).isEqualTo(ResultJson.of(allow));
      assertThat(r.subject()).isEqualTo(allow.subject());
    });
    assertThat(b.count(RedisResultCache.Event.SHARED_HIT)).isEqualTo(1);
    // Now in b's local cache: no second Redis read.
    assertThat(b.get(key)).isPresent();
    assertThat(b.count(RedisResultCache.Event.LOCAL_HIT)).isEqualTo(1);
    // Another fingerprint is another key.
    assertThat(b.get(new ResultKey("sha256:config-2", key.repository(), key.digest()))).isEmpty();
  }

  @Test
  void a_denial_read_from_redis_keeps_its_kind_and_is_kept_in_the_local_cache() {
    RedisResultCache a = replica();
    RedisResultCache b = replica();
    ResultKey key = key("sha256:config-1");
    VerificationResult deny = result(false, ErrorCode.VERIFY_REFERENCE_FAILURE);

    a.put(key, deny);

    assertThat(b.get(key)).hasValueSatisfying(r -> {
      assertThat(r.failureKind()).contains(FailureKind.DENIED);
      assertThat(r.verifierReports().get(0).failureKind()).isEqualTo(FailureKind.DENIED);
    });
    assertThat(b.get(key)).isPresent();
    assertThat(b.count(RedisResultCache.Event.SHARED_HIT)).isEqualTo(1);
    assertThat(b.count(RedisResultCache.Event.LOCAL_HIT)).isEqualTo(1);
  }

  @Test
  void redis_expires_entries_after_the_policy_lifetime_and_transient_failures_are_not_written() {
    RedisResultCache a = replica();
    ResultKey allow = key("f");
    ResultKey unsigned = key("f");
    ResultKey unreachable = key("f");

    a.put(allow, result(true, null));
    a.put(unsigned, result(false, ErrorCode.NO_VERIFIER_REPORT));
    a.put(unreachable, result(false, ErrorCode.REFERRER_STORE_FAILURE));

    assertThat(admin.pttl(entryKey(allow))).isBetween(1L, 10_000L).isGreaterThan(2_000L);
    assertThat(admin.pttl(entryKey(unsigned))).isBetween(1L, 2_000L);
    assertThat(admin.exists(entryKey(unreachable))).isFalse();
  }

  // ---------------------------------------------------------------- integrity

  @Test
  void an_unsigned_entry_saying_isSuccess_true_is_a_counted_miss() {
    RedisResultCache a = replica();
    ResultKey key = key("f");
    admin.set(entryKey(key), ResultJson.of(result(true, null)).toString());

    assertThat(a.get(key)).isEmpty();
    assertThat(a.count(RedisResultCache.Event.REJECTED_AUTHENTICATION)).isEqualTo(1);
    assertThat(a.count(RedisResultCache.Event.MISS)).isEqualTo(1);
  }

  @Test
  void an_entry_with_a_wrong_mac_or_made_with_another_key_is_a_counted_miss() {
    RedisResultCache a = replica();
    RedisResultCache intruder = replica(HmacKeys.of(K2, List.of()));
    ResultKey key = key("f");
    intruder.put(key, result(true, null));
    assertThat(a.get(key)).isEmpty();

    String genuine = sealed(K1, key, key, result(false, ErrorCode.VERIFY_REFERENCE_FAILURE));
    String[] parts = genuine.split("\\.", 3);
    String flipped = parts[2].replace("\"isSuccess\":false", "\"isSuccess\":true");
    assertThat(flipped).isNotEqualTo(parts[2]);
    admin.set(entryKey(key), parts[0] + "." + parts[1] + "." + flipped);
    assertThat(a.get(key)).isEmpty();

    admin.set(entryKey(key), "s1.not-base64!." + parts[2]);
    assertThat(a.get(key)).isEmpty();

    assertThat(a.count(RedisResultCache.Event.REJECTED_AUTHENTICATION)).isEqualTo(3);
  }

  @Test
  void an_entry_moved_from_another_image_or_fingerprint_does_not_authenticate() {
    RedisResultCache a = replica();
    ResultKey signed = key("f");
    ResultKey unsigned = key("f");
    ResultKey otherConfig = new ResultKey("g", unsigned.repository(), unsigned.digest());
    a.put(signed, result(true, null));
    a.put(otherConfig, result(true, null));

    admin.set(entryKey(unsigned), admin.get(entryKey(signed)));
    assertThat(a.get(unsigned)).isEmpty();
    admin.set(entryKey(unsigned), admin.get(entryKey(otherConfig)));
    assertThat(a.get(unsigned)).isEmpty();

    assertThat(a.count(RedisResultCache.Event.REJECTED_AUTHENTICATION)).isEqualTo(2);
  }

  @Test
  void an_authentic_entry_for_another_fingerprint_or_one_that_does_not_parse_is_a_counted_miss() {
    RedisResultCache a = replica();
    ResultKey key = key("f");
    ResultKey other = new ResultKey("g", key.repository(), key.digest());

    admin.set(entryKey(key), sealed(K1, key, other, result(true, null)));
    assertThat(a.get(key)).isEmpty();
    assertThat(a.count(RedisResultCache.Event.REJECTED_OTHER_KEY)).isEqualTo(1);

    admin.set(entryKey(key), macd(K1, entryKey(key), "{\"fingerprint\":\"f\", \"isSuccess\": true"));
    assertThat(a.get(key)).isEmpty();
    String noReports =
        "{\"fingerprint\":\"f\",\"repository\":\"" + key.repository() + "\",\"digest\":\""
            + key.digest() + "\",\"subject\":\"s\",\"expiresAt\":"
            + Instant.now().plusSeconds(5).toEpochMilli() + ",\"result\":{\"isSuccess\":true}}";
    admin.set(entryKey(key), macd(K1, entryKey(key), noReports));
    assertThat(a.get(key)).isEmpty();
    assertThat(a.count(RedisResultCache.Event.REJECTED_UNPARSABLE)).isEqualTo(2);
  }

  @Test
  void an_authentic_entry_replayed_after_its_expiry_is_a_counted_miss() {
    RedisResultCache a = replica();
    ResultKey key = key("f");
    admin.set(
        entryKey(key),
        SealedEntry.seal(
            HmacKeys.of(K1, List.of()), entryKey(key), key, result(true, null),
            Instant.now().minusSeconds(1)));
    assertThat(a.get(key)).isEmpty();
    admin.set(
        entryKey(key),
        SealedEntry.seal(
            HmacKeys.of(K1, List.of()), entryKey(key), key, result(true, null),
            Instant.now().plus(Duration.ofHours(1))));
    assertThat(a.get(key)).isEmpty();
    assertThat(a.count(RedisResultCache.Event.REJECTED_EXPIRY)).isEqualTo(2);
  }

  @Test
  void rotation_accepts_the_previous_key_and_writes_with_the_new_one() {
    RedisResultCache old = replica(HmacKeys.of(K1, List.of()));
    RedisResultCache rotated = replica(HmacKeys.of(K2, List.of(K1)));
    ResultKey byOld = key("f");
    ResultKey byRotated = key("f");

    old.put(byOld, result(true, null));
    rotated.put(byRotated, result(true, null));

    assertThat(rotated.get(byOld)).isPresent();
    // A replica not rotated yet does not know the new key: a miss, never a wrong answer.
    assertThat(old.get(byRotated)).isEmpty();
    assertThat(old.count(RedisResultCache.Event.REJECTED_AUTHENTICATION)).isEqualTo(1);
    RedisResultCache newOnly = replica(HmacKeys.of(K2, List.of()));
    assertThat(newOnly.get(byRotated)).isPresent();
    assertThat(newOnly.get(byOld)).isEmpty();
  }

  @Test
  void keys_shorter_than_32_bytes_are_refused_and_key_files_are_read_without_trailing_space()
      throws Exception {
    assertThatThrownBy(() -> HmacKeys.of("short".getBytes(StandardCharsets.UTF_8), List.of()))
        .hasMessageContaining("at least 32");
    Path file = dir.resolve("key");
    Files.write(file, (new String(K1, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));
    RedisResultCache fromFile = replica(HmacKeys.read(file, List.of()));
    ResultKey key = key("f");
    replica().put(key, result(true, null));
    assertThat(fromFile.get(key)).isPresent();
    assertThat(HmacKeys.read(file, List.of()).toString()).doesNotContain("k1-");
  }

  // ---------------------------------------------------------------- single flight

  @Test
  void replicas_asked_for_the_same_image_at_once_verify_it_once() throws Exception {
    List<RedisResultCache> replicas = List.of(replica(), replica(), replica());
    AtomicInteger verifications = new AtomicInteger();
    ResultKey key = key("f");
    List<Callable<VerificationResult>> asks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      RedisResultCache r = replicas.get(i % 3);
      asks.add(() -> r.getOrVerify(key, Deadline.after(CLOCK, Duration.ofSeconds(30)), () -> {
        verifications.incrementAndGet();
        sleepQuietly(300);
        return result(true, null);
      }));
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<VerificationResult> f : pool.invokeAll(asks)) {
        assertThat(f.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
    }
    assertThat(verifications).hasValue(1);
    assertThat(admin.keys("signet:v1:lock:*")).isEmpty();
  }

  @Test
  void a_lock_never_released_is_waited_for_at_most_half_the_deadline_then_the_replica_verifies() {
    RedisResultCache a = replica();
    ResultKey key = key("f");
    admin.set("signet:v1:lock:" + key.fingerprint() + ":" + key.repository() + "@" + key.digest(),
        "someone-else");
    Deadline deadline = Deadline.after(CLOCK, Duration.ofSeconds(6));

    VerificationResult r = a.getOrVerify(key, deadline, () -> result(true, null));

    assertThat(r.isSuccess()).isTrue();
    assertThat(deadline.expired()).isFalse();
    assertThat(a.count(RedisResultCache.Event.LOCK_WAIT_GAVE_UP)).isEqualTo(1);
  }

  @Test
  void a_transient_failure_of_the_leader_lets_a_waiting_replica_verify() throws Exception {
    RedisResultCache a = replica();
    RedisResultCache b = replica();
    ResultKey key = key("f");
    AtomicInteger calls = new AtomicInteger();
    java.util.concurrent.CountDownLatch leading = new java.util.concurrent.CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<VerificationResult> first = pool.submit(() -> a.getOrVerify(key,
          Deadline.after(CLOCK, Duration.ofSeconds(30)), () -> {
            calls.incrementAndGet();
            leading.countDown();
            sleepQuietly(300);
            return result(false, ErrorCode.REFERRER_STORE_FAILURE);
          }));
      // The second replica asks only once the first holds the lock and is verifying.
      assertThat(leading.await(60, TimeUnit.SECONDS)).isTrue();
      Future<VerificationResult> second = pool.submit(() -> b.getOrVerify(key,
          Deadline.after(CLOCK, Duration.ofSeconds(30)), () -> {
            calls.incrementAndGet();
            return result(true, null);
          }));
      assertThat(first.get(60, TimeUnit.SECONDS).isSuccess()).isFalse();
      assertThat(second.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(calls).hasValue(2);
  }

  // ---------------------------------------------------------------- Redis away

  @Test
  void without_redis_decisions_go_on_locally_and_sharing_resumes_when_it_returns()
      throws Exception {
    RedisResultCache a = replica();
    RedisResultCache b = replica();
    ResultKey before = key("f");
    a.put(before, result(true, null));
    server.stop();
    try {
      ResultKey during = key("f");
      VerificationResult r =
          a.getOrVerify(during, Deadline.after(CLOCK, Duration.ofSeconds(5)), () -> result(true, null));
      assertThat(r.isSuccess()).isTrue();
      assertThat(a.sharing()).isFalse();
      assertThat(a.count(RedisResultCache.Event.REDIS_FAILURE)).isPositive();
      // The local cache still answers.
      assertThat(a.get(before)).isPresent();
      assertThat(a.get(during)).isPresent();
      assertThat(b.get(before)).isEmpty();
    } finally {
      server.start();
    }
    ResultKey after = key("f");
    Instant guard = Instant.now().plusSeconds(30);
    while (!a.sharing() || b.get(after).isEmpty()) {
      assertThat(Instant.now()).as("sharing did not resume").isBefore(guard);
      a.put(after, result(true, null));
      Thread.sleep(100);
    }
    assertThat(b.count(RedisResultCache.Event.SHARED_HIT)).isPositive();
  }

  @Test
  void endpoints_refuse_passwords_in_the_url_unknown_schemes_and_timeouts_out_of_range() {
    assertThatThrownBy(() -> new RedisEndpoint(URI.create("redis://u:secret@h:1"), null, null,
            Duration.ofSeconds(1)))
        .hasMessageContaining("password-file")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> new RedisEndpoint(URI.create("http://h:1"), null, null, Duration.ofSeconds(1)))
        .hasMessageContaining("redis://");
    URI url = URI.create("redis://h:1");
    assertThat(new RedisEndpoint(url, null, null, Duration.ofMinutes(1)).timeout()).isEqualTo(Duration.ofMinutes(1));
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMillis(60_001))) {
      assertThatThrownBy(() -> new RedisEndpoint(url, null, null, bad))
          .hasMessage("the Redis timeout must be more than 0 and at most 60000 ms, found " + bad.toMillis() + " ms");
    }
  }

  @Test
  void over_tls_with_a_password_entries_are_shared_and_a_wrong_password_only_costs_sharing()
      throws Exception {
    TestPki.Issued tls =
        TestPki.leaf("CN=localhost").keyUsage(KeyUsage.digitalSignature)
            .extendedKeyUsage(false, KeyPurposeId.id_kp_serverAuth).ca(true)
            .issuedBy(TestPki.root("CN=Redis test CA").selfSigned());
    Path tlsDir = Files.createDirectories(dir.resolve("redis-tls"));
    Path cert = tlsDir.resolve("redis.crt");
    Path key = tlsDir.resolve("redis.key");
    Files.writeString(cert, pem("CERTIFICATE", tls.certificate().getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", tls.privateKey().getEncoded()));
    Path password = tlsDir.resolve("password");
    Files.writeString(password, "redis-test-password\n");
    Path wrong = tlsDir.resolve("wrong-password");
    Files.writeString(wrong, "not-it");
    try (RedisServer secure = RedisServer.startTls(tlsDir.resolve("data"), cert, key, "redis-test-password")) {
      URI url = URI.create("rediss://localhost:" + secure.port());
      RedisEndpoint good = new RedisEndpoint(url, password, cert, Duration.ofSeconds(10));
      RedisEndpoint badPassword = new RedisEndpoint(url, wrong, cert, Duration.ofSeconds(10));
      RedisEndpoint untrusted = new RedisEndpoint(url, password, null, Duration.ofSeconds(10));
      assertThat(good.display()).isEqualTo("rediss://localhost:" + secure.port());
      ResultKey k = key("f");
      try (RedisResultCache a = tlsReplica(good);
          RedisResultCache b = tlsReplica(good);
          RedisResultCache c = tlsReplica(badPassword);
          RedisResultCache d = tlsReplica(untrusted)) {
        a.put(k, result(true, null));
        assertThat(a.count(RedisResultCache.Event.SHARED_WRITE)).isEqualTo(1);
        assertThat(b.get(k)).isPresent();
        assertThat(b.count(RedisResultCache.Event.SHARED_HIT)).isEqualTo(1);
        for (RedisResultCache refused : List.of(c, d)) {
          assertThat(refused.get(k)).isEmpty();
          assertThat(refused.count(RedisResultCache.Event.REDIS_FAILURE)).isEqualTo(1);
          assertThat(refused.getOrVerify(k, Deadline.after(CLOCK, Duration.ofSeconds(5)),
              () -> result(true, null)).isSuccess()).isTrue();
        }
      }
    }
  }

  RedisResultCache tlsReplica(RedisEndpoint endpoint) {
    return new RedisResultCache(endpoint.connect(), endpoint.display(), HmacKeys.of(K1, List.of()),
        new CaffeineResultCache(100, CachePolicy.defaults(), Ticker.systemTicker()),
        CachePolicy.defaults(), CLOCK);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  // ---------------------------------------------------------------- helpers

  static String sealed(byte[] k, ResultKey at, ResultKey claimed, VerificationResult r) {
    // Sealed for the Redis key of `at`, claiming to be for `claimed`.
    String real = SealedEntry.seal(HmacKeys.of(k, List.of()), entryKey(at), claimed, r,
        Instant.now().plusSeconds(5));
    return real;
  }

  static String macd(byte[] k, String redisKey, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(k, "HmacSHA256"));
      mac.update("signet decision cache v1\n".getBytes(StandardCharsets.UTF_8));
      mac.update((redisKey + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] m = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
      return "s1." + Base64.getUrlEncoder().withoutPadding().encodeToString(m) + "." + payload;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
