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
 * @param failureKind what a failure says about retrying, set where the failure is built; null on
 *     success
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
    FailureKind failureKind,
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
    failureKind = isSuccess ? null : failureKind;
  }

  /** A report about {@code subject}, to be filled in; a builder starts as a failure with no code. */
  public static Builder about(String subject) {
    return new Builder(subject);
  }

  /** A builder holding this report's fields, to make a changed copy. */
  public Builder toBuilder() {
    return new Builder(subject)
        .verifier(verifierName, verifierType)
        .referrer(referenceDigest, artifactType)
        .success(isSuccess)
        .message(message)
        .errorReason(errorReason)
        .remediation(remediation)
        .errorCode(errorCode)
        .failureKind(failureKind)
        .extensions(extensions)
        .nestedResults(nestedResults);
  }

  /** A failure that is about the subject as a whole (no referrer judged). */
  public static VerifierReport subjectFailure(
      String subject,
      FailureKind kind,
      ErrorCode code,
      String message,
      String errorReason,
      String remediation) {
    return about(subject).failure(kind, code, message, errorReason, remediation).build();
  }

  /** Fills in a {@link VerifierReport} by field name instead of position. */
  public static final class Builder {
    private final String subject;
    private boolean isSuccess;
    private String verifierName;
    private String verifierType;
    private String referenceDigest;
    private String artifactType;
    private String message;
    private String errorReason;
    private String remediation;
    private ErrorCode errorCode;
    private FailureKind failureKind;
    private Map<String, Object> extensions;
    private List<VerifierReport> nestedResults;

    private Builder(String subject) {
      this.subject = subject;
    }

    /** The configured name and the implementation type of the verifier that judged. */
    public Builder verifier(String name, String type) {
      this.verifierName = name;
      this.verifierType = type;
      return this;
    }

    /** The referrer judged: its digest and artifact type. */
    public Builder referrer(String digest, String artifactType) {
      this.referenceDigest = digest;
      this.artifactType = artifactType;
      return this;
    }

    public Builder success(boolean success) {
      this.isSuccess = success;
      return this;
    }

    /** A pass with {@code message}: no code, kind, reason or remediation. */
    public Builder passed(String message) {
      return success(true).message(message).errorCode(null).failureKind(null).errorReason("")
          .remediation("");
    }

    /** A failure: its kind and code, what happened, its root cause and what a user can do. */
    public Builder failure(
        FailureKind kind, ErrorCode code, String message, String reason, String remediation) {
      return success(false).failureKind(kind).errorCode(code).message(message).errorReason(reason)
          .remediation(remediation);
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder errorReason(String errorReason) {
      this.errorReason = errorReason;
      return this;
    }

    public Builder remediation(String remediation) {
      this.remediation = remediation;
      return this;
    }

    public Builder errorCode(ErrorCode errorCode) {
      this.errorCode = errorCode;
      return this;
    }

    public Builder failureKind(FailureKind failureKind) {
      this.failureKind = failureKind;
      return this;
    }

    public Builder extensions(Map<String, Object> extensions) {
      this.extensions = extensions;
      return this;
    }

    public Builder nestedResults(List<VerifierReport> nestedResults) {
      this.nestedResults = nestedResults;
      return this;
    }

    public VerifierReport build() {
      return new VerifierReport(subject, isSuccess, verifierName, verifierType, referenceDigest,
          artifactType, message, errorReason, remediation, errorCode, failureKind, extensions,
          nestedResults);
    }
  }
}
