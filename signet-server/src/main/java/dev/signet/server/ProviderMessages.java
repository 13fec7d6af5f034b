package dev.signet.server;

// Gatekeeper's external data messages as Ratify writes them (ratify-reference.md §3):
// ProviderRequest in, ProviderResponse out, [namespace]image keys, Go's time and duration formats.

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.result.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/** The provider's wire format: requests parsed strictly, responses written as Ratify does. */
final class ProviderMessages {
  static final String V1ALPHA1 = "externaldata.gatekeeper.sh/v1alpha1";
  static final String V1BETA1 = "externaldata.gatekeeper.sh/v1beta1";
  /** Ratify's result format version under config policy. */
  static final String RESULT_VERSION = "0.2.0";

  // Ratify's ParseRequestKey: (\[(.*?)\])?(.*)
  private static final Pattern KEY = Pattern.compile("^(?:\\[(.*?)\\])?(.*)$", Pattern.DOTALL);

  private ProviderMessages() {}

  /** A reply: HTTP status and JSON body. */
  record Reply(int status, byte[] body) {}

  /** The parsed ProviderRequest. */
  record ProviderRequest(String apiVersion, List<String> keys) {}

  /** The image and namespace of one key. */
  record Key(String namespace, String image) {
    static Key parse(String key) {
      Matcher m = KEY.matcher(key);
      if (!m.matches()) {
        return new Key("", key);
      }
      return new Key(m.group(1) == null ? "" : m.group(1), m.group(2));
    }
  }

  static ProviderRequest parse(byte[] body) throws RejectedRequestException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(body, body.length, "ProviderRequest");
    } catch (JsonFormatException e) {
      throw malformed(e.getMessage());
    }
    JsonNode kind = root.get("kind");
    if (kind != null && !(kind.isString() && kind.asString().equals("ProviderRequest"))) {
      throw malformed("kind must be \"ProviderRequest\", found " + kind);
    }
    String apiVersion = V1BETA1;
    JsonNode version = root.get("apiVersion");
    if (version != null && version.isString()
        && (version.asString().equals(V1ALPHA1) || version.asString().equals(V1BETA1))) {
      apiVersion = version.asString();
    }
    JsonNode request = root.get("request");
    if (request == null || !request.isObject()) {
      throw malformed("\"request\" must be an object");
    }
    JsonNode keys = request.get("keys");
    if (keys == null || !keys.isArray()) {
      throw malformed("\"request.keys\" must be an array of image references");
    }
    List<String> out = new ArrayList<>(keys.size());
    for (JsonNode k : keys) {
      if (!k.isString()) {
        throw malformed("every entry of \"request.keys\" must be a string, found " + k);
      }
      out.add(k.asString());
    }
    return new ProviderRequest(apiVersion, out);
  }

  private static RejectedRequestException malformed(String why) {
    return new RejectedRequestException(400, "malformed ProviderRequest: " + why);
  }

  static ObjectNode response(String apiVersion, boolean idempotent) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("apiVersion", apiVersion);
    root.put("kind", "ProviderResponse");
    ObjectNode response = root.putObject("response");
    if (idempotent) {
      response.put("idempotent", true);
    }
    return root;
  }

  /** Gatekeeper's ProviderResponse: items and systemError are omitempty; no error, no key. */
  static Reply ok(ObjectNode response) {
    ObjectNode r = response.withObjectProperty("response");
    if (r.path("items").isEmpty()) {
      r.remove("items");
    }
    return new Reply(200, StrictJson.MAPPER.writeValueAsBytes(response));
  }

  static Reply error(String apiVersion, int status, String message, boolean idempotent) {
    ObjectNode response = response(apiVersion, idempotent);
    response.withObjectProperty("response").put("systemError", message);
    return new Reply(status, StrictJson.MAPPER.writeValueAsBytes(response));
  }

  /**
   * Ratify's VerificationResponse: {version, isSuccess, traceID, timestamp, verifierReports}, the
   * timestamp as Go prints RFC 3339 with nanoseconds; {@code reports} null for an empty report
   * list, which is left out.
   */
  static ObjectNode value(VerificationResult result, String traceId, Instant at, RawValue reports) {
    ObjectNode v = StrictJson.MAPPER.createObjectNode();
    v.put("version", RESULT_VERSION);
    v.put("isSuccess", result.isSuccess());
    v.put("traceID", traceId);
    v.put("timestamp", goTime(at));
    if (reports != null) {
      v.putRawValue("verifierReports", reports);
    }
    return v;
  }

  /** Go's time.RFC3339Nano in UTC: fraction digits without trailing zeros, none when zero. */
  static String goTime(Instant t) {
    String seconds = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    int nano = t.getNano();
    if (nano == 0) {
      return seconds;
    }
    String digits = Integer.toString(1_000_000_000 + nano).substring(1); // nine, zero-padded
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return seconds.substring(0, seconds.length() - 1) + "." + digits.substring(0, end) + "Z";
  }

  /** Go's Duration.String() for whole milliseconds: 4.9s, 950ms, 2s. */
  static String goDuration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    String s = java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    return s + "s";
  }
}
