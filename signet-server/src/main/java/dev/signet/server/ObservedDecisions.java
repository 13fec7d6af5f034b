package dev.signet.server;

// One log line per decision, as Ratify's "verification response for subject" (ratify-reference.md §6).

import dev.signet.verify.Decisions;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/** Decisions with a structured log line and a duration metric each. */
record ObservedDecisions(Decisions decisions, JsonLog log, ServerMetrics metrics) {
  VerificationResult verify(String subject, String traceId) {
    return verify("", subject, traceId);
  }

  /** The decision for an image of {@code namespace} ({@code ""}: none named). */
  VerificationResult verify(String namespace, String subject, String traceId) {
    long start = System.nanoTime();
    VerificationResult result;
    try {
      result = namespace.isEmpty() ? decisions.verify(subject) : decisions.verify(namespace, subject);
    } catch (RuntimeException e) {
      ObjectNode line = log.line("error", traceId, "verification failed for subject " + subject);
      line.put("subject", subject);
      line.put("isSuccess", false);
      line.put("errorReason", String.valueOf(e));
      log.write(line);
      throw e;
    }
    if (result == null) {
      throw new IllegalStateException("the decision source returned no result for " + subject);
    }
    return observed(result, subject, traceId, start);
  }

  /**
   * The decision when it is at hand without a request to a store or another process ({@link
   * Decisions#cached}), logged and counted as {@link #verify(String, String, String)} does; empty
   * (nothing logged) when it is not.
   */
  Optional<VerificationResult> cached(String namespace, String subject, String traceId) {
    long start = System.nanoTime();
    return decisions
        .cached(namespace, subject)
        .map(result -> observed(result, subject, traceId, start));
  }

  private VerificationResult observed(
      VerificationResult result, String subject, String traceId, long start) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    metrics.verifier(verifierName(result), result.isSuccess(), millis);
    ObjectNode line = log.line("info", traceId, "verification response for subject " + subject);
    line.put("subject", subject);
    line.put("isSuccess", result.isSuccess());
    line.put("errorReason", errorReason(result));
    line.put("durationMs", millis);
    log.write(line);
    return result;
  }

  /** The first failing report's reason; empty for an allowed subject. */
  static String errorReason(VerificationResult result) {
    if (result.isSuccess()) {
      return "";
    }
    for (VerifierReport r : result.verifierReports()) {
      if (!r.isSuccess() && !r.errorReason().isEmpty()) {
        return r.errorReason();
      }
    }
    for (VerifierReport r : result.verifierReports()) {
      if (!r.isSuccess() && !r.message().isEmpty()) {
        return r.message();
      }
    }
    return "verification failed";
  }

  private static String verifierName(VerificationResult result) {
    for (VerifierReport r : result.verifierReports()) {
      if (!r.verifierName().isEmpty()) {
        return r.verifierName();
      }
    }
    return "none";
  }
}
