package dev.signet.result;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The decision for one subject with the reports it rests on (Ratify result format 0.2.0). */
public record VerificationResult(String subject, boolean isSuccess, List<VerifierReport> verifierReports) {
  /** The kinds in the order they decide: the first one any report has names the result. */
  private static final List<FailureKind> PRECEDENCE =
      List.of(FailureKind.TRANSIENT, FailureKind.BUG, FailureKind.CONFIGURATION, FailureKind.DENIED);

  public VerificationResult {
    verifierReports = List.copyOf(verifierReports);
  }

  /**
   * What the failures this result rests on say about retrying: the first of transient, bug,
   * configuration and denied that a failed report (nested ones included) carries; denied for a
   * denial whose reports all passed (the policy said no); empty for an allow with no failed report.
   * A failed report without a kind counts as a bug: nothing says a retry gives the same answer.
   */
  public Optional<FailureKind> failureKind() {
    EnumSet<FailureKind> kinds = EnumSet.noneOf(FailureKind.class);
    collect(verifierReports, kinds);
    if (!isSuccess) {
      kinds.add(FailureKind.DENIED);
    }
    return PRECEDENCE.stream().filter(kinds::contains).findFirst();
  }

  private static void collect(List<VerifierReport> reports, Set<FailureKind> kinds) {
    for (VerifierReport r : reports) {
      if (!r.isSuccess()) {
        kinds.add(r.failureKind() == null ? FailureKind.BUG : r.failureKind());
      }
      collect(r.nestedResults(), kinds);
    }
  }
}
