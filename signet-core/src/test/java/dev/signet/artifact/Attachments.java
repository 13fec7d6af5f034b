package dev.signet.artifact;

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
 * An in-memory store holding one subject and artifacts attached to it (OCI 1.1 manifests with
 * layers and annotations), for verifier tests that do not need a registry.
 */
public final class Attachments implements ReferrerStore {
  public static final Reference SUBJECT =
      Reference.parse("registry.example/app@sha256:" + "a".repeat(64));
  public static final Descriptor SUBJECT_DESCRIPTOR =
      new Descriptor(MediaTypes.OCI_MANIFEST, SUBJECT.digest(), 100);

  private final Map<Digest, byte[]> content = new ConcurrentHashMap<>();
  private final List<Descriptor> referrers = new ArrayList<>();

  /** One layer of an artifact. */
  public record Layer(String mediaType, byte[] content) {
    public static Layer of(String mediaType, String text) {
      return new Layer(mediaType, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Attaches an artifact; the returned descriptor carries the annotations, as a referrers listing does. */
  public Descriptor attach(String artifactType, Map<String, String> annotations, Layer... layers) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
        .append(MediaTypes.OCI_MANIFEST).append("\",\"artifactType\":\"").append(artifactType)
        .append("\",\"config\":").append(put(MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8)))
        .append(",\"layers\":[");
    for (int i = 0; i < layers.length; i++) {
      json.append(i == 0 ? "" : ",").append(put(layers[i].mediaType(), layers[i].content()));
    }
    json.append("],\"subject\":{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST)
        .append("\",\"digest\":\"").append(SUBJECT.digest()).append("\",\"size\":100}");
    if (!annotations.isEmpty()) {
      json.append(",\"annotations\":{");
      int i = 0;
      for (Map.Entry<String, String> e : annotations.entrySet()) {
        json.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"")
            .append(e.getValue()).append('"');
      }
      json.append('}');
    }
    byte[] manifest = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(manifest);
    content.put(d, manifest);
    Descriptor descriptor =
        new Descriptor(MediaTypes.OCI_MANIFEST, d, manifest.length, artifactType, annotations);
    referrers.add(descriptor);
    return descriptor;
  }

  private String put(String mediaType, byte[] bytes) {
    Digest d = Digest.sha256(bytes);
    content.put(d, bytes);
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + d + "\",\"size\":" + bytes.length + "}";
  }

  @Override
  public Descriptor resolve(Reference reference, Deadline deadline) throws StoreException {
    if (!SUBJECT.digest().equals(reference.digest())) {
      throw new StoreException("manifest unknown: " + reference);
    }
    return SUBJECT_DESCRIPTOR;
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline) {
    return subject.digest().equals(SUBJECT.digest()) ? List.copyOf(referrers) : List.of();
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException {
    return fetch(descriptor);
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException {
    return fetch(descriptor);
  }

  private byte[] fetch(Descriptor descriptor) throws StoreException {
    byte[] b = content.get(descriptor.digest());
    if (b == null) {
      throw new StoreException("not found: " + descriptor.digest());
    }
    return b.clone();
  }
}
