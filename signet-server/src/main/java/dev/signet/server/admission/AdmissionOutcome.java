package dev.signet.server.admission;

import java.util.List;

/**
 * What the webhook answered, for the HTTP layer's logs and metrics.
 *
 * @param body the AdmissionReview v1 response, JSON
 * @param uid the request's uid
 * @param allowed the response's {@code allowed}
 * @param verdicts one per distinct image verified (validate) or empty (mutate, or nothing to check)
 * @param warnings the response's warnings
 */
public record AdmissionOutcome(
    byte[] body, String uid, boolean allowed, List<ImageVerdict> verdicts, List<String> warnings) {
  public AdmissionOutcome {
    verdicts = List.copyOf(verdicts);
    warnings = List.copyOf(warnings);
  }
}
