package dev.signet.verify;

import dev.signet.json.StrictJson;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders results in Ratify's JSON shape: {@code {"isSuccess", "verifierReports": [...]}}, each
 * report with Ratify's current and deprecated field names.
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
      o.put("subject", r.subject());
      o.put("isSuccess", r.isSuccess());
      o.put("name", r.verifierName());
      o.put("verifierName", r.verifierName());
      o.put("type", r.verifierType());
      o.put("verifierType", r.verifierType());
      o.put("referenceDigest", r.referenceDigest());
      o.put("artifactType", r.artifactType());
      o.put("message", r.message());
      o.put("errorReason", r.errorReason());
      o.put("remediation", r.remediation());
      if (r.errorCode() != null) {
        o.put("errorCode", r.errorCode().name());
      }
      o.set("extensions", StrictJson.MAPPER.valueToTree(extensions(r.extensions())));
      if (!r.nestedResults().isEmpty()) {
        o.set("nestedResults", reports(r.nestedResults()));
      }
    }
    return array;
  }

  private static Map<String, Object> extensions(Map<String, Object> e) {
    return new java.util.TreeMap<>(e);
  }
}
