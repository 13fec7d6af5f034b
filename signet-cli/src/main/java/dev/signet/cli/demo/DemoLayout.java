package dev.signet.cli.demo;

// OCI image layout (image-layout.md) with Notary signatures as referrers (image-spec 1.1
// manifest.md "subject", artifactType application/vnd.cncf.notary.signature) and cosign signatures
// under their sha256-<hex>.sig tags.

import dev.signet.cosign.CosignSignature;
import dev.signet.cosign.CosignSigner;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a small OCI layout: images tagged by full name, and signature manifests for them.
 */
final class DemoLayout {
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

  private final Path dir;
  private final List<Map<String, Object>> index = new ArrayList<>();
  private final Descriptor emptyConfig;

  DemoLayout(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    this.emptyConfig = blob(EMPTY, MediaTypes.OCI_EMPTY);
    writeIndex();
  }

  /** Adds an image with one layer, tagged {@code name:tag}; returns its manifest descriptor. */
  Descriptor image(String name, String tag) throws IOException {
    Descriptor layer =
        blob(
            ("demo layer of " + name).getBytes(StandardCharsets.UTF_8),
            "application/vnd.oci.image.layer.v1.tar");
    ObjectNode manifest = manifest(emptyConfig, layer);
    Descriptor d = blob(StrictJson.MAPPER.writeValueAsBytes(manifest), MediaTypes.OCI_MANIFEST);
    Map<String, Object> entry = entry(d);
    entry.put("annotations", Map.of(REF_NAME, name + ":" + tag));
    index.add(entry);
    writeIndex();
    return d;
  }

  /** Adds a signature manifest whose subject is {@code subject}, carrying a JWS envelope. */
  void signature(Descriptor subject, byte[] envelope) throws IOException {
    Descriptor layer = blob(envelope, MediaTypes.JWS_ENVELOPE);
    ObjectNode manifest = manifest(emptyConfig, layer);
    manifest.put("artifactType", MediaTypes.NOTARY_SIGNATURE);
    manifest.set("subject", StrictJson.MAPPER.valueToTree(entry(subject)));
    Descriptor d = blob(StrictJson.MAPPER.writeValueAsBytes(manifest), MediaTypes.OCI_MANIFEST);
    Map<String, Object> entry = entry(d);
    entry.put("artifactType", MediaTypes.NOTARY_SIGNATURE);
    index.add(entry);
    writeIndex();
  }

  /**
   * Adds cosign's signature manifest of an image of repository {@code name}, tagged {@code
   * name:sha256-<hex>.sig} as {@code cosign sign} tags it.
   */
  void cosignSignature(String name, CosignSigner.SignatureManifest signature) throws IOException {
    blob(signature.config(), CosignSigner.SignatureManifest.CONFIG_MEDIA_TYPE);
    blob(signature.payload(), CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE);
    Map<String, Object> entry = entry(blob(signature.manifest(), MediaTypes.OCI_MANIFEST));
    entry.put("annotations", Map.of(REF_NAME, name + ":" + signature.tag()));
    index.add(entry);
    writeIndex();
  }

  private static ObjectNode manifest(Descriptor config, Descriptor layer) {
    ObjectNode manifest = StrictJson.MAPPER.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    manifest.set("config", StrictJson.MAPPER.valueToTree(entry(config)));
    ArrayNode layers = manifest.putArray("layers");
    layers.add(StrictJson.MAPPER.valueToTree(entry(layer)));
    return manifest;
  }

  private static Map<String, Object> entry(Descriptor d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mediaType", d.mediaType());
    m.put("digest", d.digest().toString());
    m.put("size", d.size());
    return m;
  }

  private Descriptor blob(byte[] content, String mediaType) throws IOException {
    Digest digest = Digest.sha256(content);
    Files.write(dir.resolve("blobs/sha256/" + digest.hex()), content);
    return new Descriptor(mediaType, digest, content.length);
  }

  private void writeIndex() throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    root.put("manifests", index);
    Files.write(dir.resolve("index.json"), StrictJson.MAPPER.writeValueAsBytes(root));
  }
}
