package dev.signet.verify;

import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;

/**
 * A referrer could not be read or judged; carries what its failure report says. A {@link
 * ConfiguredVerifier} turns it into that report.
 */
public final class ReferrerFailure extends Exception {
  private final FailureKind kind;
  private final ErrorCode code;
  private final String reason;
  private final String remediation;

  /**
   * @param kind {@link FailureKind#TRANSIENT} when the store failed this read, {@link
   *     FailureKind#DENIED} when the content is unusable as it is
   */
  public ReferrerFailure(
      FailureKind kind, ErrorCode code, String message, String reason, String remediation) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.reason = reason;
    this.remediation = remediation;
  }

  public FailureKind kind() {
    return kind;
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
