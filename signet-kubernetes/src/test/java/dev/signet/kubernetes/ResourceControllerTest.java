package dev.signet.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.KeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedVerifier;
import dev.signet.kubernetes.resource.Policy;
import dev.signet.kubernetes.resource.ResourceStatus;
import dev.signet.kubernetes.resource.Store;
import dev.signet.kubernetes.resource.Verifier;
import dev.signet.result.VerificationResult;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller against the mock API server: resources in, engines, decisions and status out. */
class ResourceControllerTest extends ControllerFixture {
  @Test
  void the_chart_resources_make_a_working_engine_with_status() throws Exception {
    applyBaseline();
    startController();
    assertThat(allowed("", images.signedByA)).isTrue();
    assertThat(allowed("", images.unsigned)).isFalse();
    VerificationResult untrusted = decisions.verify("default", images.signedByB);
    assertThat(untrusted.isSuccess()).isFalse();
    assertThat(untrusted.verifierReports().getFirst().verifierName()).isEqualTo("verifier-notation");

    MockCluster.await("statuses are written", () -> status(Verifier.class, null, "verifier-notation") != null
        && status(Policy.class, null, "ratify-policy") != null
        && status(Store.class, null, "store-layout") != null);
    assertThat(status(Verifier.class, null, "verifier-notation").issuccess).isTrue();
    assertThat(status(Policy.class, null, "ratify-policy").issuccess).isTrue();
    assertThat(status(Store.class, null, "store-layout").issuccess).isTrue();
    MockCluster.await("the provider status is written",
        () -> status(KeyManagementProvider.class, null, "ratify-notation-inline-cert-0") != null);
    var kmp = (dev.signet.kubernetes.resource.ProviderStatus)
        status(KeyManagementProvider.class, null, "ratify-notation-inline-cert-0");
    assertThat(kmp.issuccess).isTrue();
    assertThat(kmp.lastfetchedtime).isNotBlank();
    assertThat(String.valueOf(kmp.properties)).contains("CN=Tenant A Root");
  }

  @Test
  void add_modify_and_delete_apply_through_the_watch() throws Exception {
    startController();
    assertThat(controller.generation().cluster()).isInstanceOf(Engine.Unavailable.class);
    VerificationResult none = decisions.verify("", images.signedByA);
    assertThat(none.isSuccess()).isFalse();
    assertThat(none.verifierReports().getFirst().errorReason()).contains("no valid Store, Verifier");

    applyBaseline();
    awaitAllowed("", images.signedByA, true);
    assertThat(allowed("", images.signedByB)).isFalse();

    // Modify: the provider now holds CA B.
    long before = controller.generation().number();
    long updated = System.nanoTime();
    cluster.apply(inlineKmp("KeyManagementProvider", "ratify-notation-inline-cert-0", images.caB), null);
    awaitAllowed("", images.signedByB, true);
    // Reported, not asserted: from the update's response to the first decision that uses it.
    System.out.printf(
        "time from a KeyManagementProvider update to the first decision using it: %d ms%n",
        (System.nanoTime() - updated) / 1_000_000);
    assertThat(allowed("", images.signedByA)).isFalse();
    assertThat(controller.generation().number()).isGreaterThan(before);

    // Delete the only verifier: every image fails closed, naming the cause.
    cluster.delete(Verifier.class, null, "verifier-notation");
    awaitAllowed("", images.signedByB, false);
    VerificationResult r = decisions.verify("", images.signedByB);
    assertThat(r.verifierReports().getFirst().errorReason())
        .contains("no valid Verifier applies to the cluster");
  }

  @Test
  void an_invalid_edit_gets_a_status_error_and_the_last_good_version_keeps_serving() throws Exception {
    applyBaseline();
    startController();
    assertThat(allowed("", images.signedByA)).isTrue();
    long generation = controller.generation().number();

    // Ratify's Rego policy sample takes the place of ratify-policy: not supported here.
    cluster.apply(sample("clustered/policy/config_v1beta1_policy_rego.yaml"), null);
    MockCluster.await("the policy status shows the error", () -> {
      ResourceStatus s = status(Policy.class, null, "ratify-policy");
      return s != null && !s.issuccess;
    });
    ResourceStatus s = status(Policy.class, null, "ratify-policy");
    assertThat(s.error).contains("rego-policy").contains("not a supported policy provider");
    assertThat(s.brieferror).hasSizeLessThanOrEqualTo(33).endsWith("...");
    assertThat(allowed("", images.signedByA)).isTrue();
    assertThat(allowed("", images.unsigned)).isFalse();
    assertThat(controller.generation().number()).isEqualTo(generation);

    // A verifier naming a provider that does not exist: error, the last good verifier stays.
    cluster.apply(sample("clustered/verifier/config_v1beta1_verifier_notation_kmprovider.yaml"), null);
    MockCluster.await("the verifier status shows the error", () -> {
      ResourceStatus v = status(Verifier.class, null, "verifier-notation");
      return v != null && !v.issuccess;
    });
    assertThat(status(Verifier.class, null, "verifier-notation").error)
        .contains("names key management provider \"kmprovider-akv\", which does not exist");
    assertThat(allowed("", images.signedByA)).isTrue();
  }

  @Test
  void a_namespaced_verifier_trusts_its_own_ca_in_its_namespace_only() throws Exception {
    applyBaseline();
    applyTenantB();
    startController();

    // Same image, two namespaces: B's verifier trusts CA B; everyone else uses the cluster's (CA A).
    assertThat(allowed("tenant-b", images.signedByB)).isTrue();
    assertThat(allowed("tenant-a", images.signedByB)).isFalse();
    assertThat(allowed("", images.signedByB)).isFalse();
    assertThat(allowed("tenant-a", images.signedByA)).isTrue();
    assertThat(allowed("tenant-b", images.signedByA)).isFalse();
    // Other kinds fall back to the cluster's: tenant-b uses the cluster store and policy.
    assertThat(allowed("tenant-b", images.unsigned)).isFalse();

    // A namespaced verifier may not name another namespace's provider.
    cluster.apply(inlineKmp("NamespacedKeyManagementProvider", "tenant-a-ca", images.caA), "tenant-a");
    cluster.apply(
        sample("namespaced/verifier/config_v1beta1_verifier_notation.yaml")
            .replace("default/ratify-notation-inline-cert-0", "tenant-a/tenant-a-ca")
            .replace("name: verifier-notation", "name: borrowing"),
        "tenant-b");
    MockCluster.await("the borrowing verifier is refused", () -> {
      ResourceStatus v = status(NamespacedVerifier.class, "tenant-b", "borrowing");
      return v != null && !v.issuccess;
    });
    assertThat(status(NamespacedVerifier.class, "tenant-b", "borrowing").error)
        .contains("a provider of another namespace");
    assertThat(allowed("tenant-b", images.signedByA)).isFalse();

    // Deleting B's verifier puts tenant-b back on the cluster's.
    cluster.delete(NamespacedVerifier.class, "tenant-b", "verifier-notation");
    cluster.delete(NamespacedVerifier.class, "tenant-b", "borrowing");
    awaitAllowed("tenant-b", images.signedByA, true);
    assertThat(allowed("tenant-b", images.signedByB)).isFalse();
  }

  @Test
  void concurrent_decisions_during_rapid_updates_never_see_a_mixed_configuration() throws Exception {
    applyBaseline();
    startController();
    // Each generation trusts exactly one CA: a decision allows exactly one of the two signed images
    // when both are decided by the same engine. A mixed configuration would allow both or neither.
    // One decision service and cache for all, as the server has.
    var shared = new dev.signet.verify.DecisionService(
        () -> { throw new IllegalStateException(); }, new CaffeineResultCache(), Clock.systemUTC());
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> mixed = new ConcurrentLinkedQueue<>();
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < 50; w++) {
      workers.add(pool.submit(() -> {
        int n = 0;
        while (!done.get() || n == 0) {
          // Both decisions on one engine, held for both: a newer generation cannot close it.
          boolean decided =
              controller.withEngine(
                  "",
                  (held, config) -> {
                    VerificationResult a = shared.decide(images.signedByA, held);
                    VerificationResult b = shared.decide(images.signedByB, held);
                    // One engine trusts exactly one of the CAs. Both allowed is a mixed
                    // configuration; both denied is one too, unless a decision ran out of time on
                    // this loaded machine.
                    if (a.isSuccess() == b.isSuccess()
                        && (a.isSuccess() || !(timedOut(a) || timedOut(b)))) {
                      mixed.add("generation " + held.generation() + ": A=" + a + " B=" + b);
                    }
                    return true;
                  },
                  unavailable -> false);
          if (decided) {
            n++;
          }
        }
        return n;
      }));
    }
    for (int i = 0; i < 20; i++) {
      cluster.apply(inlineKmp("KeyManagementProvider", "ratify-notation-inline-cert-0",
          i % 2 == 0 ? images.caB : images.caA), null);
    }
    awaitAllowed("", images.signedByA, true);
    done.set(true);
    int total = 0;
    for (Future<Integer> f : workers) {
      total += f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(mixed).isEmpty();
    assertThat(total).isGreaterThanOrEqualTo(50);
  }

  private static boolean timedOut(VerificationResult r) {
    return r.verifierReports().stream()
        .anyMatch(x -> x.errorCode() == dev.signet.result.ErrorCode.DEADLINE_EXCEEDED);
  }
}
