package dev.signet.artifact;

import dev.signet.result.ErrorCode;

/** A referrer could not be read or judged; carries what its failure report says. */
public final class ArtifactException extends Exception {
  private final ErrorCode code;
  private final String reason;
  private final String remediation;

  public ArtifactException(ErrorCode code, String message, String reason, String remediation) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.remediation = remediation;
  }

  public ErrorCode code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public String remediation() {
    return remediation;
  }
}
