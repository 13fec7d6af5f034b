package dev.signet.result;

import java.util.List;

/** The decision for one subject with the reports it rests on (Ratify result format 0.2.0). */
public record VerificationResult(String subject, boolean isSuccess, List<VerifierReport> verifierReports) {
  public VerificationResult {
    verifierReports = List.copyOf(verifierReports);
  }
}
