package dev.signet.verify;

import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Why a subject could not be verified, before any referrer was judged: what its report says, and
 * of which kind the failure is.
 *
 * @param kind what the failure says about the subject and about retrying
 * @param code the report's error code
 * @param message what happened
 * @param reason its root cause
 * @param remediation what a user can do
 * @param extensions details for the report (for a deadline: the step)
 */
public record Failure(
    FailureKind kind,
    ErrorCode code,
    String message,
    String reason,
    String remediation,
    Map<String, Object> extensions) {

  static final String TIMEOUT_REMEDIATION =
      "Retry; if it keeps happening, check registry latency and raise"
          + " executor.verificationRequestTimeout.";

  public Failure {
    extensions = Map.copyOf(extensions);
  }

  /** The subject text is not an image reference. */
  public static Failure invalidReference(IllegalArgumentException e) {
    return new Failure(FailureKind.CONFIGURATION, ErrorCode.REFERENCE_INVALID,
        "the subject is not a valid image reference", e.getMessage(),
        "Give the image as host[:port]/repository[:tag][@sha256:<hex>].", Map.of());
  }

  /** The caller stopped waiting. */
  public static Failure interrupted(String message, String reason) {
    return new Failure(FailureKind.TRANSIENT, ErrorCode.EXECUTOR_FAILURE, message, reason, "Retry.", Map.of());
  }

  /** An error no step expects. */
  public static Failure unexpected(Throwable cause) {
    return new Failure(FailureKind.BUG, ErrorCode.EXECUTOR_FAILURE, "verification failed unexpectedly",
        String.valueOf(cause), "Report this as a bug, with the subject and the configuration.",
        Map.of());
  }

  /** The deadline of a verification of {@code budget} passed during {@code step}. */
  public static Failure deadline(Step step, Duration budget, String detail) {
    return new Failure(FailureKind.TRANSIENT, ErrorCode.DEADLINE_EXCEEDED,
        deadlineMessage(step, budget), detail, TIMEOUT_REMEDIATION, Map.of("step", step.key));
  }

  static String deadlineMessage(Step step, Duration budget) {
    return "verification did not finish within " + budget.toMillis()
        + " ms: the deadline passed while " + step.doing + " (step \"" + step.key + "\")";
  }

  /** A failure of {@code kind} with no extensions. */
  public static Failure of(
      FailureKind kind, ErrorCode code, String message, String reason, String remediation) {
    return new Failure(kind, code, message, reason, remediation, Map.of());
  }

  /** The report of this failure about {@code subject} as a whole (no referrer judged). */
  public VerifierReport report(String subject) {
    return VerifierReport.about(subject)
        .failure(kind, code, message, reason, remediation)
        .extensions(extensions)
        .build();
  }

  /** The failed result of {@code subject}. */
  public VerificationResult result(String subject) {
    return new VerificationResult(subject, false, List.of(report(subject)));
  }
}
