package dev.signet.policy;

import dev.signet.json.StrictJson;
import dev.signet.result.VerifierReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The reports as CEL sees them: the same keys and values as the {@code verifierReports} of Signet's
 * JSON result (Ratify's format), so that a policy can be written by looking at {@code signet verify
 * --output json}. Two differences make expressions simpler: {@code errorCode} is always present
 * ({@code ""} on success) and so is {@code nestedResults} ({@code []} when there are none); JSON
 * nulls inside {@code extensions} are left out.
 */
final class CelInput {
  /** Reports nest through nestedResults; deeper than this is not a real chain of artifacts. */
  private static final int MAX_DEPTH = 32;

  private CelInput() {}

  static List<Map<String, Object>> reports(List<VerifierReport> reports) {
    return reports(reports, 0);
  }

  private static List<Map<String, Object>> reports(List<VerifierReport> reports, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "the reports nest more than " + MAX_DEPTH + " levels deep through nestedResults");
    }
    List<Map<String, Object>> out = new ArrayList<>(reports.size());
    for (VerifierReport r : reports) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("subject", r.subject());
      m.put("isSuccess", r.isSuccess());
      m.put("name", r.verifierName());
      m.put("verifierName", r.verifierName());
      m.put("type", r.verifierType());
      m.put("verifierType", r.verifierType());
      m.put("referenceDigest", r.referenceDigest());
      m.put("artifactType", r.artifactType());
      m.put("message", r.message());
      m.put("errorReason", r.errorReason());
      m.put("remediation", r.remediation());
      m.put("errorCode", r.errorCode() == null ? "" : r.errorCode().name());
      m.put("extensions", extensions(r.extensions()));
      m.put("nestedResults", reports(r.nestedResults(), depth + 1));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> extensions(Map<String, Object> extensions) {
    if (extensions.isEmpty()) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) value(extensions, 0);
    return map;
  }

  /**
   * A Java value as one of the few types CEL knows (string, int, double, bool, list, map), the way
   * the JSON result renders it; JSON nulls are left out.
   */
  private static Object value(Object v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "a report extension nests more than " + MAX_DEPTH + " levels deep");
    }
    return switch (v) {
      case String s -> s;
      case Boolean b -> b;
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case Double d -> d;
      case Float f -> (double) f;
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (e.getValue() != null) {
            out.put(String.valueOf(e.getKey()), value(e.getValue(), depth + 1));
          }
        }
        yield out;
      }
      // Collections only: a Path is Iterable too, and goes the JSON way below.
      case java.util.Collection<?> items -> {
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
          if (item != null) {
            out.add(value(item, depth + 1));
          }
        }
        yield out;
      }
      // Anything else (an Instant, a BigInteger, a record) goes the way the JSON result goes.
      default -> json(StrictJson.MAPPER.valueToTree(v));
    };
  }

  private static Object json(JsonNode node) {
    if (node.isString()) {
      return node.asString();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        if (!item.isNull()) {
          list.add(json(item));
        }
      }
      return list;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (String key : node.propertyNames()) {
        JsonNode item = node.get(key);
        if (!item.isNull()) {
          map.put(key, json(item));
        }
      }
      return map;
    }
    return node.asString();
  }
}
