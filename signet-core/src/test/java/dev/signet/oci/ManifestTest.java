package dev.signet.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static final String EMPTY =
      "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"}";
  private static final String LAYER =
      "{\"mediaType\":\"application/jose+json\",\"digest\":\"sha256:c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50\",\"size\":2093}";
  private static final String SUBJECT =
      "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9\",\"size\":517}";

  private static Manifest parse(String json, String declared) throws ManifestFormatException {
    return Manifest.parse(json.getBytes(StandardCharsets.UTF_8), declared);
  }

  @Test
  void parsesTheLegacyNotationSignatureManifestVector() throws Exception {
    byte[] bytes =
        Files.readAllBytes(
            Vectors.notary(
                "notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature/blobs/sha256/"
                    + "90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f"));
    Manifest m = Manifest.parse(bytes, null);
    assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(m.artifactType()).isNull();
    assertThat(m.config().mediaType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    assertThat(m.effectiveArtifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    assertThat(m.layers()).hasSize(1);
    assertThat(m.layers().get(0).mediaType()).isEqualTo(MediaTypes.JWS_ENVELOPE);
    assertThat(m.subject().digest().hex()).startsWith("b8479de3");
    assertThat(m.subject().size()).isEqualTo(517);
    assertThat(m.annotations()).containsKey("io.cncf.notary.x509chain.thumbprint#S256");
  }

  @Test
  void parsesTheCurrentSignatureForm() throws Exception {
    Manifest m =
        parse(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"artifactType\":\""
                + MediaTypes.NOTARY_SIGNATURE
                + "\",\"config\":"
                + EMPTY
                + ",\"layers\":["
                + LAYER
                + "],\"subject\":"
                + SUBJECT
                + ",\"annotations\":{\"a\":\"b\"}}",
            null);
    assertThat(m.artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    assertThat(m.config().mediaType()).isEqualTo(MediaTypes.OCI_EMPTY);
    assertThat(m.effectiveArtifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    assertThat(m.annotations()).containsExactly(java.util.Map.entry("a", "b"));
  }

  @Test
  void artifactManifestBlobsBecomeLayers() throws Exception {
    Manifest m =
        parse(
            "{\"mediaType\":\""
                + MediaTypes.OCI_ARTIFACT_MANIFEST
                + "\",\"artifactType\":\""
                + MediaTypes.NOTARY_SIGNATURE
                + "\",\"blobs\":["
                + LAYER
                + "],\"subject\":"
                + SUBJECT
                + "}",
            null);
    assertThat(m.config()).isNull();
    assertThat(m.layers()).hasSize(1);
    assertThat(m.effectiveArtifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
  }

  @Test
  void declaredMediaTypeFillsInOnlyWhenAbsent() throws Exception {
    String noType = "{\"schemaVersion\":2,\"config\":" + EMPTY + ",\"layers\":[]}";
    assertThat(parse(noType, MediaTypes.DOCKER_MANIFEST).mediaType())
        .isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(parse(noType, null).mediaType()).isNull();
    String typed =
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[]}";
    assertThat(parse(typed, MediaTypes.DOCKER_MANIFEST).mediaType())
        .isEqualTo(MediaTypes.OCI_MANIFEST);
  }

  @Test
  void effectiveArtifactTypeIsNullWithoutEither() throws Exception {
    Manifest m =
        parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}", null);
    assertThat(m.effectiveArtifactType()).isNull();
    assertThat(m.layers()).isEmpty();
    Manifest emptyType =
        parse(
            "{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"artifactType\":\"\",\"config\":"
                + EMPTY
                + "}",
            null);
    assertThat(emptyType.effectiveArtifactType()).isEqualTo(MediaTypes.OCI_EMPTY);
  }

  @Test
  void refusesAnIndex() {
    assertThatThrownBy(
            () -> parse("{\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}", null))
        .isInstanceOf(ManifestFormatException.class)
        .hasMessageContaining("found an index");
    assertThatThrownBy(() -> parse("{\"manifests\":[]}", MediaTypes.DOCKER_MANIFEST_LIST))
        .isInstanceOf(ManifestFormatException.class);
  }

  @Test
  void rejectsMalformedDocuments() {
    assertThatThrownBy(() -> parse("[]", null)).isInstanceOf(ManifestFormatException.class);
    assertThatThrownBy(() -> parse("", null)).isInstanceOf(ManifestFormatException.class);
    assertThatThrownBy(() -> parse("{\"layers\":[]} {}", null))
        .isInstanceOf(ManifestFormatException.class);
    assertThatThrownBy(() -> parse("{\"mediaType\":\"a\",\"mediaType\":\"b\"}", null))
        .isInstanceOf(ManifestFormatException.class);
    assertThatThrownBy(() -> parse("{\"mediaType\":7}", null))
        .hasMessageContaining("manifest.mediaType must be a string");
    assertThatThrownBy(() -> parse("{\"layers\":{}}", null))
        .hasMessageContaining("manifest.layers must be an array");
    assertThatThrownBy(() -> parse("{\"layers\":[{\"digest\":\"sha256:abc\",\"size\":1}]}", null))
        .hasMessageContaining("manifest.layers[0].digest");
    assertThatThrownBy(() -> parse("{\"layers\":[{\"size\":1}]}", null))
        .hasMessageContaining("digest is missing");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"config\":{\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":-1}}",
                    null))
        .hasMessageContaining("manifest.config.size must be a non-negative integer");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"config\":{\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2.0}}",
                    null))
        .hasMessageContaining("size must be a non-negative integer");
    assertThatThrownBy(() -> parse("{\"annotations\":{\"a\":1}}", null))
        .hasMessageContaining("annotations[\"a\"] must be a string");
    assertThatThrownBy(() -> parse("{\"subject\":\"x\"}", null))
        .hasMessageContaining("manifest.subject must be a descriptor object");
  }

  @Test
  void enforcesTheSizeLimit() {
    byte[] big = new byte[Manifest.MAX_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    assertThatThrownBy(() -> Manifest.parse(big, null))
        .isInstanceOf(ManifestFormatException.class)
        .hasMessageContaining("larger than the limit");
  }
}
