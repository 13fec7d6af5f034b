package dev.signet.result;

import java.util.List;
import java.util.Map;

/**
 * One verifier's judgement of one referrer (or of the subject when nothing could be judged), in
 * Ratify's report shape.
 *
 * @param subject the subject reference as given
 * @param isSuccess whether the referrer passed
 * @param verifierName the configured verifier name
 * @param verifierType the verifier implementation type
 * @param referenceDigest the digest of the referrer (signature manifest) judged; may be empty
 * @param artifactType the referrer's artifact type; may be empty
 * @param message what happened
 * @param errorReason the root cause of a failure; empty on success
 * @param remediation what a user can do; empty on success
 * @param errorCode the error code name for failures, or null
 * @param extensions verifier-specific details (for notation: Issuer, SN, warnings)
 * @param nestedResults reports of the referrer's own referrers
 */
public record VerifierReport(
    String subject,
    boolean isSuccess,
    String verifierName,
    String verifierType,
    String referenceDigest,
    String artifactType,
    String message,
    String errorReason,
    String remediation,
    ErrorCode errorCode,
    Map<String, Object> extensions,
    List<VerifierReport> nestedResults) {

  public VerifierReport {
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    nestedResults = nestedResults == null ? List.of() : List.copyOf(nestedResults);
    verifierName = verifierName == null ? "" : verifierName;
    verifierType = verifierType == null ? "" : verifierType;
    referenceDigest = referenceDigest == null ? "" : referenceDigest;
    artifactType = artifactType == null ? "" : artifactType;
    message = message == null ? "" : message;
    errorReason = errorReason == null ? "" : errorReason;
    remediation = remediation == null ? "" : remediation;
  }

  /** A failure that is about the subject as a whole (no referrer judged). */
  public static VerifierReport subjectFailure(
      String subject, ErrorCode code, String message, String errorReason, String remediation) {
    return new VerifierReport(
        subject, false, "", "", "", "", message, errorReason, remediation, code, Map.of(), List.of());
  }
}
