package dev.signet.server.admission;

// AdmissionReview v1 (admission.k8s.io/v1), as sent by the Kubernetes API server to admission
// webhooks:
// https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads AdmissionReview v1 requests strictly and writes their responses. */
final class AdmissionReviews {
  static final String API_VERSION = "admission.k8s.io/v1";
  static final String KIND = "AdmissionReview";
  private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");
  private static final int MAX_UID_LENGTH = 256;

  private AdmissionReviews() {}

  /**
   * Parses an AdmissionReview v1 request.
   *
   * @throws AdmissionReviewException 413 when larger than {@code maxBytes}, 400 when malformed
   */
  static AdmissionRequest parse(byte[] body, int maxBytes) throws AdmissionReviewException {
    if (body.length > maxBytes) {
      throw new AdmissionReviewException(
          413,
          "AdmissionReview is "
              + body.length
              + " bytes, larger than the limit of "
              + maxBytes
              + " bytes");
    }
    JsonNode root;
    try {
      root = StrictJson.parseObject(body, maxBytes, "AdmissionReview");
    } catch (JsonFormatException e) {
      throw malformed(e.getMessage());
    }
    String apiVersion = requiredString(root, "apiVersion", "AdmissionReview");
    if (!apiVersion.equals(API_VERSION)) {
      throw malformed(
          "AdmissionReview apiVersion must be \"" + API_VERSION + "\", not \"" + apiVersion + "\"");
    }
    String kind = requiredString(root, "kind", "AdmissionReview");
    if (!kind.equals(KIND)) {
      throw malformed("AdmissionReview kind must be \"" + KIND + "\", not \"" + kind + "\"");
    }
    JsonNode request = requiredObject(root, "request", "AdmissionReview");
    String uid = requiredString(request, "uid", "request");
    if (uid.isEmpty() || uid.length() > MAX_UID_LENGTH) {
      throw malformed("request.uid must be 1 to " + MAX_UID_LENGTH + " characters");
    }
    JsonNode gvk = requiredObject(request, "kind", "request");
    String operation = requiredString(request, "operation", "request");
    if (!OPERATIONS.contains(operation)) {
      throw malformed(
          "request.operation must be CREATE, UPDATE, DELETE or CONNECT, not \"" + operation + "\"");
    }
    JsonNode object = request.get("object");
    if (object != null && object.isNull()) {
      object = null;
    }
    if (object != null && !object.isObject()) {
      throw malformed("request.object must be a JSON object");
    }
    return new AdmissionRequest(
        uid,
        optionalString(gvk, "group", "request.kind"),
        optionalString(gvk, "version", "request.kind"),
        requiredString(gvk, "kind", "request.kind"),
        optionalString(request, "subResource", "request"),
        operation,
        optionalString(request, "namespace", "request"),
        optionalString(request, "name", "request"),
        object);
  }

  /** The response envelope, echoing the request's apiVersion, kind and uid. */
  static ObjectNode response(String uid, boolean allowed) {
    ObjectNode root = StrictJson.MAPPER.createObjectNode();
    root.put("apiVersion", API_VERSION);
    root.put("kind", KIND);
    ObjectNode response = root.putObject("response");
    response.put("uid", uid);
    response.put("allowed", allowed);
    return root;
  }

  static byte[] bytes(ObjectNode review) {
    return StrictJson.MAPPER.writeValueAsBytes(review);
  }

  static AdmissionReviewException malformed(String message) {
    return new AdmissionReviewException(400, message);
  }

  private static String requiredString(JsonNode parent, String field, String where)
      throws AdmissionReviewException {
    return string(required(parent, field, where), field, where);
  }

  private static String optionalString(JsonNode parent, String field, String where)
      throws AdmissionReviewException {
    JsonNode node = parent.get(field);
    return node == null || node.isNull() ? "" : string(node, field, where);
  }

  private static JsonNode requiredObject(JsonNode parent, String field, String where)
      throws AdmissionReviewException {
    JsonNode node = required(parent, field, where);
    if (!node.isObject()) {
      throw malformed(where + "." + field + " must be a JSON object");
    }
    return node;
  }

  /** The field's value; absent or null is malformed. */
  private static JsonNode required(JsonNode parent, String field, String where)
      throws AdmissionReviewException {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw malformed(where + "." + field + " is required");
    }
    return node;
  }

  private static String string(JsonNode node, String field, String where) throws AdmissionReviewException {
    if (!node.isString()) {
      throw malformed(where + "." + field + " must be a string");
    }
    return node.asString();
  }
}
