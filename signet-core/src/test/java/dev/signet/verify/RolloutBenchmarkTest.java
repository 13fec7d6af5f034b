package dev.signet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.registry.Credential;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.oci.registry.RegistryOptions;
import dev.signet.oci.registry.RegistryProxy;
import dev.signet.oci.registry.RegistryPusher;
import dev.signet.oci.registry.RegistryStore;
import dev.signet.policy.ConfigPolicy;
import dev.signet.reference.Reference;
import dev.signet.result.VerificationResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roll-out benchmarks against Debian's docker-registry 2.8.2 (htpasswd basic auth) behind a
 * loopback proxy that adds 50 ms to every answer and may throttle: cold verifications, 500 admission
 * requests for one new image at once, and 200 new images against a registry that answers 429 after
 * 20 requests per second. Opt-in ({@code SIGNET_BENCH=1}); prints wall times and asserts only
 * request counts and outcomes. See docs/performance.md.
 */
class RolloutBenchmarkTest {
  static final Clock CLOCK = Clock.systemUTC();
  static final Duration LATENCY = Duration.ofMillis(50);
  static final Duration DEADLINE = VerificationConfig.DEFAULT_TIMEOUT;

  @TempDir static Path dir;
  static DistributionRegistry registry;
  static RegistryPusher pusher;
  static final Signing PKI = new Signing("Rollout");

  @BeforeAll
  static void start() throws Exception {
    if (!"1".equals(System.getenv("SIGNET_BENCH"))) {
      String why = "RolloutBenchmarkTest skipped: set SIGNET_BENCH=1 to run the roll-out benchmarks"
          + " (about a minute against docker-registry 2.8.2)";
      System.out.println(why);
      Assumptions.abort(why);
    }
    registry = DistributionRegistry.start(dir.resolve("registry"), true, false);
    pusher = RegistryPusher.withDockerConfig(
        registry.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (pusher != null) {
      pusher.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** Pushes an image and its Notary Project signature (tag-schema index); returns repo:tag. */
  static String pushSigned(String repository, String tag, String text) throws Exception {
    Reference ref = Reference.parse(registry.host() + "/" + repository + ":" + tag);
    Descriptor image = pusher.image(ref, text);
    pusher.attach(ref, image, MediaTypes.NOTARY_SIGNATURE, MediaTypes.JWS_ENVELOPE, PKI.sign(image));
    return repository + ":" + tag;
  }

  static RegistryStore store() throws Exception {
    return RegistryStore.create(RegistryOptions.defaults(),
        r -> new Credential.Basic(DistributionRegistry.USER, DistributionRegistry.PASSWORD), CLOCK);
  }

  static DecisionService decisions(RegistryStore store) {
    Executor executor = new Executor(List.of(store), List.of(PKI.notation("notation", CLOCK)),
        new ConfigPolicy(Map.of()), DEADLINE, CLOCK);
    return new DecisionService(
        () -> ConfiguredExecutor.local(1, executor), new CaffeineResultCache(), CLOCK);
  }

  record Answer(VerificationResult result, long nanos) {}

  /** Decides every subject on its own virtual thread, all released at once. */
  static List<Answer> together(DecisionService decisions, List<String> subjects) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Answer>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String s : subjects) {
        futures.add(threads.submit(() -> {
          go.await();
          long t0 = System.nanoTime();
          VerificationResult r = decisions.decide(s);
          return new Answer(r, System.nanoTime() - t0);
        }));
      }
      go.countDown();
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> f : futures) {
        answers.add(f.get(5, TimeUnit.MINUTES));
      }
      return answers;
    }
  }

  static String millis(long[] nanos, double quantile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int i = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return String.format("%.1f ms", sorted[Math.max(0, i)] / 1e6);
  }

  static long[] nanos(List<Answer> answers) {
    return answers.stream().mapToLong(Answer::nanos).toArray();
  }

  @Test
  void coldVerificationsRequestsAndWallTime() throws Exception {
    String image = pushSigned("rollout/cold", "v1", "cold path");
    for (Duration latency : List.of(Duration.ZERO, LATENCY)) {
      try (RegistryProxy proxy = RegistryProxy.start(registry.host(), latency, 0)) {
        int runs = 15;
        long[] wall = new long[runs];
        long[] requests = new long[runs];
        for (int i = 0; i < runs; i++) {
          try (RegistryStore store = store()) { // a new store: nothing learnt, nothing cached
            long t0 = System.nanoTime();
            VerificationResult r = decisions(store).decide(proxy.host() + "/" + image);
            wall[i] = System.nanoTime() - t0;
            requests[i] = store.requestCount();
            assertThat(r.isSuccess()).as(r.toString()).isTrue();
          }
        }
        System.out.printf("[rollout] cold verify by tag, registry latency %d ms: %d runs, requests %s,"
                + " wall p50 %s, min %s, max %s%n", latency.toMillis(), runs, Arrays.toString(requests),
            millis(wall, 0.5), millis(wall, 0), millis(wall, 1));
        // 401 challenge, resolve, referrers API (404 on 2.8.2), tag-schema index, signature, envelope
        assertThat(requests).containsOnly(6L);
      }
    }
  }

  @Test
  void fiveHundredAdmissionsOfOneNewImageShareOneSetOfRequests() throws Exception {
    String image = pushSigned("rollout/app", "v1", "one new image");
    try (RegistryProxy proxy = RegistryProxy.start(registry.host(), LATENCY, 0);
        RegistryStore store = store()) {
      long t0 = System.nanoTime();
      List<Answer> answers = together(decisions(store),
          java.util.Collections.nCopies(500, proxy.host() + "/" + image));
      long wall = System.nanoTime() - t0;
      long[] n = nanos(answers);
      long verified = answers.stream().filter(a -> a.result().isSuccess()).count();
      long inTime = Arrays.stream(n).filter(x -> x < DEADLINE.toNanos()).count();
      System.out.printf("[rollout] 500 admissions of one new image (registry latency %d ms): %d verified,"
              + " %d answered inside the %d ms deadline; registry requests %d %s; answer p50 %s, p99 %s,"
              + " max %s; all answered in %.1f ms%n", LATENCY.toMillis(), verified, inTime,
          DEADLINE.toMillis(), proxy.requests(), proxy.log(), millis(n, 0.5), millis(n, 0.99),
          millis(n, 1), wall / 1e6);
      assertThat(verified).isEqualTo(500);
      assertThat(proxy.requests()).isEqualTo(6);
    }
  }

  @Test
  void twoHundredNewImagesAgainstAThrottlingRegistryCauseNoRequestStorm() throws Exception {
    List<String> images = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      images.add(pushSigned("rollout/many", "v" + i, "image " + i));
    }
    int perSecond = 20;
    try (RegistryProxy proxy = RegistryProxy.start(registry.host(), LATENCY, perSecond);
        RegistryStore store = store()) {
      List<String> subjects = images.stream().map(s -> proxy.host() + "/" + s).toList();
      long t0 = System.nanoTime();
      List<Answer> answers = together(decisions(store), subjects);
      long wall = System.nanoTime() - t0;
      long[] n = nanos(answers);
      long verified = answers.stream().filter(a -> a.result().isSuccess()).count();
      List<Answer> throttled = answers.stream()
          .filter(a -> !a.result().isSuccess() && a.result().toString().contains("HTTP 429")).toList();
      long inTime = Arrays.stream(n).filter(x -> x < DEADLINE.toNanos()).count();
      System.out.printf("[rollout] 200 new images, registry throttling at %d requests/s (latency %d ms):"
              + " %d verified, %d denied naming the throttling (HTTP 429), %d other; %d answered inside"
              + " the %d ms deadline; registry requests %d (%d answered 429) over %d throttling windows;"
              + " answer p50 %s, p99 %s, max %s; all answered in %.1f ms%n", perSecond,
          LATENCY.toMillis(), verified, throttled.size(), 200 - verified - throttled.size(), inTime,
          DEADLINE.toMillis(), proxy.requests(), proxy.throttled(), proxy.seconds(), millis(n, 0.5),
          millis(n, 0.99), millis(n, 1), wall / 1e6);
      if (!throttled.isEmpty()) {
        System.out.println("[rollout] a throttled answer: " + throttled.get(0).result());
      }
      assertThat(verified + throttled.size()).isEqualTo(200);
      // No storm: at most one round of connection slots answered 429 per throttling window.
      assertThat(proxy.throttled()).isLessThanOrEqualTo(
          (long) RegistryOptions.defaults().maxConcurrentRequests() * (proxy.seconds() + 1));
    }
  }
}
