package dev.signet.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  private static final String EMPTY_JSON_HEX =
      "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void parsesAndPrintsSha256() {
    Digest d = Digest.parse("sha256:" + EMPTY_JSON_HEX);
    assertThat(d.algorithm()).isEqualTo("sha256");
    assertThat(d.hex()).isEqualTo(EMPTY_JSON_HEX);
    assertThat(d).hasToString("sha256:" + EMPTY_JSON_HEX);
  }

  @Test
  void sha256OfContentMatchesTheKnownEmptyObjectDigest() {
    byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(content);
    assertThat(d.hex()).isEqualTo(EMPTY_JSON_HEX);
    assertThat(d.matches(content)).isTrue();
    assertThat(d.matches("{ }".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void sha512IsSupported() {
    // sha512("{}")
    String hex =
        "27c74670adb75075fad058d5ceaf7b20c4e7786c83bae8a32f626f9782af34c9"
            + "a33c2046ef60fd2a7878d378e29fec851806bbd9a67878f3a9f1cda4830763fd";
    Digest d = Digest.parse("sha512:" + hex);
    assertThat(d.matches("{}".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(d.matches("{ }".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sha256",
        ":" + EMPTY_JSON_HEX,
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "SHA256:" + EMPTY_JSON_HEX,
        "sha256:44136FA355B3678A1146AD16F7E8649E94FB4FC21FE77E8310C060F61CAAFF8A",
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8",
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a0",
        "sha256:../../../../etc/passwd",
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\n",
        "sha512:" + EMPTY_JSON_HEX,
      })
  void rejectsMalformedDigests(String text) {
    assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNullWithReadableMessage() {
    assertThatThrownBy(() -> Digest.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void messagesSayWhatIsWrong() {
    assertThatThrownBy(() -> Digest.parse("md5:abc"))
        .hasMessageContaining("unsupported digest algorithm \"md5\"");
    assertThatThrownBy(() -> Digest.parse("sha256:ABC")).hasMessageContaining("lowercase hex");
  }

  @Test
  void equalityIsByValue() {
    assertThat(Digest.parse("sha256:" + EMPTY_JSON_HEX))
        .isEqualTo(new Digest("sha256", EMPTY_JSON_HEX));
  }
}
