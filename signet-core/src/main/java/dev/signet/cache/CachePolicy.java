package dev.signet.cache;

import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How long a decision may be served from a cache, decided by the {@link FailureKind} its failures
 * carry ({@link VerificationResult#failureKind()}, nested reports included):
 *
 * <ul>
 *   <li>a transient failure (a store unreachable or failing, a read that failed, the deadline, an
 *       interruption) or a bug is never cached: the next request must try again;
 *   <li>"no signature" ({@link ErrorCode#NO_VERIFIER_REPORT}) is kept for the short {@code
 *       noSignatureTtl}, so that a signature pushed right after the image is seen quickly;
 *   <li>everything else, allows, denials and configuration failures alike, is kept for {@code ttl}
 *       (Ratify: 10 s); keys name the configuration, so a fixed configuration never sees them.
 * </ul>
 *
 * @param ttl how long ordinary results are kept
 * @param noSignatureTtl how long "no signature" results are kept
 */
public record CachePolicy(Duration ttl, Duration noSignatureTtl) {
  /** Ratify's default verify-handler cache TTL. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  public static final Duration DEFAULT_NO_SIGNATURE_TTL = Duration.ofSeconds(2);

  public CachePolicy {
    if (ttl.isNegative() || noSignatureTtl.isNegative()) {
      throw new IllegalArgumentException("cache TTLs must not be negative");
    }
  }

  public static CachePolicy defaults() {
    return new CachePolicy(DEFAULT_TTL, DEFAULT_NO_SIGNATURE_TTL);
  }

  /** Whether a result whose failures are of this kind may be cached at all. */
  public static boolean keeps(FailureKind kind) {
    return switch (kind) {
      case TRANSIENT, BUG -> false;
      case DENIED, CONFIGURATION -> true;
    };
  }

  /** How long the result may be cached; empty when it must not be cached. */
  public Optional<Duration> ttlFor(VerificationResult result) {
    if (!result.failureKind().map(CachePolicy::keeps).orElse(true)) {
      return Optional.empty();
    }
    Duration d = hasNoSignature(result.verifierReports()) ? noSignatureTtl : ttl;
    return d.isZero() ? Optional.empty() : Optional.of(d);
  }

  private static boolean hasNoSignature(List<VerifierReport> reports) {
    return reports.stream()
        .anyMatch(r -> r.errorCode() == ErrorCode.NO_VERIFIER_REPORT
            || hasNoSignature(r.nestedResults()));
  }
}
