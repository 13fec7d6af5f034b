package dev.signet.cosign;

import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An image (a real manifest, so message signatures over it can be checked) and signature artifacts
 * attached to it, each layer with its own annotations as cosign writes them.
 */
final class SignedImageStore implements ReferrerStore {
  final byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
      + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":"
      + "\"sha256:" + "1".repeat(64) + "\",\"size\":2},\"layers\":[]}")
      .getBytes(StandardCharsets.UTF_8);
  final Digest digest = Digest.sha256(manifest);
  final Reference subject = Reference.parse("registry.example/team/app@" + digest);
  final Descriptor descriptor = new Descriptor(MediaTypes.OCI_MANIFEST, digest, manifest.length);
  private final Map<Digest, byte[]> content = new ConcurrentHashMap<>();
  private final List<Descriptor> referrers = new ArrayList<>();

  record Layer(String mediaType, byte[] content, Map<String, String> annotations) {}

  SignedImageStore() {
    content.put(digest, manifest);
  }

  Descriptor attach(String artifactType, Layer... layers) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
        .append(MediaTypes.OCI_MANIFEST).append("\",\"artifactType\":\"").append(artifactType)
        .append("\",\"config\":").append(put(MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8), Map.of()))
        .append(",\"layers\":[");
    for (int i = 0; i < layers.length; i++) {
      json.append(i == 0 ? "" : ",")
          .append(put(layers[i].mediaType(), layers[i].content(), layers[i].annotations()));
    }
    json.append("],\"subject\":{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
        .append("\",\"digest\":\"").append(digest).append("\",\"size\":").append(manifest.length)
        .append("}}");
    byte[] m = json.toString().getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(m);
    content.put(d, m);
    Descriptor r = new Descriptor(MediaTypes.OCI_MANIFEST, d, m.length, artifactType, Map.of());
    referrers.add(r);
    return r;
  }

  private String put(String mediaType, byte[] bytes, Map<String, String> annotations) {
    Digest d = Digest.sha256(bytes);
    content.put(d, bytes);
    StringBuilder a = new StringBuilder();
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      a.append(a.isEmpty() ? "" : ",");
      try {
        a.append(dev.signet.json.StrictJson.MAPPER.writeValueAsString(e.getKey())).append(':')
            .append(dev.signet.json.StrictJson.MAPPER.writeValueAsString(e.getValue()));
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    }
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + bytes.length
        + (annotations.isEmpty() ? "" : ",\"annotations\":{" + a + "}") + "}";
  }

  @Override
  public Descriptor resolve(Reference reference, Deadline deadline) throws StoreException {
    if (!digest.equals(reference.digest())) {
      throw new StoreException("manifest unknown: " + reference);
    }
    return descriptor;
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline) {
    return subject.digest().equals(digest) ? List.copyOf(referrers) : List.of();
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor d, Deadline deadline)
      throws StoreException {
    return fetch(d);
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor d, Deadline deadline)
      throws StoreException {
    return fetch(d);
  }

  private byte[] fetch(Descriptor d) throws StoreException {
    byte[] b = content.get(d.digest());
    if (b == null) {
      throw new StoreException("not found: " + d.digest());
    }
    return b.clone();
  }
}
