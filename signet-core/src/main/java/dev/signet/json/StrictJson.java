package dev.signet.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON parsing for untrusted documents (envelopes, manifests, policies, configuration): size limit
 * first, duplicate keys rejected, bounded nesting, exactly one value per document.
 */
public final class StrictJson {
  /** The shared mapper: strict on read, thread-safe. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxStringLength(64 * 1024 * 1024)
                          .maxNumberLength(64)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private StrictJson() {}

  /**
   * Parses one JSON document of at most {@code maxBytes}.
   *
   * @throws JsonFormatException with a message that names {@code what} and the cause
   */
  public static JsonNode parse(byte[] bytes, int maxBytes, String what) throws JsonFormatException {
    if (bytes.length > maxBytes) {
      throw new JsonFormatException(
          what + " is " + bytes.length + " bytes, larger than the limit of " + maxBytes + " bytes");
    }
    if (bytes.length == 0) {
      throw new JsonFormatException(what + " is empty");
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new JsonFormatException(what + " is empty");
      }
      return node;
    } catch (JacksonException e) {
      throw new JsonFormatException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a document that must be a JSON object. */
  public static JsonNode parseObject(byte[] bytes, int maxBytes, String what)
      throws JsonFormatException {
    JsonNode node = parse(bytes, maxBytes, what);
    if (!node.isObject()) {
      throw new JsonFormatException(what + " must be a JSON object, found " + node.getNodeType());
    }
    return node;
  }
}
