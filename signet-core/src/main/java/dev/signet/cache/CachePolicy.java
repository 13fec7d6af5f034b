package dev.signet.cache;

import dev.signet.result.ErrorCode;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How long a decision may be served from a cache, decided by the error codes in its reports
 * (including nested ones):
 *
 * <ul>
 *   <li>a transient failure (store unreachable or failing, a fetch that failed, the deadline, an
 *       interruption) is never cached: the next request must try again;
 *   <li>"no signature" ({@link ErrorCode#NO_VERIFIER_REPORT}) is kept for the short {@code noSignatureTtl}, so that a signature pushed right after the
 *       image is seen quickly;
 *   <li>everything else, allows and denials alike, is kept for {@code ttl} (Ratify: 10 s).
 * </ul>
 *
 * <p>Store error codes do not tell "not found" from "503", so every store failure counts as transient.
 *
 * @param ttl how long ordinary results are kept
 * @param noSignatureTtl how long "no signature" results are kept
 */
public record CachePolicy(Duration ttl, Duration noSignatureTtl) {
  /** Ratify's default verify-handler cache TTL. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  public static final Duration DEFAULT_NO_SIGNATURE_TTL = Duration.ofSeconds(2);

  private static final Set<ErrorCode> TRANSIENT =
      Set.of(
          ErrorCode.DEADLINE_EXCEEDED,
          ErrorCode.EXECUTOR_FAILURE,
          ErrorCode.REFERRER_STORE_FAILURE,
          ErrorCode.LIST_REFERRERS_FAILURE,
          ErrorCode.GET_SUBJECT_DESCRIPTOR_FAILURE,
          ErrorCode.GET_REFERRER_MANIFEST_FAILURE,
          ErrorCode.GET_BLOB_CONTENT_FAILURE);


  public CachePolicy {
    if (ttl.isNegative() || noSignatureTtl.isNegative()) {
      throw new IllegalArgumentException("cache TTLs must not be negative");
    }
  }

  public static CachePolicy defaults() {
    return new CachePolicy(DEFAULT_TTL, DEFAULT_NO_SIGNATURE_TTL);
  }

  /** Whether results with this code must never be cached. */
  public static boolean isTransient(ErrorCode code) {
    return TRANSIENT.contains(code);
  }

  /** How long the result may be cached; empty when it must not be cached. */
  public Optional<Duration> ttlFor(VerificationResult result) {
    Kind kind = kind(result.verifierReports(), Kind.ORDINARY);
    Duration d =
        switch (kind) {
          case TRANSIENT -> Duration.ZERO;
          case NO_SIGNATURE -> noSignatureTtl;
          case ORDINARY -> ttl;
        };
    return d.isZero() ? Optional.empty() : Optional.of(d);
  }

  private enum Kind {
    ORDINARY,
    NO_SIGNATURE,
    TRANSIENT
  }

  private static Kind kind(List<VerifierReport> reports, Kind so) {
    Kind k = so;
    for (VerifierReport r : reports) {
      if (r.errorCode() != null && TRANSIENT.contains(r.errorCode())) {
        return Kind.TRANSIENT;
      }
      if (r.errorCode() == ErrorCode.NO_VERIFIER_REPORT) {
        k = Kind.NO_SIGNATURE;
      }
      k = kind(r.nestedResults(), k);
      if (k == Kind.TRANSIENT) {
        return k;
      }
    }
    return k;
  }
}
