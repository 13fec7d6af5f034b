package dev.signet.verify;

import dev.signet.policy.ConfigPolicy;
import dev.signet.result.ErrorCode;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.oci.registry.CredentialProvider;
import dev.signet.oci.registry.FakeRegistry;
import dev.signet.oci.registry.RegistryOptions;
import dev.signet.oci.registry.RegistryStore;
import dev.signet.reference.Reference;
import dev.signet.testing.DelegatingStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Referrers listed from every configured store, each judged with the store that listed it. */
class ExecutorStoresTest {
  static final Clock CLOCK = Clock.systemUTC();
  static final String REPO = "registry.test/team/app";
  static final String SBOM = "application/spdx+json";

  final MemoryStore first = new MemoryStore();
  final MemoryStore second = new MemoryStore();
  final Signing pki = new Signing("Stores");

  Executor executor(List<ReferrerStore> stores, ReferenceVerifier... verifiers) {
    return new Executor(
        stores, List.of(verifiers), new ConfigPolicy(Map.of()), Duration.ofSeconds(20), CLOCK);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void each_store_contributes_its_signature_and_each_is_fetched_from_its_own_store() {
    Descriptor image = first.image("two-stores", "v1");
    Descriptor inFirst = first.signature(image, pki.sign(image));
    Descriptor inSecond = second.signature(image, pki.sign(image));
    assertThat(inFirst.digest()).isNotEqualTo(inSecond.digest());

    VerificationResult result =
        executor(List.of(first, second), pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.verifierReports())
        .extracting(VerifierReport::referenceDigest, VerifierReport::isSuccess)
        .containsExactly(tuple(inFirst.digest().toString(), true), tuple(inSecond.digest().toString(), true));
    // Each signature's manifest and envelope come from the store that listed it, and only from it.
    assertThat(first.count(MemoryStore.Op.MANIFEST)).isEqualTo(1);
    assertThat(first.count(MemoryStore.Op.BLOB)).isEqualTo(1);
    assertThat(second.count(MemoryStore.Op.MANIFEST)).isEqualTo(1);
    assertThat(second.count(MemoryStore.Op.BLOB)).isEqualTo(1);
    assertThat(first.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
    assertThat(second.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
    // The subject is resolved once, by the first store that knows it.
    assertThat(first.count(MemoryStore.Op.RESOLVE)).isEqualTo(1);
    assertThat(second.count(MemoryStore.Op.RESOLVE)).isZero();
  }

  @Test
  void a_signature_only_the_second_store_holds_is_judged_and_can_deny() {
    Descriptor image = first.image("bad-in-second", "v1");
    first.signature(image, pki.sign(image));
    Descriptor untrusted = second.signature(image, new Signing("Stranger").sign(image));

    VerificationResult result =
        executor(List.of(first, second), pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    // The default policy wants every signature to pass: the second store's one does not.
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).hasSize(2);
    assertThat(result.verifierReports().get(1).referenceDigest()).isEqualTo(untrusted.digest().toString());
    assertThat(result.verifierReports().get(1).isSuccess()).isFalse();
  }

  @Test
  void reports_are_in_store_order_then_listing_order_whatever_the_timing() {
    Descriptor image = first.image("ordered", "v1");
    Descriptor a1 = first.referrer(image, "application/slow", bytes("a1"), "text/plain");
    Descriptor a2 = first.referrer(image, "application/x", bytes("a2"), "text/plain");
    Descriptor b1 = second.referrer(image, "application/x", bytes("b1"), "text/plain");
    Descriptor b2 = second.referrer(image, "application/x", bytes("b2"), "text/plain");
    RecordingVerifier slow = new RecordingVerifier("slow", Set.of("application/slow"), Set.of(), true);
    slow.pauseMillis = 300;
    RecordingVerifier fast = new RecordingVerifier("fast", Set.of("*"), Set.of(), true);
    // The first store's listing is the slower one too.
    first.slow.put(MemoryStore.Op.REFERRERS, 200L);

    VerificationResult result = executor(List.of(first, second), slow, fast).verify(REPO + ":v1");

    assertThat(result.verifierReports())
        .extracting(VerifierReport::referenceDigest)
        .containsExactly(
            a1.digest().toString(), a2.digest().toString(), b1.digest().toString(), b2.digest().toString());
    assertThat(first.count(MemoryStore.Op.MANIFEST)).isEqualTo(2);
    assertThat(second.count(MemoryStore.Op.MANIFEST)).isEqualTo(2);
  }

  @Test
  void the_stores_are_listed_in_parallel() {
    Descriptor image = first.image("parallel", "v1");
    first.signature(image, pki.sign(image));
    second.signature(image, pki.sign(image));
    // Each listing waits until the other one has started: listed one after the other, both fail.
    CountDownLatch bothListing = new CountDownLatch(2);
    List<ReferrerStore> stores =
        List.of(new Rendezvous(first, bothListing), new Rendezvous(second, bothListing));

    VerificationResult result = executor(stores, pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.verifierReports()).hasSize(2);
  }

  @Test
  void a_referrer_listed_by_two_stores_is_judged_once_with_the_first_store() {
    Descriptor image = first.image("shared", "v1");
    second.image("shared", "v1");
    byte[] envelope = pki.sign(image);
    Descriptor inFirst = first.signature(image, envelope);
    Descriptor inSecond = second.signature(image, envelope);
    assertThat(inSecond.digest()).isEqualTo(inFirst.digest());
    RecordingVerifier recording =
        new RecordingVerifier("recording", Set.of(MediaTypes.NOTARY_SIGNATURE), Set.of(), true);

    VerificationResult result = executor(List.of(first, second), recording).verify(REPO + ":v1");

    assertThat(result.isSuccess()).isTrue();
    assertThat(result.verifierReports()).singleElement()
        .satisfies(r -> assertThat(r.referenceDigest()).isEqualTo(inFirst.digest().toString()));
    assertThat(recording.judged).containsExactly(inFirst.digest().toString());
    assertThat(first.count(MemoryStore.Op.MANIFEST)).isEqualTo(1);
    assertThat(second.count(MemoryStore.Op.MANIFEST)).isZero();
    assertThat(second.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
  }

  @Test
  void the_first_store_in_configuration_order_wins_a_duplicate() {
    Descriptor image = first.image("shared-reversed", "v1");
    byte[] envelope = pki.sign(image);
    first.signature(image, envelope);
    second.signature(image, envelope);

    VerificationResult result =
        executor(List.of(second, first), pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.verifierReports()).hasSize(1);
    assertThat(second.count(MemoryStore.Op.BLOB)).isEqualTo(1);
    assertThat(first.count(MemoryStore.Op.BLOB)).isZero();
  }

  @Test
  void a_store_that_fails_to_list_fails_the_verification_and_is_named() {
    Descriptor image = first.image("failing", "v1");
    first.signature(image, pki.sign(image));
    second.failing.put(MemoryStore.Op.REFERRERS, "503 Service Unavailable");
    RecordingVerifier recording = new RecordingVerifier("recording", Set.of("*"), Set.of(), true);

    VerificationResult result = executor(List.of(first, second), recording).verify(REPO + ":v1");

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).singleElement().satisfies(r -> {
      assertThat(r.errorCode()).isEqualTo(ErrorCode.LIST_REFERRERS_FAILURE);
      assertThat(r.message()).contains("store 2 (MemoryStore)");
      assertThat(r.errorReason()).contains("503 Service Unavailable");
    });
    assertThat(recording.judged).isEmpty();
  }

  @Test
  void a_store_that_does_not_know_the_subject_contributes_nothing() {
    Descriptor image = second.image("only-in-second", "v1");
    Descriptor signature = second.signature(image, pki.sign(image));

    VerificationResult result =
        executor(List.of(first, second), pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.verifierReports()).singleElement()
        .satisfies(r -> assertThat(r.referenceDigest()).isEqualTo(signature.digest().toString()));
    assertThat(first.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
    assertThat(first.count(MemoryStore.Op.MANIFEST)).isZero();
  }

  @Test
  void a_registry_that_does_not_know_the_repository_contributes_nothing() throws Exception {
    try (FakeRegistry registry = new FakeRegistry();
        RegistryStore empty =
            RegistryStore.create(RegistryOptions.defaults(), CredentialProvider.anonymous(), CLOCK)) {
      Descriptor image = first.image("registry-empty", "v1");
      Descriptor signature = first.signature(image, pki.sign(image));
      Executor executor = executor(List.of(first, empty), pki.notation("notation", CLOCK));

      VerificationResult result = executor.verify(registry.host() + "/team/app:v1");

      assertThat(result.isSuccess()).as(result.toString()).isTrue();
      assertThat(result.verifierReports()).singleElement()
          .satisfies(r -> assertThat(r.referenceDigest()).isEqualTo(signature.digest().toString()));
      // The registry was asked (and said NAME_UNKNOWN): it was listed, not skipped.
      assertThat(registry.count("GET", "/referrers/")).isEqualTo(1);
      assertThat(executor.storeName(empty)).isEqualTo("store 2 (oras)");
    }
  }

  @Test
  void a_store_still_listing_at_the_deadline_fails_naming_the_step_and_the_store() {
    Descriptor image = first.image("slow-second", "v1");
    first.signature(image, pki.sign(image));
    second.slow.put(MemoryStore.Op.REFERRERS, 30_000L);
    // Store 1 answers within the budget even on a loaded machine; store 2 never does.
    Executor executor =
        new Executor(List.of(first, second), List.of(pki.notation("notation", CLOCK)),
            new ConfigPolicy(Map.of()), Duration.ofSeconds(2), CLOCK);

    VerificationResult result = executor.verify(REPO + ":v1");

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).singleElement().satisfies(r -> {
      assertThat(r.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
      assertThat(r.extensions()).containsEntry("step", "list referrers");
      assertThat(r.errorReason()).contains("store 2 (MemoryStore)").doesNotContain("store 1");
    });
  }

  @Test
  void nested_referrers_are_listed_and_fetched_from_the_store_that_listed_the_parent() {
    Descriptor image = first.image("nested", "v1");
    second.image("nested", "v1");
    Descriptor sbom = second.referrer(image, SBOM, bytes("{\"spdxVersion\":\"SPDX-2.3\"}"), SBOM);
    Descriptor good = second.signature(sbom, pki.sign(sbom));
    // The first store also lists a (bad) signature of the SBOM: it must not be consulted.
    first.signature(sbom, new Signing("Stranger").sign(sbom));
    RecordingVerifier sbomVerifier =
        new RecordingVerifier("sbom", Set.of(SBOM), Set.of(MediaTypes.NOTARY_SIGNATURE), true);

    VerificationResult result =
        executor(List.of(first, second), sbomVerifier, pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.verifierReports()).singleElement().satisfies(r -> {
      assertThat(r.referenceDigest()).isEqualTo(sbom.digest().toString());
      assertThat(r.nestedResults()).singleElement().satisfies(n -> {
        assertThat(n.referenceDigest()).isEqualTo(good.digest().toString());
        assertThat(n.isSuccess()).isTrue();
      });
    });
    assertThat(first.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
    assertThat(second.count(MemoryStore.Op.REFERRERS)).isEqualTo(2);
    assertThat(first.count(MemoryStore.Op.MANIFEST) + first.count(MemoryStore.Op.BLOB)).isZero();
    assertThat(second.count(MemoryStore.Op.BLOB)).isEqualTo(1);
  }

  @Test
  void a_nested_listing_failure_names_the_listing_store() {
    Descriptor image = first.image("nested-failing", "v1");
    Descriptor sbom = second.referrer(image, SBOM, bytes("{}"), SBOM);
    RecordingVerifier sbomVerifier =
        new RecordingVerifier("sbom", Set.of(SBOM), Set.of(MediaTypes.NOTARY_SIGNATURE), true);
    // Fails from the second listing on: the subject's own listing passes, the nested one does not.
    Executor executor = executor(List.of(first, new FailingAfter(second, 1)), sbomVerifier);

    VerificationResult result = executor.verify(REPO + ":v1");

    assertThat(result.isSuccess()).isFalse();
    VerifierReport report = result.verifierReports().get(0);
    assertThat(report.referenceDigest()).isEqualTo(sbom.digest().toString());
    assertThat(report.message()).isEqualTo("nested verification failed");
    assertThat(report.nestedResults()).singleElement().satisfies(n -> {
      assertThat(n.errorCode()).isEqualTo(ErrorCode.LIST_REFERRERS_FAILURE);
      assertThat(n.message()).contains("store 2 (FailingAfter)");
    });
  }

  @Test
  void decisions_over_two_stores_are_cached() {
    Descriptor image = first.image("decided", "v1");
    first.signature(image, pki.sign(image));
    second.signature(image, pki.sign(image));
    Executor executor = executor(List.of(first, second), pki.notation("notation", CLOCK));
    DecisionService decisions =
        new DecisionService(() -> ConfiguredExecutor.local(1, executor), new CaffeineResultCache(), CLOCK);
    String byDigest = REPO + "@" + image.digest();

    VerificationResult once = decisions.decide(byDigest);
    VerificationResult twice = decisions.decide(byDigest);

    assertThat(once.isSuccess()).as(once.toString()).isTrue();
    assertThat(once.verifierReports()).hasSize(2);
    assertThat(twice.verifierReports()).isEqualTo(once.verifierReports());
    assertThat(first.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
    assertThat(second.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
  }

  // ------------------------------------------------------------------ store doubles

  /** Delegates to a store; each listing waits (up to 5 s) until every listing has started. */
  private static final class Rendezvous extends DelegatingStore {
    private final CountDownLatch started;

    Rendezvous(ReferrerStore store, CountDownLatch started) {
      super(store);
      this.started = started;
    }

    @Override
    public List<Descriptor> referrers(
        Reference repository, Descriptor subject, String artifactType, Deadline deadline)
        throws StoreException, DeadlineExceededException {
      started.countDown();
      try {
        if (!started.await(5, TimeUnit.SECONDS)) {
          throw new StoreException("the other store was not listed at the same time");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted");
      }
      return super.referrers(repository, subject, artifactType, deadline);
    }
  }

  /** Delegates to a store; listings after the first {@code passing} ones fail. */
  private static final class FailingAfter extends DelegatingStore {
    private final java.util.concurrent.atomic.AtomicInteger left;

    FailingAfter(ReferrerStore store, int passing) {
      super(store);
      this.left = new java.util.concurrent.atomic.AtomicInteger(passing);
    }

    /** Named for itself, so that a message shows which store listed. */
    @Override
    public String describe() {
      return "FailingAfter";
    }

    @Override
    public List<Descriptor> referrers(
        Reference repository, Descriptor subject, String artifactType, Deadline deadline)
        throws StoreException, DeadlineExceededException {
      if (left.getAndDecrement() <= 0) {
        throw new StoreException("referrers of " + subject.digest() + ": connection reset");
      }
      return super.referrers(repository, subject, artifactType, deadline);
    }
  }
}
