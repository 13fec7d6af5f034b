package dev.signet.verify;

import dev.signet.result.ErrorCode;

/**
 * A referrer could not be read or judged; carries what its failure report says. A {@link
 * ConfiguredVerifier} turns it into that report.
 */
public final class ReferrerFailure extends Exception {
  private final ErrorCode code;
  private final String reason;
  private final String remediation;

  public ReferrerFailure(ErrorCode code, String message, String reason, String remediation) {
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
