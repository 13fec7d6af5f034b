package dev.signet.verify;

import dev.signet.policy.ConfigPolicy;
import dev.signet.result.ErrorCode;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.oci.Descriptor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A store (or verifier) that blocks past the deadline: the answer is a DEADLINE_EXCEEDED failure
 * naming the step, and the executor stops waiting at the deadline. Latencies are printed for the
 * performance notes, never asserted.
 */
class ExecutorDeadlineTest {
  static final Duration BUDGET = Duration.ofSeconds(2);
  static final long BLOCK_MILLIS = 10_000;
  static final String REPO = "registry.test/slow/app";

  final MemoryStore store = new MemoryStore();
  final Signing pki = new Signing("Deadline");

  enum Stuck {
    RESOLVE(MemoryStore.Op.RESOLVE, "resolve"),
    LIST_REFERRERS(MemoryStore.Op.REFERRERS, "list referrers"),
    FETCH_MANIFEST(MemoryStore.Op.MANIFEST, "fetch"),
    FETCH_BLOB(MemoryStore.Op.BLOB, "fetch");

    final MemoryStore.Op op;
    final String step;

    Stuck(MemoryStore.Op op, String step) {
      this.op = op;
      this.step = step;
    }
  }

  Executor executor(ConfigPolicy policy, ReferenceVerifier... verifiers) {
    return new Executor(List.of(store), List.of(verifiers), policy, BUDGET, Clock.systemUTC());
  }

  static VerificationResult timed(String what, java.util.function.Supplier<VerificationResult> call) {
    long start = System.nanoTime();
    VerificationResult r = call.get();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("deadline " + BUDGET.toMillis() + " ms, store blocking " + BLOCK_MILLIS
        + " ms in " + what + ": answered after " + ms + " ms");
    return r;
  }

  @ParameterizedTest
  @EnumSource(Stuck.class)
  void a_store_that_blocks_past_the_deadline_gives_a_failure_naming_the_step(Stuck stuck) throws Exception {
    Descriptor image = store.image("slow", "v1");
    store.signature(image, pki.sign(image));
    store.slow.put(stuck.op, BLOCK_MILLIS);

    Executor executor = executor(new ConfigPolicy(Map.of()), pki.notation("notation", Clock.systemUTC()));
    VerificationResult result = timed(stuck.name(), () -> executor.verify(REPO + ":v1"));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).singleElement().satisfies(r -> {
      assertThat(r.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
      assertThat(r.extensions()).containsEntry("step", stuck.step);
      assertThat(r.message()).contains("within " + BUDGET.toMillis() + " ms").contains("step \"" + stuck.step + "\"");
      assertThat(r.remediation()).contains("verificationRequestTimeout");
    });
    // The abandoned store call is interrupted rather than left to run.
    awaitInterrupt();
  }

  @Test
  void a_verifier_that_runs_past_the_deadline_gives_a_failure_naming_the_verify_step() {
    Descriptor image = store.image("slow-verify", "v1");
    store.referrer(image, "application/x", "x".getBytes(StandardCharsets.UTF_8), "text/plain");
    RecordingVerifier slow = new RecordingVerifier("slow", Set.of("*"), Set.of(), true);
    slow.pauseMillis = BLOCK_MILLIS;

    Executor executor = executor(new ConfigPolicy(Map.of()), slow);
    VerificationResult result = timed("verify", () -> executor.verify(REPO + ":v1"));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).singleElement().satisfies(r -> {
      assertThat(r.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
      assertThat(r.extensions()).containsEntry("step", "verify");
      assertThat(r.verifierName()).isEqualTo("slow");
    });
  }

  @Test
  void a_timed_out_referrer_denies_even_when_the_policy_is_satisfied_by_another() {
    Descriptor image = store.image("half-slow", "v1");
    store.signature(image, pki.sign(image));
    store.referrer(image, "application/x", "x".getBytes(StandardCharsets.UTF_8), "text/plain");
    RecordingVerifier slow = new RecordingVerifier("slow", Set.of("application/x"), Set.of(), true);
    slow.pauseMillis = BLOCK_MILLIS;
    ConfigPolicy any =
        new ConfigPolicy(Map.of("default", ConfigPolicy.Rule.ANY));

    Executor executor = executor(any, pki.notation("notation", Clock.systemUTC()), slow);
    VerificationResult result = timed("one of two referrers", () -> executor.verify(REPO + ":v1"));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).hasSize(2);
    assertThat(result.verifierReports().get(0).isSuccess()).isTrue();
    assertThat(result.verifierReports().get(1).errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
  }

  @Test
  void a_nested_verification_past_the_deadline_fails_the_parent_with_the_deadline_code() {
    Descriptor image = store.image("slow-nested", "v1");
    Descriptor sbom = store.referrer(image, "application/spdx+json", "{}".getBytes(StandardCharsets.UTF_8), "application/spdx+json");
    store.signature(sbom, pki.sign(sbom));
    store.slow.put(MemoryStore.Op.BLOB, BLOCK_MILLIS);
    RecordingVerifier sbomVerifier =
        new RecordingVerifier("sbom", Set.of("application/spdx+json"), Set.of("*"), true);

    Executor executor =
        executor(new ConfigPolicy(Map.of()), sbomVerifier, pki.notation("notation", Clock.systemUTC()));
    VerificationResult result = timed("nested fetch", () -> executor.verify(REPO + ":v1"));

    assertThat(result.isSuccess()).isFalse();
    VerifierReport parent = result.verifierReports().get(0);
    assertThat(parent.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    // Whether the nested wait or the enclosing one notices first, the step named is the nested fetch.
    assertThat(parent.message() + " / " + parent.errorReason()).contains("step \"fetch\"");
  }

  @Test
  void an_interrupted_caller_gets_a_failure_not_an_allow() throws Exception {
    Descriptor image = store.image("interrupted", "v1");
    store.referrer(image, "application/x", "x1".getBytes(StandardCharsets.UTF_8), "text/plain");
    store.referrer(image, "application/x", "x2".getBytes(StandardCharsets.UTF_8), "text/plain");
    RecordingVerifier slow = new RecordingVerifier("slow", Set.of("*"), Set.of(), true);
    slow.pauseMillis = BLOCK_MILLIS;
    Executor executor =
        new Executor(List.of(store), List.of(slow), new ConfigPolicy(Map.of()), Duration.ofSeconds(30), Clock.systemUTC());
    java.util.concurrent.atomic.AtomicReference<VerificationResult> out = new java.util.concurrent.atomic.AtomicReference<>();
    Thread caller = Thread.ofVirtual().start(() -> out.set(executor.verify(REPO + ":v1")));
    for (int i = 0; i < 500 && slow.judged.size() < 2; i++) {
      Thread.sleep(10);
    }
    caller.interrupt();
    caller.join(Duration.ofSeconds(10));

    assertThat(out.get()).isNotNull();
    assertThat(out.get().isSuccess()).isFalse();
    assertThat(out.get().verifierReports()).hasSize(2)
        .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(ErrorCode.EXECUTOR_FAILURE));
  }

  private void awaitInterrupt() throws InterruptedException {
    for (int i = 0; i < 200 && store.interrupted.get() == 0; i++) {
      Thread.sleep(10);
    }
    assertThat(store.interrupted.get()).isPositive();
  }
}
