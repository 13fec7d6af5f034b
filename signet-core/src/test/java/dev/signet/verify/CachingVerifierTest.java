package dev.signet.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CachePolicy;
import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.ResultKey;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.SingleFlight;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.reference.Digest;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The caching decorator on its own, in front of a verifier that records what it is asked (the
 * decisions' tests cover it in front of the real executor).
 */
class CachingVerifierTest {
  static final Digest DIGEST = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
  static final Reference AT_DIGEST = Reference.parse("registry.test/app@" + DIGEST);
  static final Reference TAG = Reference.parse("registry.test/app:v1");

  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final CaffeineResultCache cache = new CaffeineResultCache(100, CachePolicy.defaults(), nanos::get);
  final SingleFlight<ResultKey, VerificationResult, RuntimeException> inFlight =
      new SingleFlight<>(RuntimeException.class);
  final List<String> asked = new ArrayList<>();

  /** Passes every subject, recording it (and whether it came resolved). */
  final SubjectVerifier recording =
      new SubjectVerifier() {
        @Override
        public VerificationResult verify(Reference subject, Deadline deadline) {
          asked.add(subject.toString());
          return pass(subject);
        }

        @Override
        public VerificationResult verify(
            Reference subject, ImageResolver.Resolved resolved, Deadline deadline) {
          asked.add("resolved " + subject);
          return pass(subject);
        }
      };

  static VerificationResult pass(Reference subject) {
    return new VerificationResult(subject.toString(), true,
        List.of(VerifierReport.about(subject.toString()).verifier("v", "notation")
            .referrer("sha256:" + "ab".repeat(32), "application/vnd.cncf.notary.signature")
            .passed("ok").build()));
  }

  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  @Test
  void a_kept_result_is_answered_without_asking_the_verifier_again() {
    CachingVerifier caching = new CachingVerifier(recording, "config-1", cache, inFlight);
    assertThat(caching.verify(AT_DIGEST, deadline()).isSuccess()).isTrue();
    assertThat(caching.verify(AT_DIGEST, deadline()).isSuccess()).isTrue();
    assertThat(asked).containsExactly(AT_DIGEST.toString());
    assertThat(caching.inProcess(AT_DIGEST)).isPresent();
  }

  @Test
  void a_resolved_tag_shares_the_entry_of_its_digest_and_is_verified_at_the_digest() {
    CachingVerifier caching = new CachingVerifier(recording, "config-1", cache, inFlight);
    ImageResolver.Resolved resolved =
        new ImageResolver.Resolved(null, new Descriptor(MediaTypes.OCI_MANIFEST, DIGEST, 10));
    caching.verify(TAG, resolved, deadline());
    caching.verify(AT_DIGEST, deadline());
    assertThat(asked).containsExactly("resolved " + TAG.withDigest(DIGEST));
  }

  @Test
  void another_configuration_never_sees_the_result() {
    new CachingVerifier(recording, "config-1", cache, inFlight).verify(AT_DIGEST, deadline());
    CachingVerifier other = new CachingVerifier(recording, "config-2", cache, inFlight);
    assertThat(other.inProcess(AT_DIGEST)).isEmpty();
    other.verify(AT_DIGEST, deadline());
    assertThat(asked).hasSize(2);
  }

  /** Answers every subject with a failure of {@code kind}, recording it. */
  SubjectVerifier failing(FailureKind kind, ErrorCode code) {
    return new SubjectVerifier() {
      @Override
      public VerificationResult verify(Reference subject, Deadline deadline) {
        asked.add(subject.toString());
        return Failure.of(kind, code, "failed", "why", "what to do").result(subject.toString());
      }

      @Override
      public VerificationResult verify(
          Reference subject, ImageResolver.Resolved resolved, Deadline deadline) {
        return verify(subject, deadline);
      }
    };
  }

  @Test
  void a_denial_is_kept() {
    CachingVerifier caching = new CachingVerifier(
        failing(FailureKind.DENIED, ErrorCode.VERIFY_REFERENCE_FAILURE), "config-1", cache, inFlight);
    assertThat(caching.verify(AT_DIGEST, deadline()).isSuccess()).isFalse();
    assertThat(caching.verify(AT_DIGEST, deadline()).isSuccess()).isFalse();
    assertThat(asked).hasSize(1);
    assertThat(caching.inProcess(AT_DIGEST)).isPresent();
  }

  @Test
  void a_transient_failure_is_not_kept_whatever_its_code() {
    // The code names a verification; the kind says the verification did not happen.
    CachingVerifier caching = new CachingVerifier(
        failing(FailureKind.TRANSIENT, ErrorCode.VERIFY_REFERENCE_FAILURE), "config-1", cache,
        inFlight);
    caching.verify(AT_DIGEST, deadline());
    caching.verify(AT_DIGEST, deadline());
    assertThat(asked).hasSize(2);
    assertThat(caching.inProcess(AT_DIGEST)).isEmpty();
  }

  @Test
  void a_bug_is_not_kept() {
    CachingVerifier caching = new CachingVerifier(
        failing(FailureKind.BUG, ErrorCode.EXECUTOR_FAILURE), "config-1", cache, inFlight);
    caching.verify(AT_DIGEST, deadline());
    caching.verify(AT_DIGEST, deadline());
    assertThat(asked).hasSize(2);
  }
}
