package dev.signet.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.reference.Digest;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CaffeineResultCacheTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final CaffeineResultCache cache = new CaffeineResultCache(100, CachePolicy.defaults(), nanos::get);
  static final ResultKey KEY =
      new ResultKey("7", "registry.test/app", Digest.sha256("image".getBytes(StandardCharsets.UTF_8)));

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  /** A report; a failure's kind is the one its code has where Signet builds it most often. */
  static VerifierReport report(boolean ok, ErrorCode code, List<VerifierReport> nested) {
    return report(ok, code == null ? null : usualKind(code), code, nested);
  }

  static VerifierReport report(
      boolean ok, FailureKind kind, ErrorCode code, List<VerifierReport> nested) {
    return VerifierReport.about("registry.test/app@" + KEY.digest())
        .verifier("notation", "notation")
        .referrer("sha256:aa", "application/vnd.cncf.notary.signature")
        .success(ok)
        .message(ok ? "ok" : "failed")
        .errorCode(code)
        .failureKind(kind)
        .nestedResults(nested)
        .build();
  }

  static FailureKind usualKind(ErrorCode code) {
    return switch (code) {
      case DEADLINE_EXCEEDED, EXECUTOR_FAILURE, REFERRER_STORE_FAILURE, LIST_REFERRERS_FAILURE,
          GET_SUBJECT_DESCRIPTOR_FAILURE, GET_REFERRER_MANIFEST_FAILURE,
          GET_BLOB_CONTENT_FAILURE -> FailureKind.TRANSIENT;
      case CONFIG_INVALID, REFERENCE_INVALID -> FailureKind.CONFIGURATION;
      case VERIFY_REFERENCE_FAILURE, MANIFEST_INVALID, NO_VERIFIER_REPORT -> FailureKind.DENIED;
    };
  }

  static VerificationResult result(boolean ok, ErrorCode code) {
    return new VerificationResult("s", ok, List.of(report(ok, code, List.of())));
  }

  static VerificationResult result(FailureKind kind, ErrorCode code) {
    return new VerificationResult("s", false, List.of(report(false, kind, code, List.of())));
  }

  @Test
  void an_allow_is_served_within_the_ttl_and_not_after() {
    VerificationResult allow = result(true, null);
    cache.put(KEY, allow);

    advance(Duration.ofMillis(9_900));
    assertThat(cache.get(KEY)).contains(allow);
    advance(Duration.ofMillis(200));
    assertThat(cache.get(KEY)).isEmpty();
  }

  @Test
  void reading_does_not_extend_the_life_of_an_entry() {
    cache.put(KEY, result(true, null));
    for (int i = 0; i < 11; i++) {
      cache.get(KEY);
      advance(Duration.ofSeconds(1));
    }
    assertThat(cache.get(KEY)).isEmpty();
  }

  @Test
  void a_denial_is_cached_like_an_allow() {
    VerificationResult deny = result(false, ErrorCode.VERIFY_REFERENCE_FAILURE);
    cache.put(KEY, deny);
    advance(Duration.ofSeconds(9));
    assertThat(cache.get(KEY)).contains(deny);
  }

  @Test
  void no_signature_is_kept_only_for_the_short_ttl() {
    VerificationResult unsigned =
        new VerificationResult("s", false, List.of(VerifierReport.subjectFailure(
            "s", FailureKind.DENIED, ErrorCode.NO_VERIFIER_REPORT, "no signature was found", "",
            "")));
    cache.put(KEY, unsigned);

    advance(Duration.ofMillis(1_900));
    assertThat(cache.get(KEY)).contains(unsigned);
    advance(Duration.ofMillis(200));
    assertThat(cache.get(KEY)).isEmpty();
  }

  @Test
  void the_short_ttl_is_configurable() {
    CaffeineResultCache custom = new CaffeineResultCache(
        100, new CachePolicy(Duration.ofSeconds(30), Duration.ofMillis(500)), nanos::get);
    VerificationResult nested = new VerificationResult("s", false, List.of(report(false, ErrorCode.VERIFY_REFERENCE_FAILURE,
        List.of(VerifierReport.subjectFailure(
            "n", FailureKind.DENIED, ErrorCode.NO_VERIFIER_REPORT, "none", "", "")))));
    custom.put(KEY, nested);
    advance(Duration.ofMillis(400));
    assertThat(custom.get(KEY)).isPresent();
    advance(Duration.ofMillis(200));
    assertThat(custom.get(KEY)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorCode.class,
      names = {
        "DEADLINE_EXCEEDED", "EXECUTOR_FAILURE", "REFERRER_STORE_FAILURE", "LIST_REFERRERS_FAILURE",
        "GET_SUBJECT_DESCRIPTOR_FAILURE", "GET_REFERRER_MANIFEST_FAILURE", "GET_BLOB_CONTENT_FAILURE"
      })
  void transient_failures_are_not_cached(ErrorCode code) {
    assertThat(CachePolicy.defaults().ttlFor(result(FailureKind.TRANSIENT, code))).isEmpty();
    cache.put(KEY, result(FailureKind.TRANSIENT, code));
    assertThat(cache.get(KEY)).isEmpty();
  }

  @Test
  void the_failure_kind_decides_not_the_error_code() {
    // A document over the size limit is denied for good, though its code names a read.
    VerificationResult tooLarge = result(FailureKind.DENIED, ErrorCode.GET_BLOB_CONTENT_FAILURE);
    cache.put(KEY, tooLarge);
    advance(Duration.ofSeconds(9));
    assertThat(cache.get(KEY)).contains(tooLarge);

    // A schema that could not be fetched judged nothing, though its code names a verification.
    CaffeineResultCache other = new CaffeineResultCache(100, CachePolicy.defaults(), nanos::get);
    other.put(KEY, result(FailureKind.TRANSIENT, ErrorCode.VERIFY_REFERENCE_FAILURE));
    assertThat(other.get(KEY)).isEmpty();
  }

  @Test
  void bugs_and_failures_without_a_kind_are_not_cached_configuration_failures_are() {
    assertThat(CachePolicy.defaults().ttlFor(result(FailureKind.BUG, ErrorCode.EXECUTOR_FAILURE)))
        .isEmpty();
    assertThat(CachePolicy.defaults().ttlFor(result(null, ErrorCode.VERIFY_REFERENCE_FAILURE)))
        .isEmpty();
    assertThat(CachePolicy.defaults().ttlFor(
            result(FailureKind.CONFIGURATION, ErrorCode.VERIFY_REFERENCE_FAILURE)))
        .contains(Duration.ofSeconds(10));
    // A denial whose reports all passed (the policy said no) is a denial.
    assertThat(CachePolicy.defaults().ttlFor(
            new VerificationResult("s", false, List.of(report(true, null, List.of())))))
        .contains(Duration.ofSeconds(10));
  }

  @Test
  void an_allow_resting_on_a_transient_failure_is_not_cached() {
    VerificationResult r = new VerificationResult("s", true, List.of(
        report(true, null, List.of()),
        report(false, FailureKind.TRANSIENT, ErrorCode.GET_BLOB_CONTENT_FAILURE, List.of())));
    assertThat(r.failureKind()).contains(FailureKind.TRANSIENT);
    assertThat(CachePolicy.defaults().ttlFor(r)).isEmpty();
  }

  @Test
  void a_transient_failure_anywhere_in_the_nested_results_prevents_caching() {
    VerificationResult r = new VerificationResult("s", false, List.of(
        report(true, null, List.of()),
        report(false, ErrorCode.VERIFY_REFERENCE_FAILURE,
            List.of(report(false, ErrorCode.NO_VERIFIER_REPORT, List.of()),
                report(false, ErrorCode.DEADLINE_EXCEEDED, List.of())))));
    cache.put(KEY, r);
    assertThat(cache.get(KEY)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = ErrorCode.class, names = {"VERIFY_REFERENCE_FAILURE", "MANIFEST_INVALID", "REFERENCE_INVALID"})
  void permanent_failures_are_cached(ErrorCode code) {
    assertThat(CachePolicy.keeps(usualKind(code))).isTrue();
    assertThat(CachePolicy.defaults().ttlFor(result(false, code))).contains(Duration.ofSeconds(10));
  }

  @Test
  void another_generation_repository_or_digest_is_another_entry() {
    cache.put(KEY, result(true, null));
    assertThat(cache.get(new ResultKey("8", KEY.repository(), KEY.digest()))).isEmpty();
    assertThat(cache.get(new ResultKey("7", "registry.test/other", KEY.digest()))).isEmpty();
    assertThat(cache.get(new ResultKey("7", KEY.repository(), Digest.sha256(new byte[] {1})))).isEmpty();
    assertThat(cache.get(new ResultKey("7", KEY.repository(), KEY.digest()))).isPresent();
  }

  @Test
  void the_cache_is_bounded_by_entry_count() {
    CaffeineResultCache small = new CaffeineResultCache(10, CachePolicy.defaults(), nanos::get);
    for (int i = 0; i < 200; i++) {
      small.put(new ResultKey("1", "registry.test/app", Digest.sha256(new byte[] {(byte) i})), result(true, null));
    }
    assertThat(small.size()).isLessThanOrEqualTo(10);
  }

  @Test
  void invalid_settings_are_rejected() {
    assertThatThrownBy(() -> new CaffeineResultCache(0, CachePolicy.defaults(), nanos::get))
        .hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> new CachePolicy(Duration.ofSeconds(-1), Duration.ZERO))
        .hasMessageContaining("negative");
    assertThat(new CachePolicy(Duration.ofSeconds(10), Duration.ZERO).ttlFor(
        new VerificationResult("s", false, List.of(VerifierReport.subjectFailure(
            "s", FailureKind.DENIED, ErrorCode.NO_VERIFIER_REPORT, "", "", ""))))).isEmpty();
    assertThat(KEY.toString()).isEqualTo("7/registry.test/app@" + KEY.digest());
  }
}
