package dev.signet.kubernetes;

import dev.signet.engine.ConfigGeneration;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.util.List;

/** The verification engine of one scope (the cluster, or a namespace with its own resources). */
public sealed interface Engine {
  /**
   * A working engine from resources that load. The controller holds its configuration while a
   * published {@link Generation} uses it; a decision holds it for as long as it runs ({@link
   * ResourceController#withEngine}).
   */
  record Ready(ConfigGeneration configuration) implements Engine {}

  /** No engine: every image of the scope fails, with {@code reason}. */
  record Unavailable(String scope, String reason) implements Engine {
    /** The failed result of any subject. */
    public VerificationResult fail(String subject) {
      return new VerificationResult(
          subject,
          false,
          List.of(
              VerifierReport.subjectFailure(
                  subject,
                  FailureKind.CONFIGURATION,
                  ErrorCode.CONFIG_INVALID,
                  "no verification is configured for " + scope,
                  reason,
                  "Fix the Store, Verifier and Policy resources that apply to " + scope
                      + " (kubectl get stores,verifiers,policies -A shows their status).")));
    }
  }
}
