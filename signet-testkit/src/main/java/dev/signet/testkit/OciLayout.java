package dev.signet.testkit;

// OCI image layout (image-spec image-layout.md): oci-layout, index.json and blobs/sha256/<hex>.
// Signature manifests as in the Notary Project signature specification (artifactType
// application/vnd.cncf.notary.signature, empty config, one envelope layer, subject), its legacy form
// (config.mediaType is the Notary type) and OCI artifact manifests (blobs, no config).

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes small OCI layouts on disk: a layout in a temporary directory is a real store for the engine.
 * Content ({@link #blob}, {@link #image}, {@link #signature}, {@link #index}) is written without
 * being listed; {@link #add} lists it in {@code index.json}, tagged or not. The media types are
 * spelled out here rather than taken from the engine, so a test states what the specification says.
 */
public final class OciLayout {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_ARTIFACT_MANIFEST = "application/vnd.oci.artifact.manifest.v1+json";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String NOTARY_SIGNATURE = "application/vnd.cncf.notary.signature";
  public static final String JWS_ENVELOPE = "application/jose+json";
  public static final String COSE_ENVELOPE = "application/cose";
  /** The annotation that tags an {@code index.json} entry. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

  /** Written content as a descriptor; {@code digest} is {@code sha256:<hex>}. */
  public record Blob(
      String mediaType, String digest, long size, String artifactType, Map<String, String> annotations) {
    public Blob {
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Blob(String mediaType, String digest, long size) {
      this(mediaType, digest, size, null, Map.of());
    }

    /** The hex part of the digest. */
    public String hex() {
      return digest.substring(digest.indexOf(':') + 1);
    }

    /** This descriptor as JSON, in the field order of the specification. */
    public String json() {
      return JSON.writeValueAsString(fields());
    }

    private Map<String, Object> fields() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (mediaType != null) {
        m.put("mediaType", mediaType);
      }
      m.put("digest", digest);
      m.put("size", size);
      if (artifactType != null) {
        m.put("artifactType", artifactType);
      }
      if (!annotations.isEmpty()) {
        m.put("annotations", new LinkedHashMap<>(annotations));
      }
      return m;
    }
  }

  private final Path dir;
  private final Blob emptyConfig;
  private final List<String> entries = new ArrayList<>();

  /** Creates the layout in {@code dir}: {@code oci-layout}, the empty blob and an empty index. */
  public OciLayout(Path dir) {
    this.dir = dir;
    write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    this.emptyConfig = blob(EMPTY, OCI_EMPTY);
    writeIndex();
  }

  public Path dir() {
    return dir;
  }

  /** Stores a blob and returns its descriptor. */
  public Blob blob(byte[] content, String mediaType) {
    String digest = sha256(content);
    Blob b = new Blob(mediaType, digest, content.length);
    write(blobPath(b), content);
    return b;
  }

  public Blob blob(String text, String mediaType) {
    return blob(text.getBytes(StandardCharsets.UTF_8), mediaType);
  }

  /** An image manifest with one layer, told apart by an annotation {@code name}. */
  public Blob image(String name) {
    Blob layer = blob("layer of " + name, OCI_LAYER);
    Map<String, Object> m = manifest(null, emptyConfig, layer, null);
    m.put("annotations", Map.of("name", name));
    return manifestBlob(m);
  }

  /** A signature manifest in the current form (artifactType, empty config) signing {@code subject}. */
  public Blob signature(Blob subject, String envelopeMediaType, byte[] envelope) {
    return signature(subject, envelopeMediaType, envelope, Map.of());
  }

  /** A signature manifest in the current form, with manifest {@code annotations}. */
  public Blob signature(
      Blob subject, String envelopeMediaType, byte[] envelope, Map<String, String> annotations) {
    Map<String, Object> m =
        manifest(NOTARY_SIGNATURE, emptyConfig, blob(envelope, envelopeMediaType), subject);
    if (!annotations.isEmpty()) {
      m.put("annotations", new LinkedHashMap<>(annotations));
    }
    return manifestBlob(m);
  }

  /** A signature manifest in the legacy form: {@code config.mediaType} is the Notary type. */
  public Blob legacySignature(Blob subject, String envelopeMediaType, byte[] envelope) {
    Blob config = new Blob(NOTARY_SIGNATURE, emptyConfig.digest(), emptyConfig.size());
    return manifestBlob(manifest(null, config, blob(envelope, envelopeMediaType), subject));
  }

  /** A legacy OCI artifact manifest ({@code blobs}, no config). */
  public Blob artifactManifest(
      Blob subject, String artifactType, String envelopeMediaType, byte[] envelope) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mediaType", OCI_ARTIFACT_MANIFEST);
    m.put("artifactType", artifactType);
    m.put("blobs", List.of(blob(envelope, envelopeMediaType).fields()));
    m.put("subject", subject.fields());
    return blob(JSON.writeValueAsBytes(m), OCI_ARTIFACT_MANIFEST);
  }

  /** An image index over {@code children}. */
  public Blob index(List<Blob> children) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", OCI_INDEX);
    m.put("manifests", children.stream().map(Blob::fields).toList());
    return blob(JSON.writeValueAsBytes(m), OCI_INDEX);
  }

  /** Lists {@code d} in {@code index.json}, tagged {@code refName} unless it is null. */
  public OciLayout add(Blob d, String refName) {
    Blob entry =
        refName == null
            ? d
            : new Blob(d.mediaType(), d.digest(), d.size(), d.artifactType(), Map.of(REF_NAME, refName));
    return addRaw(entry.json());
  }

  public OciLayout add(Blob d) {
    return add(d, null);
  }

  /** Lists a raw JSON entry in {@code index.json}. */
  public OciLayout addRaw(String entryJson) {
    entries.add(entryJson);
    writeIndex();
    return this;
  }

  /** Replaces {@code index.json} with {@code text}. */
  public void writeIndexJson(String text) {
    write(dir.resolve("index.json"), text);
  }

  public Path blobPath(Blob d) {
    return dir.resolve("blobs/sha256/" + d.hex());
  }

  /** Writes {@code text} to {@code path}, creating its directories. */
  public static void write(Path path, String text) {
    write(path, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path path, byte[] content) {
    try {
      Files.createDirectories(path.getParent());
      Files.write(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> manifest(
      String artifactType, Blob config, Blob layer, Blob subject) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", OCI_MANIFEST);
    if (artifactType != null) {
      m.put("artifactType", artifactType);
    }
    m.put("config", config.fields());
    m.put("layers", List.of(layer.fields()));
    if (subject != null) {
      m.put("subject", subject.fields());
    }
    return m;
  }

  private Blob manifestBlob(Map<String, Object> manifest) {
    return blob(JSON.writeValueAsBytes(manifest), OCI_MANIFEST);
  }

  private void writeIndex() {
    writeIndexJson("{\"schemaVersion\":2,\"manifests\":[" + String.join(",", entries) + "]}");
  }

  private static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
