package dev.signet.cloud.azure;

// Microsoft identity platform token responses (access_token, expires_in) and error responses
// (error, error_description, error_codes); the instance metadata service answers the same shape
// with numbers as strings.

import dev.signet.http.HttpPipeline;
import dev.signet.cloud.CloudException;
import dev.signet.http.Scrubber;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.time.Clock;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

final class TokenAnswer {
  static final int MAX_BODY = 64 * 1024;
  private static final int MAX_DESCRIPTION = 300;

  private TokenAnswer() {}

  static AccessToken parse(HttpPipeline.Response r, String what, Clock clock) throws CloudException {
    JsonNode json = json(r, what);
    if (json == null) {
      throw new CloudException(what + ": the answer is not a JSON object", r.status());
    }
    JsonNode token = json.get("access_token");
    if (token == null || !token.isString() || token.asString().isEmpty()) {
      throw new CloudException(what + ": the answer has no access_token", r.status());
    }
    long seconds = seconds(json.get("expires_in"));
    if (seconds <= 0) {
      throw new CloudException(what + ": the answer has no valid expires_in", r.status());
    }
    return new AccessToken(token.asString(), clock.instant().plus(Duration.ofSeconds(seconds)));
  }

  /** The numeric error code (AADSTS number) of an error answer, 0 when there is none. */
  static long errorCode(HttpPipeline.Response r) {
    JsonNode json = json(r, "");
    if (json == null) {
      return 0;
    }
    JsonNode codes = json.get("error_codes");
    if (codes != null && codes.isArray() && !codes.isEmpty() && codes.get(0).canConvertToLong()) {
      return codes.get(0).asLong();
    }
    return 0;
  }

  /**
   * {@code error: description} of an error answer, bounded, or {@code HTTP <status>}; what the
   * service wrote goes through {@code scrubber} before it is cut, so no part of a credential it
   * echoes is kept.
   */
  static String errorText(HttpPipeline.Response r, Scrubber scrubber) {
    JsonNode json = json(r, "");
    if (json == null) {
      return "HTTP " + r.status();
    }
    String error = scrubber.scrub(text(json.get("error")));
    String description = scrubber.scrub(text(json.get("error_description")));
    if (error == null && description == null) {
      return "HTTP " + r.status();
    }
    String line = description == null ? "" : description.lines().findFirst().orElse("");
    if (line.length() > MAX_DESCRIPTION) {
      line = line.substring(0, MAX_DESCRIPTION) + "...";
    }
    return "HTTP " + r.status() + " " + (error == null ? "" : error) + (line.isEmpty() ? "" : ": " + line);
  }

  private static JsonNode json(HttpPipeline.Response r, String what) {
    try {
      return StrictJson.parseObject(r.body(), MAX_BODY, "token answer");
    } catch (JsonFormatException e) {
      return null;
    }
  }

  private static String text(JsonNode n) {
    return n != null && n.isString() && !n.asString().isBlank() ? n.asString() : null;
  }

  private static long seconds(JsonNode n) {
    if (n == null) {
      return -1;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.asLong();
    }
    if (n.isString() && n.asString().matches("[0-9]{1,9}")) {
      return Long.parseLong(n.asString());
    }
    return -1;
  }
}
