package dev.signet.artifact;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ratify's {@code maximumAge}: a Go duration such as {@code 24h}, {@code 90m} or {@code 1h30m}. */
public final class AgeLimit {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private AgeLimit() {}

  /**
   * Parses a Go duration (units h, m, s, ms, us, ns; fractions allowed; no sign).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank() || text.length() > 64) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration; write it as Go does, e.g. 24h, 90m or 1h30m");
    }
    Matcher m = PART.matcher(text.trim());
    int at = 0;
    double nanos = 0;
    while (m.find() && m.start() == at) {
      double value = Double.parseDouble(m.group(1));
      nanos += value * switch (m.group(2)) {
        case "h" -> 3_600e9;
        case "m" -> 60e9;
        case "s" -> 1e9;
        case "ms" -> 1e6;
        case "us", "µs" -> 1e3;
        default -> 1;
      };
      at = m.end();
    }
    if (at == 0 || at != text.trim().length()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration; write it as Go does, e.g. 24h, 90m or 1h30m");
    }
    if (nanos <= 0 || nanos > Duration.ofDays(365L * 100).toNanos()) {
      throw new IllegalArgumentException("\"" + text + "\" must be more than 0 and at most 100 years");
    }
    return Duration.ofNanos((long) nanos);
  }
}
