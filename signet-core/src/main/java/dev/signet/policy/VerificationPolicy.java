package dev.signet.policy;

import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a verification: given the reports of one subject's referrers, allow or deny. A
 * policy never throws: whatever goes wrong while deciding is a deny (fail closed) that says why.
 * Implementations are immutable and safe to call from many threads at once.
 */
public interface VerificationPolicy {

  /** The decision over the reports of one subject, with its reason. */
  PolicyDecision decide(List<VerifierReport> reports);

  /** The decision alone. */
  default boolean allows(List<VerifierReport> reports) {
    return decide(reports).allowed();
  }

  /**
   * The result for a subject: the decision over its reports and, when the policy itself failed (an
   * evaluation error, not a plain "no"), one more report that carries the policy's reason, so that a
   * user sees why an image whose signatures all passed was denied.
   */
  default VerificationResult judge(String subject, List<VerifierReport> reports) {
    PolicyDecision decision = decide(reports);
    if (decision.verdict() != PolicyDecision.Verdict.ERROR) {
      return new VerificationResult(subject, decision.allowed(), reports);
    }
    List<VerifierReport> withReason = new ArrayList<>(reports);
    withReason.add(
        VerifierReport.subjectFailure(
            subject,
            FailureKind.CONFIGURATION,
            ErrorCode.EXECUTOR_FAILURE,
            "the policy could not be evaluated, so the subject is denied",
            decision.reason(),
            "Fix the policy expression (policy.plugin in the configuration); see docs/policies.md."));
    return new VerificationResult(subject, false, withReason);
  }
}
