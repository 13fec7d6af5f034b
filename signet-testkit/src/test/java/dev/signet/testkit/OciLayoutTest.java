package dev.signet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OciLayoutTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  @Test
  void blobsAreStoredUnderTheirDigestAndSize() throws Exception {
    OciLayout layout = new OciLayout(dir);
    OciLayout.Blob image = layout.image("app");
    byte[] stored = Files.readAllBytes(layout.blobPath(image));
    assertThat(image.digest())
        .isEqualTo("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
    assertThat(image.size()).isEqualTo(stored.length);
    assertThat(JSON.readTree(Files.readString(dir.resolve("oci-layout"))).path("imageLayoutVersion").asString())
        .isEqualTo("1.0.0");
  }

  @Test
  void signaturesNameTheirSubjectAndOnlyAddedContentIsListed() throws Exception {
    OciLayout layout = new OciLayout(dir);
    OciLayout.Blob image = layout.image("app");
    OciLayout.Blob sig = layout.signature(image, OciLayout.JWS_ENVELOPE, new byte[] {1, 2, 3});
    layout.image("unlisted");
    layout.add(image, "v1").add(sig);

    JsonNode manifest = JSON.readTree(Files.readAllBytes(layout.blobPath(sig)));
    assertThat(manifest.path("artifactType").asString()).isEqualTo(OciLayout.NOTARY_SIGNATURE);
    assertThat(manifest.path("subject").path("digest").asString()).isEqualTo(image.digest());
    assertThat(manifest.path("layers").get(0).path("mediaType").asString()).isEqualTo(OciLayout.JWS_ENVELOPE);

    JsonNode index = JSON.readTree(Files.readAllBytes(dir.resolve("index.json")));
    List<String> listed = index.path("manifests").valueStream().map(m -> m.path("digest").asString()).toList();
    assertThat(listed).containsExactly(image.digest(), sig.digest());
    assertThat(index.path("manifests").get(0).path("annotations").path(OciLayout.REF_NAME).asString())
        .isEqualTo("v1");
  }
}
