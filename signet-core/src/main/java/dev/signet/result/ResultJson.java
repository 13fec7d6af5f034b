package dev.signet.result;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders results in Ratify's JSON shape: {@code {"isSuccess", "verifierReports": [...]}}, each
 * report with Ratify's current and deprecated field names, and reads that shape back. As in
 * Ratify, where every report field but {@code isSuccess} is {@code omitempty}, empty strings, empty
 * extensions and empty nested results are left out ({@code errorCode} and {@code failureKind} are
 * Signet's additions, present on failures); reading takes a missing one as empty.
 */
public final class ResultJson {
  private ResultJson() {}

  public static ObjectNode of(VerificationResult result) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("isSuccess", result.isSuccess());
    root.set("verifierReports", reports(result.verifierReports()));
    return root;
  }

  /** The {@code verifierReports} array of {@link #of}. */
  public static ArrayNode reports(List<VerifierReport> reports) {
    ArrayNode array = StrictJson.MAPPER.createArrayNode();
    for (VerifierReport r : reports) {
      ObjectNode o = array.addObject();
      putIfNotEmpty(o, "subject", r.subject());
      o.put("isSuccess", r.isSuccess());
      putIfNotEmpty(o, "name", r.verifierName());
      putIfNotEmpty(o, "verifierName", r.verifierName());
      putIfNotEmpty(o, "type", r.verifierType());
      putIfNotEmpty(o, "verifierType", r.verifierType());
      putIfNotEmpty(o, "referenceDigest", r.referenceDigest());
      putIfNotEmpty(o, "artifactType", r.artifactType());
      putIfNotEmpty(o, "message", r.message());
      putIfNotEmpty(o, "errorReason", r.errorReason());
      putIfNotEmpty(o, "remediation", r.remediation());
      if (r.errorCode() != null) {
        o.put("errorCode", r.errorCode().name());
      }
      if (r.failureKind() != null) {
        o.put("failureKind", r.failureKind().key());
      }
      if (r.extensions() != null && !r.extensions().isEmpty()) {
        o.set("extensions", StrictJson.MAPPER.valueToTree(extensions(r.extensions())));
      }
      if (!r.nestedResults().isEmpty()) {
        o.set("nestedResults", reports(r.nestedResults()));
      }
    }
    return array;
  }

  private static void putIfNotEmpty(ObjectNode o, String name, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(name, value);
    }
  }

  /**
   * The result {@link #of} rendered, for {@code subject}.
   *
   * @throws JsonFormatException when a field is missing or has the wrong type, or an error code is
   *     unknown
   */
  public static VerificationResult parse(String subject, JsonNode root) throws JsonFormatException {
    return new VerificationResult(
        subject, bool(root, "isSuccess"), parseReports(root.get("verifierReports"), 0));
  }

  private static List<VerifierReport> parseReports(JsonNode array, int depth)
      throws JsonFormatException {
    if (array == null || !array.isArray()) {
      throw new JsonFormatException("verifierReports must be an array");
    }
    if (depth > 16) {
      throw new JsonFormatException("nestedResults are nested too deeply");
    }
    List<VerifierReport> reports = new ArrayList<>();
    for (JsonNode o : array) {
      if (!o.isObject()) {
        throw new JsonFormatException("a verifier report must be an object");
      }
      JsonNode code = o.get("errorCode");
      ErrorCode errorCode = null;
      if (code != null) {
        try {
          errorCode = ErrorCode.valueOf(text(o, "errorCode"));
        } catch (IllegalArgumentException e) {
          throw new JsonFormatException("unknown errorCode " + code, e);
        }
      }
      FailureKind failureKind = null;
      if (o.has("failureKind")) {
        String kind = text(o, "failureKind");
        failureKind = java.util.Arrays.stream(FailureKind.values())
            .filter(k -> k.key().equals(kind))
            .findFirst()
            .orElseThrow(() -> new JsonFormatException("unknown failureKind \"" + kind + "\""));
      }
      JsonNode extensions = o.has("extensions") ? o.get("extensions") : StrictJson.MAPPER.createObjectNode();
      if (!extensions.isObject()) {
        throw new JsonFormatException("extensions must be an object");
      }
      JsonNode nested = o.get("nestedResults");
      reports.add(
          VerifierReport.about(text(o, "subject"))
              .success(bool(o, "isSuccess"))
              .verifier(text(o, "verifierName"), text(o, "verifierType"))
              .referrer(text(o, "referenceDigest"), text(o, "artifactType"))
              .message(text(o, "message"))
              .errorReason(text(o, "errorReason"))
              .remediation(text(o, "remediation"))
              .errorCode(errorCode)
              .failureKind(failureKind)
              .extensions(StrictJson.MAPPER.convertValue(
                  extensions,
                  StrictJson.MAPPER.getTypeFactory()
                      .constructMapType(Map.class, String.class, Object.class)))
              .nestedResults(nested == null ? List.of() : parseReports(nested, depth + 1))
              .build());
    }
    return reports;
  }

  private static boolean bool(JsonNode o, String field) throws JsonFormatException {
    JsonNode v = o.get(field);
    if (v == null || !v.isBoolean()) {
      throw new JsonFormatException(field + " must be true or false");
    }
    return v.booleanValue();
  }

  private static String text(JsonNode o, String field) throws JsonFormatException {
    JsonNode v = o.get(field);
    if (v == null) {
      return "";
    }
    if (!v.isString()) {
      throw new JsonFormatException(field + " must be a string");
    }
    return v.stringValue();
  }

  private static Map<String, Object> extensions(Map<String, Object> e) {
    return new java.util.TreeMap<>(e);
  }
}
