package dev.signet.oci;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** An OCI image index (also an OCI layout's index.json, or a referrers response / tag index). */
public record ImageIndex(
    String mediaType,
    String artifactType,
    List<Descriptor> manifests,
    Descriptor subject,
    Map<String, String> annotations) {

  public ImageIndex {
    manifests = List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static ImageIndex parse(byte[] bytes) throws ManifestFormatException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(bytes, Manifest.MAX_BYTES, "image index");
    } catch (JsonFormatException e) {
      throw new ManifestFormatException(e.getMessage(), e);
    }
    List<Descriptor> manifests = new ArrayList<>();
    JsonNode list = root.get("manifests");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new ManifestFormatException("index.manifests must be an array");
      }
      for (int i = 0; i < list.size(); i++) {
        manifests.add(DescriptorJson.descriptor(list.get(i), "index.manifests[" + i + "]"));
      }
    }
    JsonNode subject = root.get("subject");
    return new ImageIndex(
        DescriptorJson.optionalText(root, "mediaType", "index"),
        DescriptorJson.optionalText(root, "artifactType", "index"),
        manifests,
        subject == null || subject.isNull() ? null : DescriptorJson.descriptor(subject, "index.subject"),
        DescriptorJson.annotations(root, "index"));
  }
}
