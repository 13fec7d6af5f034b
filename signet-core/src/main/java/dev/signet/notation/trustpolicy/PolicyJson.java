package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON form of an OCI trust policy (trust-store-trust-policy.md; checklist §7.1) into a
 * {@link RawPolicy}. Deliberately stricter than notation's Go decoder, which matches keys
 * case-insensitively and ignores unknown keys: here keys are case-sensitive and an unknown key is
 * an error, so that a misspelt {@code trustedIdentites} cannot silently drop a rule. Values of the
 * wrong JSON type are errors. An explicit {@code null} counts as absent, as in Go.
 */
final class PolicyJson {
  static final String LINK = "https://notaryproject.dev/docs/quickstart/#create-a-trust-policy";

  private static final List<String> DOCUMENT_KEY_ORDER = List.of("version", "trustPolicies");
  private static final List<String> STATEMENT_KEY_ORDER =
      List.of(
          "name", "registryScopes", "signatureVerification", "trustStores", "trustedIdentities");
  private static final List<String> VERIFICATION_KEY_ORDER =
      List.of("level", "override", "verifyTimestamp");

  private PolicyJson() {}

  static RawPolicy read(JsonNode root) throws TrustPolicyException {
    if (root == null || !root.isObject()) {
      throw malformed("the document must be a JSON object");
    }
    checkKeys(root, DOCUMENT_KEY_ORDER, "the document");
    String version = string(root, "version", "version");
    List<RawPolicy.Statement> statements = new ArrayList<>();
    JsonNode list = root.get("trustPolicies");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw malformed("trustPolicies must be an array of statement objects");
      }
      for (int i = 0; i < list.size(); i++) {
        statements.add(statement(list.get(i), "trustPolicies[" + i + "]"));
      }
    }
    return new RawPolicy(version, statements);
  }

  static TrustPolicyException malformed(String detail) {
    return new TrustPolicyException(
        "malformed trust policy: " + detail + ". To create a trust policy, see: " + LINK);
  }

  private static RawPolicy.Statement statement(JsonNode node, String where)
      throws TrustPolicyException {
    if (node == null || !node.isObject()) {
      throw malformed(where + " must be a statement object");
    }
    checkKeys(node, STATEMENT_KEY_ORDER, where);
    String level = "";
    Map<String, String> override = new LinkedHashMap<>();
    String verifyTimestamp = "";
    JsonNode sv = node.get("signatureVerification");
    String svWhere = where + ".signatureVerification";
    if (sv != null && !sv.isNull()) {
      if (!sv.isObject()) {
        throw malformed(svWhere + " must be an object");
      }
      checkKeys(sv, VERIFICATION_KEY_ORDER, svWhere);
      level = string(sv, "level", svWhere + ".level");
      verifyTimestamp = string(sv, "verifyTimestamp", svWhere + ".verifyTimestamp");
      JsonNode o = sv.get("override");
      if (o != null && !o.isNull()) {
        if (!o.isObject()) {
          throw malformed(svWhere + ".override must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
          if (!e.getValue().isString()) {
            throw malformed(
                svWhere + ".override[" + GoFormat.quote(e.getKey()) + "] must be a string");
          }
          override.put(e.getKey(), e.getValue().asString());
        }
      }
    }
    return new RawPolicy.Statement(
        string(node, "name", where + ".name"),
        strings(node, "registryScopes", where + ".registryScopes"),
        level,
        override,
        verifyTimestamp,
        strings(node, "trustStores", where + ".trustStores"),
        strings(node, "trustedIdentities", where + ".trustedIdentities"));
  }

  private static void checkKeys(JsonNode node, List<String> allowed, String where)
      throws TrustPolicyException {
    for (String key : node.propertyNames()) {
      if (!allowed.contains(key)) {
        throw malformed(
            "unknown key "
                + GoFormat.quote(key)
                + " in "
                + where
                + " (keys are case-sensitive; the supported keys are "
                + String.join(", ", allowed)
                + ")");
      }
    }
  }

  private static String string(JsonNode parent, String key, String where)
      throws TrustPolicyException {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isString()) {
      throw malformed(where + " must be a string, found " + v.getNodeType());
    }
    return v.asString();
  }

  private static List<String> strings(JsonNode parent, String key, String where)
      throws TrustPolicyException {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw malformed(where + " must be an array of strings, found " + v.getNodeType());
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isString()) {
        throw malformed(where + "[" + i + "] must be a string, found " + e.getNodeType());
      }
      out.add(e.asString());
    }
    return out;
  }
}
