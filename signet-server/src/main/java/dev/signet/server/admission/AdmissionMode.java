package dev.signet.server.admission;

import java.util.Locale;

/** What the validating webhook does with an image that fails verification. */
public enum AdmissionMode {
  /** Reject the request (HTTP 403 in the AdmissionReview status), naming each failing image. */
  DENY,
  /** Admit, with a warning per failing image and an audit annotation listing them. */
  AUDIT,
  /** Admit, with a warning per failing image. */
  WARN;

  /**
   * Parses {@code deny}, {@code audit} or {@code warn}, case-insensitively.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static AdmissionMode parse(String text) {
    return switch (text == null ? "" : text.toLowerCase(Locale.ROOT)) {
      case "deny" -> DENY;
      case "audit" -> AUDIT;
      case "warn" -> WARN;
      default ->
          throw new IllegalArgumentException(
              "admission mode must be deny, audit or warn, not \"" + text + "\"");
    };
  }
}
