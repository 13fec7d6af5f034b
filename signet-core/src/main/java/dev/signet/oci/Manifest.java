package dev.signet.oci;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * An OCI image manifest (or the legacy OCI artifact manifest, whose {@code blobs} become {@link
 * #layers()}); also Docker v2 manifests. {@code config}, {@code subject} and {@code artifactType}
 * may be null.
 */
public record Manifest(
    String mediaType,
    String artifactType,
    Descriptor config,
    List<Descriptor> layers,
    Descriptor subject,
    Map<String, String> annotations) {

  /** Default limit for manifests (notation-go and Ratify use 4 MiB). */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  public Manifest {
    layers = List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /**
   * Parses manifest bytes.
   *
   * @param declaredMediaType the media type from the descriptor or Content-Type, used when the
   *     document has none; may be null
   */
  public static Manifest parse(byte[] bytes, String declaredMediaType)
      throws ManifestFormatException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(bytes, MAX_BYTES, "manifest");
    } catch (JsonFormatException e) {
      throw new ManifestFormatException(e.getMessage(), e);
    }
    String mediaType = DescriptorJson.optionalText(root, "mediaType", "manifest");
    if (mediaType == null) {
      mediaType = declaredMediaType;
    }
    if (MediaTypes.isIndex(mediaType)) {
      throw new ManifestFormatException(
          "expected an image manifest but found an index (" + mediaType + ")");
    }
    boolean artifactManifest = MediaTypes.OCI_ARTIFACT_MANIFEST.equals(mediaType);
    String listField = artifactManifest ? "blobs" : "layers";
    List<Descriptor> layers = new ArrayList<>();
    JsonNode list = root.get(listField);
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new ManifestFormatException("manifest." + listField + " must be an array");
      }
      for (int i = 0; i < list.size(); i++) {
        layers.add(DescriptorJson.descriptor(list.get(i), "manifest." + listField + "[" + i + "]"));
      }
    }
    JsonNode config = root.get("config");
    JsonNode subject = root.get("subject");
    return new Manifest(
        mediaType,
        DescriptorJson.optionalText(root, "artifactType", "manifest"),
        config == null || config.isNull() ? null : DescriptorJson.descriptor(config, "manifest.config"),
        layers,
        subject == null || subject.isNull()
            ? null
            : DescriptorJson.descriptor(subject, "manifest.subject"),
        DescriptorJson.annotations(root, "manifest"));
  }

  /**
   * The artifact type as the referrers API reports it: {@code artifactType}, else the config media
   * type (OCI image spec 1.1).
   */
  public String effectiveArtifactType() {
    if (artifactType != null && !artifactType.isEmpty()) {
      return artifactType;
    }
    return config == null ? null : config.mediaType();
  }
}
