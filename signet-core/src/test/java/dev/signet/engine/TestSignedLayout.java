package dev.signet.engine;

// OCI image layout (image-layout.md) with Notary signature manifests (signature-specification.md:
// artifactType application/vnd.cncf.notary.signature, empty config, one envelope layer, subject).

import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small OCI layout for end-to-end tests of the configuration and the command line: one
 * image and any number of JWS signatures of it. Public so the command-line module's tests can use
 * it through the core test-jar.
 */
public final class TestSignedLayout {
  private static final String EMPTY_CONFIG =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}";

  /** A manifest as a descriptor. */
  public record Manifest(String mediaType, String digest, long size) {
    String json() {
      return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
  }

  private final Path dir;
  private final List<String> indexEntries = new ArrayList<>();

  /** Creates the layout directory with {@code oci-layout}, an empty index and the empty blob. */
  public TestSignedLayout(Path dir) {
    this.dir = dir;
    write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    blob("{}".getBytes(StandardCharsets.UTF_8));
    writeIndex();
  }

  public Path dir() {
    return dir;
  }

  /** Adds an image manifest (one layer, told apart by {@code name}) and returns it. */
  public Manifest image(String name) {
    byte[] layer = ("layer of " + name).getBytes(StandardCharsets.UTF_8);
    String layerDigest = blob(layer);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + EMPTY_CONFIG
            + ",\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
            + layerDigest + "\",\"size\":" + layer.length + "}],\"annotations\":{\"name\":\"" + name + "\"}}";
    return add(manifest);
  }

  /** Adds a signature manifest whose one layer is the JWS {@code envelope}, signing {@code subject}. */
  public Manifest signature(Manifest subject, byte[] envelope) {
    String envelopeDigest = blob(envelope);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
            + MediaTypes.NOTARY_SIGNATURE + "\",\"config\":" + EMPTY_CONFIG
            + ",\"layers\":[{\"mediaType\":\"" + MediaTypes.JWS_ENVELOPE + "\",\"digest\":\""
            + envelopeDigest + "\",\"size\":" + envelope.length + "}],\"subject\":" + subject.json() + "}";
    return add(manifest);
  }

  private Manifest add(String manifestJson) {
    byte[] bytes = manifestJson.getBytes(StandardCharsets.UTF_8);
    Manifest m = new Manifest(MediaTypes.OCI_MANIFEST, blob(bytes), bytes.length);
    indexEntries.add(m.json());
    writeIndex();
    return m;
  }

  private String blob(byte[] content) {
    Digest digest = Digest.sha256(content);
    write(dir.resolve("blobs/sha256/" + digest.hex()), content);
    return digest.toString();
  }

  private void writeIndex() {
    write(
        dir.resolve("index.json"),
        ("{\"schemaVersion\":2,\"manifests\":[" + String.join(",", indexEntries) + "]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path path, byte[] content) {
    try {
      Files.createDirectories(path.getParent());
      Files.write(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
