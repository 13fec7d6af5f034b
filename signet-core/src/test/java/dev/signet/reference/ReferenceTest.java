package dev.signet.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
  private static final String HEX =
      "b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9";

  @Test
  void bareNameIsNormalizedToDockerHubLibrary() {
    Reference r = Reference.parse("nginx");
    assertThat(r.name()).isEqualTo("nginx");
    assertThat(r.tag()).isNull();
    assertThat(r.digest()).isNull();
    assertThat(r.registry()).isEqualTo("docker.io");
    assertThat(r.repository()).isEqualTo("library/nginx");
    assertThat(r.qualifiedName()).isEqualTo("docker.io/library/nginx");
  }

  @Test
  void hostWithPortAndTag() {
    Reference r = Reference.parse("localhost:5000/a/b:t");
    assertThat(r.name()).isEqualTo("localhost:5000/a/b");
    assertThat(r.tag()).isEqualTo("t");
    assertThat(r.registry()).isEqualTo("localhost:5000");
    assertThat(r.repository()).isEqualTo("a/b");
    assertThat(r.qualifiedName()).isEqualTo("localhost:5000/a/b");
    assertThat(r).hasToString("localhost:5000/a/b:t");
  }

  @Test
  void layoutNameWithDigestKeepsTheNameAsWritten() {
    Reference r = Reference.parse("local/demo@sha256:" + HEX);
    assertThat(r.name()).isEqualTo("local/demo");
    assertThat(r.digest()).isEqualTo(new Digest("sha256", HEX));
    assertThat(r.tag()).isNull();
    // "local" is not a host name, so Docker's defaults apply to the registry view.
    assertThat(r.registry()).isEqualTo("docker.io");
    assertThat(r.repository()).isEqualTo("local/demo");
    assertThat(r).hasToString("local/demo@sha256:" + HEX);
  }

  @ParameterizedTest
  @CsvSource({
    "localhost/a, localhost, a",
    "registry.example.com/team/app:1.0, registry.example.com, team/app",
    "docker.io/nginx, docker.io, library/nginx",
    "user/app, docker.io, user/app",
    "[::1]:5000/a:t, [::1]:5000, a",
    "example.com:443/a__b/c-d.e, example.com:443, a__b/c-d.e",
  })
  void splitsRegistryAndRepository(String text, String registry, String repository) {
    Reference r = Reference.parse(text);
    assertThat(r.registry()).isEqualTo(registry);
    assertThat(r.repository()).isEqualTo(repository);
  }

  @Test
  void tagAndDigestTogether() {
    Reference r = Reference.parse("example.com/a:v1@sha256:" + HEX);
    assertThat(r.tag()).isEqualTo("v1");
    assertThat(r.digest().hex()).isEqualTo(HEX);
    assertThat(r).hasToString("example.com/a:v1@sha256:" + HEX);
    Reference pinned = r.withDigest(new Digest("sha256", HEX));
    assertThat(pinned.tag()).isNull();
    assertThat(pinned.name()).isEqualTo("example.com/a");
  }

  @Test
  void invalidUppercasePathIsRejected() {
    assertThatThrownBy(() -> Reference.parse("example.com/Team/app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"Team\"")
        .hasMessageContaining("lowercase");
    assertThatThrownBy(() -> Reference.parse("NGINX")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badDigestIsRejected() {
    assertThatThrownBy(() -> Reference.parse("local/demo@sha256:1234"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid image reference")
        .hasMessageContaining("sha256");
    assertThatThrownBy(() -> Reference.parse("local/demo@md5:d41d8cd98f00b204e9800998ecf8427e"))
        .hasMessageContaining("unsupported digest algorithm");
    assertThatThrownBy(() -> Reference.parse("local/demo@"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/a",
        "a/",
        "a//b",
        "a:",
        "a:-x",
        "a:t!",
        "a b",
        "-a",
        "a--",
        "a/../b",
        "exa_mple.com/a",
        "example.com/",
      })
  void rejectsMalformedReferences(String text) {
    assertThatThrownBy(() -> Reference.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNullAndOverlongInput() {
    assertThatThrownBy(() -> Reference.parse(null)).hasMessageContaining("empty");
    assertThatThrownBy(() -> Reference.parse("a/".repeat(3000) + "a"))
        .hasMessageContaining("longer than");
    assertThatThrownBy(() -> Reference.parse("a:" + "t".repeat(129)))
        .hasMessageContaining("invalid tag");
    assertThat(Reference.parse("a:" + "t".repeat(128)).tag()).hasSize(128);
  }
}
