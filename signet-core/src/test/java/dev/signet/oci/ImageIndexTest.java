package dev.signet.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ImageIndexTest {
  private static ImageIndex parse(String json) throws ManifestFormatException {
    return ImageIndex.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesAReferrersTagIndexVector() throws Exception {
    byte[] bytes =
        Files.readAllBytes(
            Vectors.notary(
                "notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature/blobs/sha256/"
                    + "13e107e0dd246f07ff18998a3d39e226965c41477a1bc1765f7617632ff3f283"));
    ImageIndex index = ImageIndex.parse(bytes);
    assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.subject()).isNull();
    assertThat(index.manifests()).hasSize(1);
    Descriptor entry = index.manifests().get(0);
    assertThat(entry.digest().hex()).startsWith("90ceaff2");
    assertThat(entry.artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    assertThat(entry.annotations()).containsKey("org.opencontainers.image.created");
  }

  @Test
  void parsesALayoutIndexJsonWithoutMediaType() throws Exception {
    byte[] bytes =
        Files.readAllBytes(Vectors.notary("notation-go/internal/testdata/oci-layout/index.json"));
    ImageIndex index = ImageIndex.parse(bytes);
    assertThat(index.mediaType()).isNull();
    assertThat(index.manifests())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.annotations())
                    .containsEntry("org.opencontainers.image.ref.name", "v2"));
  }

  @Test
  void parsesSubjectArtifactTypeAndAnnotations() throws Exception {
    ImageIndex index =
        parse(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_INDEX
                + "\",\"artifactType\":\"a/b\","
                + "\"manifests\":[],\"subject\":{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
                + "\"annotations\":{\"x\":\"y\"}}");
    assertThat(index.artifactType()).isEqualTo("a/b");
    assertThat(index.subject().size()).isEqualTo(2);
    assertThat(index.annotations()).containsEntry("x", "y");
    assertThat(parse("{\"schemaVersion\":2}").manifests()).isEmpty();
  }

  @Test
  void rejectsMalformedIndexes() {
    assertThatThrownBy(() -> parse("{\"manifests\":{}}"))
        .isInstanceOf(ManifestFormatException.class)
        .hasMessageContaining("index.manifests must be an array");
    assertThatThrownBy(() -> parse("{\"manifests\":[{\"digest\":\"sha256:zz\",\"size\":1}]}"))
        .hasMessageContaining("index.manifests[0].digest");
    assertThatThrownBy(() -> parse("{\"manifests\":[1]}"))
        .hasMessageContaining("index.manifests[0] must be a descriptor object");
    assertThatThrownBy(() -> parse("{\"manifests\":[],\"manifests\":[]}"))
        .isInstanceOf(ManifestFormatException.class);
    assertThatThrownBy(() -> parse("not json")).isInstanceOf(ManifestFormatException.class);
  }
}
