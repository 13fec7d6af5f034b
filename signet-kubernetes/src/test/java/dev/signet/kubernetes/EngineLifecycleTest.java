package dev.signet.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.engine.CountingStores;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.Policy;
import dev.signet.kubernetes.resource.ResourceStatus;
import dev.signet.result.VerificationResult;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who closes the engines the resources make: the controller holds those of the generation in use,
 * every decision holds the one it runs on, and an engine nothing holds any more is closed with its
 * stores (a registry store's HTTP client with them). Counted through the store plugins.
 */
class EngineLifecycleTest extends ControllerFixture {
  /** The baseline's one store (an OCI layout) per engine. */
  private static final int STORES = 1;

  private static final long WAIT_SECONDS = 60;

  private final CountingStores counting = new CountingStores();
  /** The generations the controller published, in order (told after it retired the replaced). */
  private final LinkedBlockingQueue<Generation> published = new LinkedBlockingQueue<>();

  private void startCounting() {
    Clock clock = Clock.systemUTC();
    startController(
        VerificationConfig.Runtime.standard(clock, dir.resolve("crl")).withStores(counting),
        ProviderTypes.standard(clock));
    controller.onGeneration(published::add);
  }

  /** The next generation the controller publishes. */
  private Generation nextGeneration() throws InterruptedException {
    Generation g = published.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(g).as("a new generation within %d s (a hang guard)", WAIT_SECONDS).isNotNull();
    return g;
  }

  /** The layout store, with {@code cosignEnabled} set as given: each value is a new configuration. */
  private void editStore(boolean cosign) {
    cluster.apply(
        layoutStore("Store", "store-layout", images.layout)
            + "    cosignEnabled: "
            + cosign
            + "\n",
        null);
  }

  private Engine.Ready clusterEngine() {
    return (Engine.Ready) controller.generation().cluster();
  }

  @Test
  void after_100_edits_only_the_engine_in_use_has_open_stores() throws Exception {
    applyBaseline();
    startCounting();
    assertThat(counting.open()).isEqualTo(STORES);
    Engine.Ready first = clusterEngine();

    for (int i = 1; i <= 100; i++) {
      long before = controller.generation().number();
      editStore(i % 2 == 1);
      Generation g = nextGeneration();
      assertThat(g.number()).as("edit %d", i).isGreaterThan(before);
      assertThat(counting.open()).as("open stores after edit %d", i).isEqualTo(STORES);
      if (i % 25 == 0) {
        assertThat(allowed("", images.signedByA)).as("decision after edit %d", i).isTrue();
      }
    }
    assertThat(counting.opened()).isGreaterThanOrEqualTo(101 * STORES);
    assertThat(first.configuration().isClosed()).isTrue();
    assertThat(first.configuration().hold()).isEmpty();
    assertThat(clusterEngine().configuration().isClosed()).isFalse();
  }

  @Test
  void a_decision_in_flight_keeps_its_replaced_engine_open_until_it_finishes() throws Exception {
    applyBaseline();
    startCounting();
    Engine.Ready trustingA = clusterEngine();
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // A decision takes the engine trusting CA A, then waits while the resources change.
      Future<VerificationResult> inFlight =
          pool.submit(
              () ->
                  controller.withEngine(
                      "",
                      (held, config) -> {
                        holding.countDown();
                        try {
                          assertThat(finish.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                        return held.executor().verify(images.signedByA);
                      },
                      unavailable -> unavailable.fail(images.signedByA)));
      assertThat(holding.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

      // The provider now holds CA B: a new engine replaces the one the decision holds.
      cluster.apply(
          inlineKmp("KeyManagementProvider", "ratify-notation-inline-cert-0", images.caB), null);
      nextGeneration();
      assertThat(clusterEngine()).isNotSameAs(trustingA);
      assertThat(trustingA.configuration().isClosed()).isFalse();
      assertThat(counting.open()).isEqualTo(2 * STORES);
      assertThat(allowed("", images.signedByB)).isTrue();

      finish.countDown();
      // The decision finished on the generation it started on: CA A's.
      assertThat(inFlight.get(WAIT_SECONDS, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(trustingA.configuration().isClosed()).isTrue();
      assertThat(counting.open()).isEqualTo(STORES);
      assertThat(allowed("", images.signedByA)).isFalse();
    } finally {
      finish.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void closing_the_controller_closes_every_engine_and_later_decisions_fail() throws Exception {
    applyBaseline();
    applyTenantB();
    startCounting();
    assertThat(allowed("tenant-b", images.signedByB)).isTrue();
    // The cluster's engine and tenant-b's.
    assertThat(counting.open()).isEqualTo(2 * STORES);

    controller.close();
    controller.close();

    assertThat(counting.open()).isZero();
    VerificationResult after = decisions.verify("tenant-b", images.signedByB);
    assertThat(after.isSuccess()).isFalse();
    assertThat(after.verifierReports().getFirst().errorReason())
        .contains("the resource controller is stopped");
  }

  @Test
  void an_invalid_edit_closes_the_stores_its_load_opened() throws Exception {
    applyBaseline();
    startCounting();
    long generation = controller.generation().number();
    int opened = counting.opened();

    // Ratify's Rego policy: the configuration opens its stores, then refuses the policy; the last
    // good policy stands in, which is the engine in use.
    cluster.apply(sample("clustered/policy/config_v1beta1_policy_rego.yaml"), null);
    MockCluster.await(
        "the policy status shows the error",
        () -> {
          ResourceStatus s = status(Policy.class, null, "ratify-policy");
          return s != null && !s.issuccess;
        });

    assertThat(counting.opened()).isGreaterThan(opened);
    assertThat(counting.open()).isEqualTo(STORES);
    assertThat(controller.generation().number()).isEqualTo(generation);
    assertThat(allowed("", images.signedByA)).isTrue();
  }
}
