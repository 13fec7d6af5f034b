package dev.signet.oci.layout;

import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.reference.Digest;
import dev.signet.testkit.OciLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The kit's {@link OciLayout} in the store's own descriptor type, so the store's tests pass what
 * they build straight to the store and compare digests as {@link Digest}s.
 */
final class TestLayout {
  private final OciLayout layout;

  TestLayout(Path dir) {
    this.layout = new OciLayout(dir);
  }

  Descriptor blob(byte[] content, String mediaType) {
    return core(layout.blob(content, mediaType));
  }

  Descriptor blob(String json, String mediaType) {
    return core(layout.blob(json, mediaType));
  }

  Descriptor image(String name) {
    return core(layout.image(name));
  }

  /** A signature manifest in the current form, annotated {@code k: v}. */
  Descriptor signature(Descriptor subject, String envelope) {
    return core(layout.signature(kit(subject), MediaTypes.JWS_ENVELOPE, bytes(envelope), Map.of("k", "v")));
  }

  Descriptor legacySignature(Descriptor subject, String envelope) {
    return core(layout.legacySignature(kit(subject), MediaTypes.JWS_ENVELOPE, bytes(envelope)));
  }

  Descriptor artifactManifest(Descriptor subject, String artifactType, String envelope) {
    return core(
        layout.artifactManifest(kit(subject), artifactType, MediaTypes.COSE_ENVELOPE, bytes(envelope)));
  }

  Descriptor index(List<Descriptor> children) {
    return core(layout.index(children.stream().map(TestLayout::kit).toList()));
  }

  TestLayout add(Descriptor d, String refName) {
    layout.add(kit(d), refName);
    return this;
  }

  TestLayout add(Descriptor d) {
    return add(d, null);
  }

  TestLayout addRaw(String entryJson) {
    layout.addRaw(entryJson);
    return this;
  }

  void writeIndexJson(String text) {
    layout.writeIndexJson(text);
  }

  Path blobPath(Descriptor d) {
    return layout.blobPath(kit(d));
  }

  static void write(Path path, String text) {
    OciLayout.write(path, text);
  }

  private static Descriptor core(OciLayout.Blob b) {
    return new Descriptor(
        b.mediaType(), Digest.parse(b.digest()), b.size(), b.artifactType(), b.annotations());
  }

  private static OciLayout.Blob kit(Descriptor d) {
    return new OciLayout.Blob(
        d.mediaType(), d.digest().toString(), d.size(), d.artifactType(), d.annotations());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
