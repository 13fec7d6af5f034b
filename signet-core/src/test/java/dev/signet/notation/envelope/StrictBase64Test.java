package dev.signet.notation.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictBase64Test {
  @Test
  void roundTripsEveryLength() throws Exception {
    Random random = new Random(7);
    for (int length = 0; length < 200; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      String url = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
      String std = Base64.getEncoder().encodeToString(data);
      assertThat(StrictBase64.decodeUrlUnpadded(url)).isEqualTo(data);
      assertThat(StrictBase64.decodeStandardPadded(std)).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "'e30=', 3", // padding in unpadded base64url
    "'e30==', 3",
    "'e3+0', 2", // standard alphabet in base64url
    "'e3/0', 2",
    "'e3 0', 2",
    "'A', 0", // 1 (mod 4) characters
    "'AAAAA', 4",
    "'e31', 2", // non-zero trailing bits ("e30" is canonical)
    "'AB', 1"
  })
  void urlRejects(String text, int offset) {
    assertThatThrownBy(() -> StrictBase64.decodeUrlUnpadded(text))
        .isInstanceOf(StrictBase64.IllegalBase64Exception.class)
        .hasMessage("illegal base64 data at input byte " + offset);
  }

  @ParameterizedTest
  @CsvSource({
    "'e30', 0", // missing padding
    "'e3-_', 2", // URL alphabet in standard base64
    "'e3==', 1", // the padding fits, but 'e3' leaves non-zero bits
    "'e30=e30=', 4", // data after padding
    "'e3=A', 2",
    "'e3=', 2", // incomplete padding
    "'e=', 1",
    "'=AAA', 0",
    "'A===', 1",
    "'e31=', 2",
    "'AAAA\nAAAA', 4"
  })
  void standardRejects(String text, int offset) {
    assertThatThrownBy(() -> StrictBase64.decodeStandardPadded(text))
        .isInstanceOf(StrictBase64.IllegalBase64Exception.class)
        .hasMessage("illegal base64 data at input byte " + offset);
  }

  @Test
  void emptyTextIsEmptyData() throws Exception {
    assertThat(StrictBase64.decodeUrlUnpadded("")).isEmpty();
    assertThat(StrictBase64.decodeStandardPadded("")).isEmpty();
  }

  @Test
  void nonAsciiIsRejected() {
    assertThatThrownBy(() -> StrictBase64.decodeUrlUnpadded("AAé"))
        .hasMessage("illegal base64 data at input byte 2");
  }
}
