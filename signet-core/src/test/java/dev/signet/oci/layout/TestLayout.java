package dev.signet.oci.layout;

import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds small OCI layouts on disk for tests; JSON is written by hand so tests control it. */
final class TestLayout {
  static final String EMPTY_CONFIG =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}";

  final Path dir;
  private final List<String> entries = new ArrayList<>();

  TestLayout(Path dir) {
    this.dir = dir;
    write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    blob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_EMPTY);
    writeIndex();
  }

  /** Stores a blob and returns its descriptor. */
  Descriptor blob(byte[] content, String mediaType) {
    Digest digest = Digest.sha256(content);
    Path path = dir.resolve("blobs/sha256/" + digest.hex());
    try {
      Files.createDirectories(path.getParent());
      Files.write(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Descriptor(mediaType, digest, content.length);
  }

  Descriptor blob(String json, String mediaType) {
    return blob(json.getBytes(StandardCharsets.UTF_8), mediaType);
  }

  /** An image manifest with one layer, told apart by an annotation. */
  Descriptor image(String name) {
    Descriptor layer =
        blob(
            ("layer of " + name).getBytes(StandardCharsets.UTF_8),
            "application/vnd.oci.image.layer.v1.tar");
    return blob(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"config\":"
            + EMPTY_CONFIG
            + ",\"layers\":["
            + json(layer)
            + "],\"annotations\":{\"name\":\""
            + name
            + "\"}}",
        MediaTypes.OCI_MANIFEST);
  }

  /** A signature manifest in the current form: artifactType + empty config. */
  Descriptor signature(Descriptor subject, String envelope) {
    Descriptor sig = blob(envelope.getBytes(StandardCharsets.UTF_8), MediaTypes.JWS_ENVELOPE);
    return blob(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"artifactType\":\""
            + MediaTypes.NOTARY_SIGNATURE
            + "\",\"config\":"
            + EMPTY_CONFIG
            + ",\"layers\":["
            + json(sig)
            + "],\"subject\":"
            + json(subject)
            + ",\"annotations\":{\"k\":\"v\"}}",
        MediaTypes.OCI_MANIFEST);
  }

  /** A signature manifest in the legacy form: config.mediaType is the Notary type. */
  Descriptor legacySignature(Descriptor subject, String envelope) {
    Descriptor sig = blob(envelope.getBytes(StandardCharsets.UTF_8), MediaTypes.JWS_ENVELOPE);
    return blob(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"config\":"
            + "{\"mediaType\":\""
            + MediaTypes.NOTARY_SIGNATURE
            + "\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}"
            + ",\"layers\":["
            + json(sig)
            + "],\"subject\":"
            + json(subject)
            + "}",
        MediaTypes.OCI_MANIFEST);
  }

  /** A legacy OCI artifact manifest ({@code blobs}, no config). */
  Descriptor artifactManifest(Descriptor subject, String artifactType, String envelope) {
    Descriptor sig = blob(envelope.getBytes(StandardCharsets.UTF_8), MediaTypes.COSE_ENVELOPE);
    return blob(
        "{\"mediaType\":\""
            + MediaTypes.OCI_ARTIFACT_MANIFEST
            + "\",\"artifactType\":\""
            + artifactType
            + "\",\"blobs\":["
            + json(sig)
            + "],\"subject\":"
            + json(subject)
            + "}",
        MediaTypes.OCI_ARTIFACT_MANIFEST);
  }

  /** An image index over {@code children}, written as entries with their artifactType. */
  Descriptor index(List<Descriptor> children) {
    List<String> parts = new ArrayList<>();
    for (Descriptor c : children) {
      parts.add(json(c));
    }
    return blob(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_INDEX
            + "\",\"manifests\":["
            + String.join(",", parts)
            + "]}",
        MediaTypes.OCI_INDEX);
  }

  /** Adds an index.json entry, tagged when {@code refName} is not null. */
  TestLayout add(Descriptor d, String refName) {
    Descriptor entry =
        refName == null
            ? d
            : new Descriptor(
                d.mediaType(),
                d.digest(),
                d.size(),
                d.artifactType(),
                Map.of("org.opencontainers.image.ref.name", refName));
    entries.add(json(entry));
    writeIndex();
    return this;
  }

  TestLayout add(Descriptor d) {
    return add(d, null);
  }

  /** Adds a raw JSON entry to index.json. */
  TestLayout addRaw(String entryJson) {
    entries.add(entryJson);
    writeIndex();
    return this;
  }

  void writeIndexJson(String text) {
    write(dir.resolve("index.json"), text);
  }

  Path blobPath(Descriptor d) {
    return dir.resolve("blobs/sha256/" + d.digest().hex());
  }

  private void writeIndex() {
    writeIndexJson("{\"schemaVersion\":2,\"manifests\":[" + String.join(",", entries) + "]}");
  }

  static String json(Descriptor d) {
    StringBuilder s = new StringBuilder("{");
    if (d.mediaType() != null) {
      s.append("\"mediaType\":\"").append(d.mediaType()).append("\",");
    }
    s.append("\"digest\":\"").append(d.digest()).append("\",\"size\":").append(d.size());
    if (d.artifactType() != null) {
      s.append(",\"artifactType\":\"").append(d.artifactType()).append('"');
    }
    if (!d.annotations().isEmpty()) {
      List<String> kv = new ArrayList<>();
      d.annotations().forEach((k, v) -> kv.add("\"" + k + "\":\"" + v + "\""));
      s.append(",\"annotations\":{").append(String.join(",", kv)).append('}');
    }
    return s.append('}').toString();
  }

  static void write(Path path, String text) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
