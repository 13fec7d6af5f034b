package dev.signet.oci;

import dev.signet.reference.Digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptorTest {
  private static final byte[] CONTENT = "hello".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256(CONTENT);

  @Test
  void verifiesMatchingContent() throws Exception {
    new Descriptor("text/plain", DIGEST, CONTENT.length).verifyContent(CONTENT);
  }

  @Test
  void rejectsWrongSizeBeforeHashing() {
    Descriptor d = new Descriptor("text/plain", DIGEST, CONTENT.length + 1);
    assertThatThrownBy(() -> d.verifyContent(CONTENT))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("5 bytes")
        .hasMessageContaining("says 6");
  }

  @Test
  void rejectsWrongContentOfTheSameSize() {
    Descriptor d = new Descriptor("text/plain", DIGEST, CONTENT.length);
    assertThatThrownBy(() -> d.verifyContent("hellp".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void sameContentComparesMediaTypeDigestAndSizeOnly() {
    Descriptor a = new Descriptor(MediaTypes.OCI_MANIFEST, DIGEST, 5, "x", Map.of("k", "v"));
    Descriptor b = new Descriptor(MediaTypes.OCI_MANIFEST, DIGEST, 5);
    assertThat(a.sameContent(b)).isTrue();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.sameContent(new Descriptor(MediaTypes.DOCKER_MANIFEST, DIGEST, 5))).isFalse();
    assertThat(a.sameContent(new Descriptor(MediaTypes.OCI_MANIFEST, DIGEST, 6))).isFalse();
    assertThat(a.sameContent(new Descriptor(null, DIGEST, 5))).isFalse();
    assertThat(
            a.sameContent(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[0]), 5)))
        .isFalse();
  }

  @Test
  void validatesAndCopies() {
    assertThatThrownBy(() -> new Descriptor("x", DIGEST, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Descriptor("x", null, 1)).isInstanceOf(NullPointerException.class);
    Map<String, String> annotations = new HashMap<>(Map.of("k", "v"));
    Descriptor d = new Descriptor("x", DIGEST, 1, null, annotations);
    annotations.put("k2", "v2");
    assertThat(d.annotations()).containsOnlyKeys("k");
    assertThat(new Descriptor("x", DIGEST, 1, null, null).annotations()).isEmpty();
  }
}
