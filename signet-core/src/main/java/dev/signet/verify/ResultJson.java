package dev.signet.verify;

import dev.signet.json.StrictJson;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders results in Ratify's JSON shape: {@code {"isSuccess", "verifierReports": [...]}}, each
 * report with Ratify's current and deprecated field names. As in Ratify, where every report field
 * but {@code isSuccess} is {@code omitempty}, empty strings, empty extensions and empty nested
 * results are left out ({@code errorCode} is Signet's addition, present on failures).
 */
public final class ResultJson {
  private ResultJson() {}

  public static ObjectNode of(VerificationResult result) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("isSuccess", result.isSuccess());
    root.set("verifierReports", reports(result.verifierReports()));
    return root;
  }

  private static ArrayNode reports(List<VerifierReport> reports) {
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

  private static Map<String, Object> extensions(Map<String, Object> e) {
    return new java.util.TreeMap<>(e);
  }
}
