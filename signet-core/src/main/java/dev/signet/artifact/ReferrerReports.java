package dev.signet.artifact;

import dev.signet.oci.Descriptor;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.VerifierReport;
import java.util.List;
import java.util.Map;

/** Reports of one verifier about one referrer of one subject. */
public record ReferrerReports(String verifierName, String verifierType, Reference subject, Descriptor referrer) {

  public VerifierReport success(String message, Map<String, Object> extensions) {
    return new VerifierReport(subject.toString(), true, verifierName, verifierType,
        referrer.digest().toString(), referrer.artifactType(), message, "", "", null, extensions,
        List.of());
  }

  /** A failure about the artifact's content (a policy violation or an unreadable document). */
  public VerifierReport failure(
      String message, String reason, String remediation, Map<String, Object> extensions) {
    return failure(ErrorCode.VERIFY_REFERENCE_FAILURE, message, reason, remediation, extensions);
  }

  public VerifierReport failure(
      ErrorCode code, String message, String reason, String remediation, Map<String, Object> extensions) {
    return new VerifierReport(subject.toString(), false, verifierName, verifierType,
        referrer.digest().toString(), referrer.artifactType(), message, reason, remediation, code,
        extensions, List.of());
  }

  public VerifierReport failure(ArtifactException e, Map<String, Object> extensions) {
    return failure(e.code(), e.getMessage(), e.reason(), e.remediation(), extensions);
  }
}
