package dev.signet.oci;

import dev.signet.reference.Digest;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reads descriptors and their fields from manifest JSON with strict types. */
final class DescriptorJson {
  private DescriptorJson() {}

  static Descriptor descriptor(JsonNode node, String where) throws ManifestFormatException {
    if (node == null || !node.isObject()) {
      throw new ManifestFormatException(where + " must be a descriptor object");
    }
    String mediaType = optionalText(node, "mediaType", where);
    String digestText = optionalText(node, "digest", where);
    if (digestText == null) {
      throw new ManifestFormatException(where + ".digest is missing");
    }
    JsonNode size = node.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new ManifestFormatException(where + ".size must be a non-negative integer");
    }
    Digest digest;
    try {
      digest = Digest.parse(digestText);
    } catch (IllegalArgumentException e) {
      throw new ManifestFormatException(where + ".digest: " + e.getMessage());
    }
    return new Descriptor(
        mediaType,
        digest,
        size.asLong(),
        optionalText(node, "artifactType", where),
        annotations(node, where));
  }

  static String optionalText(JsonNode node, String field, String where)
      throws ManifestFormatException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new ManifestFormatException(where + "." + field + " must be a string");
    }
    return value.asString();
  }

  static Map<String, String> annotations(JsonNode node, String where)
      throws ManifestFormatException {
    JsonNode value = node.get("annotations");
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new ManifestFormatException(where + ".annotations must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (!e.getValue().isString()) {
        throw new ManifestFormatException(
            where + ".annotations[\"" + e.getKey() + "\"] must be a string");
      }
      out.put(e.getKey(), e.getValue().asString());
    }
    return out;
  }
}
