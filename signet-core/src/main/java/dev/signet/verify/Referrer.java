package dev.signet.verify;

import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.VerifierReport;
import java.util.Map;

/**
 * One referrer of a subject as a verifier judges it, and the reports that verifier makes about it.
 *
 * @param verifierName the configured name of the verifier judging
 * @param verifierType its implementation type
 * @param subject the subject reference as given
 * @param subjectDescriptor the resolved subject
 * @param descriptor the referrer's descriptor
 * @param store the store that listed the referrer (fetch its content from there)
 */
public record Referrer(
    String verifierName,
    String verifierType,
    Reference subject,
    Descriptor subjectDescriptor,
    Descriptor descriptor,
    ReferrerStore store) {

  /** A report about this referrer, by this verifier, to be filled in. */
  public VerifierReport.Builder report() {
    return VerifierReport.about(subject.toString())
        .verifier(verifierName, verifierType)
        .referrer(descriptor.digest().toString(), descriptor.artifactType());
  }

  public VerifierReport success(String message, Map<String, Object> extensions) {
    return report().passed(message).extensions(extensions).build();
  }

  /** A failure about the artifact's content (a policy violation or an unreadable document). */
  public VerifierReport failure(
      String message, String reason, String remediation, Map<String, Object> extensions) {
    return failure(ErrorCode.VERIFY_REFERENCE_FAILURE, message, reason, remediation, extensions);
  }

  public VerifierReport failure(
      ErrorCode code, String message, String reason, String remediation, Map<String, Object> extensions) {
    return report().failure(code, message, reason, remediation).extensions(extensions).build();
  }

  public VerifierReport failure(ReferrerFailure e, Map<String, Object> extensions) {
    return failure(e.code(), e.getMessage(), e.reason(), e.remediation(), extensions);
  }
}
