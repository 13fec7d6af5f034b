package dev.signet.verify;

import dev.signet.cache.ResultCache;
import dev.signet.cache.ResultKey;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.deadline.SingleFlight;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link SubjectVerifier} with a result cache in front (Ratify's executor with cache): results
 * are kept by (configuration fingerprint, repository, digest), so changed configuration or
 * certificates never see an older one; identical verifications in flight are coalesced (one runs,
 * the others wait within their own deadline); the cache keeps a result as its policy says
 * (transient failures not at all). Subjects must name their digest, or come resolved.
 */
final class CachingVerifier implements SubjectVerifier {
  private final SubjectVerifier verifier;
  private final String fingerprint;
  private final ResultCache cache;
  private final SingleFlight<ResultKey, VerificationResult, RuntimeException> inFlight;

  /**
   * @param fingerprint names the configuration and trust material {@code verifier} was built from
   * @param inFlight where verifications in flight are coalesced (shared by every configuration
   *     that shares {@code cache}: keys name the fingerprint)
   */
  CachingVerifier(
      SubjectVerifier verifier,
      String fingerprint,
      ResultCache cache,
      SingleFlight<ResultKey, VerificationResult, RuntimeException> inFlight) {
    this.verifier = verifier;
    this.fingerprint = fingerprint;
    this.cache = cache;
    this.inFlight = inFlight;
  }

  /** The key of a subject that names its digest. */
  private ResultKey key(Reference atDigest) {
    return new ResultKey(fingerprint, atDigest.qualifiedName(), atDigest.digest());
  }

  /**
   * The result this process holds for a subject that names its digest, asking nothing of a store
   * or of another process.
   */
  Optional<VerificationResult> inProcess(Reference atDigest) {
    return cache.getInProcess(key(atDigest));
  }

  @Override
  public VerificationResult verify(Reference subject, Deadline deadline) {
    return cached(key(subject), deadline, () -> verifier.verify(subject, deadline));
  }

  @Override
  public VerificationResult verify(
      Reference subject, ImageResolver.Resolved resolved, Deadline deadline) {
    Reference atDigest = subject.withDigest(resolved.descriptor().digest());
    return cached(key(atDigest), deadline,
        () -> verifier.verify(atDigest, resolved, deadline));
  }

  private VerificationResult cached(
      ResultKey key, Deadline deadline, Supplier<VerificationResult> verification) {
    Optional<VerificationResult> hit = cache.get(key);
    if (hit.isPresent()) {
      return hit.get();
    }
    try {
      return inFlight.run(
          key,
          deadline,
          "waiting for an identical verification in flight",
          // The cache is asked again now that this verification leads: another may have finished.
          () ->
              cache.getOrVerify(
                  key,
                  deadline,
                  () -> {
                    VerificationResult r = verification.get();
                    if (Thread.currentThread().isInterrupted()) {
                      // Cut short because this caller stopped waiting: not remembered (and not
                      // shared: the callers still waiting verify again).
                      throw new NotKept(r);
                    }
                    return r;
                  }));
    } catch (NotKept cutShort) {
      return cutShort.result;
    } catch (DeadlineExceededException e) {
      return new Failure(
              FailureKind.TRANSIENT,
              ErrorCode.DEADLINE_EXCEEDED,
              "verification did not finish in time: the deadline passed while waiting for an"
                  + " identical verification in flight",
              "the verification this request joined had not answered by the deadline",
              Failure.TIMEOUT_REMEDIATION,
              Map.of("step", Step.VERIFY.key))
          .result(key.repository() + "@" + key.digest());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Failure.interrupted("verification was interrupted", "the caller stopped waiting")
          .result(key.repository() + "@" + key.digest());
    }
  }

  /** A result cut short by its caller's interruption: answered to that caller, never cached. */
  private static final class NotKept extends RuntimeException {
    private final transient VerificationResult result;

    NotKept(VerificationResult result) {
      super("the caller stopped waiting", null, false, false);
      this.result = result;
    }
  }
}
