package dev.signet.notation;

import dev.signet.notation.envelope.EnvelopeContent;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying one signature against a trust policy.
 *
 * @param verified true when no enforced check failed
 * @param statement the trust policy statement applied, or null when none applied
 * @param failedCheck the check that failed verification, or null (also null when the failure is
 *     about the trust policy itself, e.g. no statement applies)
 * @param reason why verification failed, in words a user can act on; null on success
 * @param results every check that ran, in order, including logged failures (warnings)
 * @param content the verified envelope, or null when integrity failed or verification was skipped
 */
public record VerificationOutcome(
    boolean verified,
    String statement,
    Check failedCheck,
    String reason,
    List<CheckResult> results,
    EnvelopeContent content) {

  public VerificationOutcome {
    results = List.copyOf(results);
  }

  /** True when the trust policy level is {@code skip}: nothing was checked. */
  public boolean skipped() {
    return verified && results.isEmpty();
  }

  /** Checks that failed with the action {@code log}. */
  public List<CheckResult> warnings() {
    return results.stream().filter(r -> !r.passed() && !r.fatal()).toList();
  }

  public Optional<CheckResult> result(Check check) {
    return results.stream().filter(r -> r.check() == check).reduce((a, b) -> b);
  }
}
