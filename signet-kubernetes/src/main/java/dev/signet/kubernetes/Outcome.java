package dev.signet.kubernetes;

import java.util.Map;

/**
 * What became of one resource in a build: in use, or not and why; for providers, the properties of
 * what was fetched and when.
 *
 * @param error empty when in use
 * @param fetchedAt for providers, when the certificates were fetched (or the fetch failed)
 */
record Outcome(String error, Map<String, Object> properties, java.time.Instant fetchedAt) {
  static Outcome ok() {
    return new Outcome("", Map.of(), null);
  }

  static Outcome failed(String error) {
    return new Outcome(error, Map.of(), null);
  }

  boolean success() {
    return error.isEmpty();
  }
}
