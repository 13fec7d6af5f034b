package dev.signet.verify;

import dev.signet.policy.ConfigPolicy;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CachePolicy;
import dev.signet.cache.CaffeineResultCache;
import dev.signet.oci.Descriptor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Decisions: digest cache hits without store requests, tags resolved each time, TTLs, single flight, generations. */
class DecisionServiceTest {
  static final Clock CLOCK = Clock.systemUTC();
  static final String REPO = "registry.test/team/app";

  final MemoryStore store = new MemoryStore();
  final Signing pki = new Signing("Decisions");
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final CaffeineResultCache cache = new CaffeineResultCache(1000, CachePolicy.defaults(), nanos::get);
  final AtomicReference<ConfiguredExecutor> current =
      new AtomicReference<>(ConfiguredExecutor.local(1, executor(pki, Duration.ofSeconds(20))));
  final DecisionService decisions = new DecisionService(current::get, cache, CLOCK);

  Executor executor(Signing trusted, Duration timeout) {
    return new Executor(
        List.of(store), List.of(trusted.notation("notation", CLOCK)), new ConfigPolicy(Map.of()), timeout, CLOCK);
  }

  Descriptor signedImage(String name, String tag) {
    Descriptor image = store.image(name, tag);
    store.signature(image, pki.sign(image));
    return image;
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void a_cached_digest_costs_no_store_request() {
    Descriptor image = signedImage("cached", null);
    String subject = REPO + "@" + image.digest();

    assertThat(decisions.decide(subject).isSuccess()).isTrue();
    int after = store.total();
    VerificationResult again = decisions.decide(subject);

    assertThat(again.isSuccess()).isTrue();
    assertThat(again.subject()).isEqualTo(subject);
    assertThat(store.total()).isEqualTo(after);
    assertThat(after).isEqualTo(4); // resolve, referrers, signature manifest, envelope
  }

  @Test
  void a_tag_is_resolved_every_time_and_shares_the_digest_entry() {
    Descriptor image = signedImage("tagged", "v1");

    VerificationResult first = decisions.decide(REPO + ":v1");
    VerificationResult second = decisions.decide(REPO + ":v1");
    VerificationResult byDigest = decisions.decide(REPO + "@" + image.digest());

    assertThat(List.of(first, second, byDigest)).allMatch(VerificationResult::isSuccess);
    assertThat(first.subject()).isEqualTo(REPO + ":v1");
    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(2);
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
  }

  @Test
  void the_same_digest_in_another_repository_is_decided_again() {
    Descriptor image = signedImage("two-repos", null);
    decisions.decide(REPO + "@" + image.digest());
    decisions.decide("registry.test/other/app@" + image.digest());
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);
  }

  @Test
  void a_decision_expires_after_the_ttl() {
    Descriptor image = signedImage("ttl", null);
    String subject = REPO + "@" + image.digest();
    decisions.decide(subject);

    advance(Duration.ofSeconds(9));
    decisions.decide(subject);
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);

    advance(Duration.ofSeconds(2));
    assertThat(decisions.decide(subject).isSuccess()).isTrue();
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);
  }

  @Test
  void no_signature_is_cached_for_the_short_ttl_only() {
    Descriptor image = store.image("unsigned", null);
    String subject = REPO + "@" + image.digest();

    VerificationResult first = decisions.decide(subject);
    decisions.decide(subject);
    assertThat(first.verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.NO_VERIFIER_REPORT);
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);

    // Signed right after: seen once the short TTL has passed.
    store.signature(image, pki.sign(image));
    advance(Duration.ofMillis(2_100));
    assertThat(decisions.decide(subject).isSuccess()).isTrue();
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);
  }

  @Test
  void a_store_failure_is_not_cached() {
    Descriptor image = signedImage("flaky", null);
    String subject = REPO + "@" + image.digest();
    store.failing.put(MemoryStore.Op.REFERRERS, "503 Service Unavailable");

    VerificationResult failed = decisions.decide(subject);
    store.failing.clear();
    VerificationResult recovered = decisions.decide(subject);

    assertThat(failed.verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.LIST_REFERRERS_FAILURE);
    assertThat(recovered.isSuccess()).isTrue();
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);
  }

  @Test
  void a_denial_is_cached() {
    Descriptor image = store.image("untrusted", null);
    store.signature(image, new Signing("Stranger").sign(image));
    String subject = REPO + "@" + image.digest();

    VerificationResult denied = decisions.decide(subject);
    VerificationResult again = decisions.decide(subject);

    assertThat(denied.isSuccess()).isFalse();
    assertThat(denied.failureKind()).contains(FailureKind.DENIED);
    assertThat(again).isEqualTo(denied);
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
    assertThat(decisions.cachedDecision(subject)).contains(denied);
  }

  @Test
  void a_failed_read_of_a_signature_is_transient_and_not_cached() {
    Descriptor image = signedImage("flaky-blob", null);
    String subject = REPO + "@" + image.digest();
    store.failing.put(MemoryStore.Op.BLOB, "503 Service Unavailable");

    VerificationResult failed = decisions.decide(subject);
    assertThat(decisions.cachedDecision(subject)).isEmpty();
    store.failing.clear();
    VerificationResult recovered = decisions.decide(subject);

    assertThat(failed.verifierReports().get(0).errorCode())
        .isEqualTo(ErrorCode.GET_BLOB_CONTENT_FAILURE);
    assertThat(failed.failureKind()).contains(FailureKind.TRANSIENT);
    assertThat(recovered.isSuccess()).isTrue();
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);
  }

  @Test
  void a_cached_decision_is_answered_only_when_this_process_holds_it() {
    Descriptor image = signedImage("at-hand", "v3");
    String byDigest = REPO + "@" + image.digest();

    assertThat(decisions.cachedDecision("not a reference")).isEmpty();
    assertThat(decisions.cachedDecision(byDigest)).isEmpty();
    assertThat(decisions.cachedDecision(REPO + ":v3")).isEmpty();
    decisions.decide(byDigest);
    int requests = store.total();

    assertThat(decisions.cachedDecision(byDigest))
        .hasValueSatisfying(r -> assertThat(r.isSuccess()).isTrue());
    // The tag was never resolved, so the caches alone cannot answer it.
    assertThat(decisions.cachedDecision(REPO + ":v3")).isEmpty();
    assertThat(store.total()).isEqualTo(requests);
  }

  @Test
  void a_deadline_failure_is_not_cached() {
    Descriptor image = signedImage("slow", null);
    String subject = REPO + "@" + image.digest();
    // The recovered decision is a whole verification inside the same budget: room for a loaded machine.
    current.set(ConfiguredExecutor.local(1, executor(pki, Duration.ofSeconds(3))));
    store.slow.put(MemoryStore.Op.BLOB, 30_000L);

    VerificationResult timedOut = decisions.decide(subject);
    store.slow.clear();
    VerificationResult recovered = decisions.decide(subject);

    assertThat(timedOut.isSuccess()).isFalse();
    assertThat(timedOut.verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(recovered.isSuccess()).isTrue();
  }

  @Test
  void a_new_generation_never_serves_the_old_decision() {
    Descriptor image = signedImage("rotated", null);
    String subject = REPO + "@" + image.digest();
    assertThat(decisions.decide(subject).isSuccess()).isTrue();

    // The trusted certificates change: the old allow must not be served.
    current.set(ConfiguredExecutor.local(2, executor(new Signing("Other Root"), Duration.ofSeconds(20))));
    VerificationResult afterRotation = decisions.decide(subject);

    assertThat(afterRotation.isSuccess()).isFalse();
    assertThat(afterRotation.verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.VERIFY_REFERENCE_FAILURE);
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);

    // A configuration change with the same trust material is decided afresh too.
    current.set(ConfiguredExecutor.local(3, executor(pki, Duration.ofSeconds(20))));
    assertThat(decisions.decide(subject).isSuccess()).isTrue();
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(3);
  }

  @Test
  void a_joined_caller_still_waiting_is_not_told_the_leader_stopped_waiting() throws Exception {
    Descriptor image = signedImage("coalesced", "v1");
    String subject = REPO + "@" + image.digest();
    // The first listing is slow: the leader's caller gives up while it runs.
    store.slow.put(MemoryStore.Op.REFERRERS, 2_000L);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<VerificationResult> leader = threads.submit(() -> decisions.decide(subject));
      while (decisions.inFlight() == 0) {
        Thread.onSpinWait();
      }
      Future<VerificationResult> joined = threads.submit(() -> decisions.decide(subject));
      while (store.count(MemoryStore.Op.REFERRERS) < 1) {
        Thread.onSpinWait();
      }
      store.slow.remove(MemoryStore.Op.REFERRERS);
      // The leader's caller stops waiting (as a batch does at its budget).
      leader.cancel(true);

      VerificationResult r = joined.get();

      assertThat(r.isSuccess()).as(r.toString()).isTrue();
      assertThat(r.toString()).doesNotContain("the caller stopped waiting");
    }
    // The joined caller led a second verification of its own.
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);
    assertThat(decisions.inFlight()).isZero();
  }

  @Test
  void identical_verifications_in_flight_cost_one_set_of_store_requests() throws Exception {
    Descriptor image = signedImage("popular", "v1");
    String subject = REPO + "@" + image.digest();
    // Slow enough that the callers pile up on the first verification.
    store.slow.put(MemoryStore.Op.REFERRERS, 300L);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<VerificationResult>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 100; i++) {
        results.add(threads.submit(() -> {
          start.await();
          return decisions.decide(subject);
        }));
      }
      start.countDown();
      for (Future<VerificationResult> f : results) {
        VerificationResult r = f.get();
        assertThat(r.isSuccess()).as(r.toString()).isTrue();
      }
    }
    assertThat(store.count(MemoryStore.Op.RESOLVE)).isEqualTo(1);
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
    assertThat(store.count(MemoryStore.Op.MANIFEST)).isEqualTo(1);
    assertThat(store.count(MemoryStore.Op.BLOB)).isEqualTo(1);
    assertThat(decisions.inFlight()).isZero();
  }

  @Test
  void a_batch_is_decided_in_order() {
    Descriptor image = signedImage("batch", "v2");
    List<VerificationResult> results =
        decisions.decideAll(List.of(REPO + ":v2", "not a reference", REPO + "@" + image.digest(), REPO + ":missing"));

    assertThat(results).extracting(VerificationResult::isSuccess).containsExactly(true, false, true, false);
    assertThat(results.get(1).verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.REFERENCE_INVALID);
    assertThat(results.get(3).verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.REFERRER_STORE_FAILURE);
  }
}
