package dev.signet.notation.envelope;

// Notary Project signature-specification.md "Payload": {"targetArtifact": <OCI descriptor>} with
// mediaType, digest and size required.

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Shape check of the signed payload (matching it against the artifact is the workflow's job). */
final class NotaryPayload {
  // OCI digest grammar only: blob signatures use sha384 digests, which content checks do not.
  private static final Pattern OCI_DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

  private NotaryPayload() {}

  static void check(byte[] payload) throws EnvelopeException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(payload, JwsEnvelope.MAX_ENVELOPE_BYTES, "signature payload");
    } catch (JsonFormatException e) {
      throw new EnvelopeException(e.getMessage(), e);
    }
    JsonNode target = root.get("targetArtifact");
    if (target == null || !target.isObject()) {
      throw new EnvelopeException(
          "signature payload must hold a \"targetArtifact\" descriptor object"
              + (target == null ? "" : ", found " + JwsEnvelope.typeOf(target)));
    }
    for (String field : new String[] {"mediaType", "digest"}) {
      JsonNode value = target.get(field);
      if (value == null || !value.isString() || value.asString().isEmpty()) {
        throw new EnvelopeException(
            "signature payload targetArtifact." + field + " must be a non-empty string");
      }
    }
    String digest = target.get("digest").asString();
    if (!OCI_DIGEST.matcher(digest).matches()) {
      throw new EnvelopeException(
          "signature payload targetArtifact.digest \"" + digest + "\" is not an OCI digest");
    }
    JsonNode size = target.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new EnvelopeException(
          "signature payload targetArtifact.size must be a non-negative integer");
    }
  }
}
