package dev.signet.oci;

import dev.signet.reference.Digest;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor. {@code artifactType} and {@code annotations} may be null / empty.
 */
public record Descriptor(
    String mediaType, Digest digest, long size, String artifactType, Map<String, String> annotations) {

  public Descriptor {
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("descriptor size must not be negative, got " + size);
    }
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null, Map.of());
  }

  /**
   * Reads a descriptor from JSON with strict types.
   *
   * @param where names the descriptor in messages, e.g. {@code "targetArtifact"}
   */
  public static Descriptor fromJson(tools.jackson.databind.JsonNode node, String where)
      throws ManifestFormatException {
    return DescriptorJson.descriptor(node, where);
  }

  /** Equality as notation compares a signed payload with its target: media type, digest and size. */
  public boolean sameContent(Descriptor other) {
    return Objects.equals(mediaType, other.mediaType)
        && digest.equals(other.digest)
        && size == other.size;
  }

  /**
   * Checks fetched bytes against this descriptor.
   *
   * @throws ContentMismatchException when the size or digest differ
   */
  public void verifyContent(byte[] content) throws ContentMismatchException {
    if (content.length != size) {
      throw new ContentMismatchException(
          "content of " + digest + " is " + content.length + " bytes, its descriptor says " + size);
    }
    if (!digest.matches(content)) {
      throw new ContentMismatchException(
          "content fetched for " + digest + " does not match that digest");
    }
  }
}
