package dev.signet.oci.registry;

import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import java.nio.charset.StandardCharsets;

/** Builds the manifests the registry tests push: images, signature manifests, referrers indexes. */
final class Artifacts {
  static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

  private Artifacts() {}

  static String descriptorJson(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size()
        + (d.artifactType() == null ? "" : ",\"artifactType\":\"" + d.artifactType() + "\"")
        + (d.annotations().isEmpty() ? "" : ",\"annotations\":" + annotationsJson(d.annotations())) + "}";
  }

  static String annotationsJson(java.util.Map<String, String> annotations) {
    StringBuilder s = new StringBuilder("{");
    annotations.forEach((k, v) -> s.append(s.length() == 1 ? "" : ",").append('"').append(k)
        .append("\":\"").append(v).append('"'));
    return s.append('}').toString();
  }

  static byte[] image(Descriptor config, Descriptor layer) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptorJson(config) + ",\"layers\":[" + descriptorJson(layer) + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** An OCI 1.1 artifact manifest with {@code artifactType}, the empty config and one layer. */
  static byte[] artifact(String artifactType, Descriptor layer, Descriptor subject) {
    return artifact(artifactType, layer, subject, java.util.Map.of());
  }

  /** {@link #artifact(String, Descriptor, Descriptor)} with more manifest annotations. */
  static byte[] artifact(
      String artifactType, Descriptor layer, Descriptor subject, java.util.Map<String, String> annotations) {
    java.util.Map<String, String> all = new java.util.TreeMap<>(annotations);
    all.put("io.cncf.notary.x509chain.thumbprint#S256", "[]");
    Descriptor empty = new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(EMPTY_CONFIG), 2);
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
        + artifactType + "\",\"config\":" + descriptorJson(empty) + ",\"layers\":["
        + descriptorJson(layer) + "],\"subject\":" + descriptorJson(subject)
        + ",\"annotations\":" + annotationsJson(all) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] index(Descriptor... entries) {
    StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[");
    for (int i = 0; i < entries.length; i++) {
      s.append(i == 0 ? "" : ",").append(descriptorJson(entries[i]));
    }
    return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
