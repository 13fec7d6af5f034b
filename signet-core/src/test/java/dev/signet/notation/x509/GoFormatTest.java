package dev.signet.notation.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoFormatTest {
  @Test
  void quote_escapes_like_go() {
    assertThat(GoFormat.quote("plain text")).isEqualTo("\"plain text\"");
    assertThat(GoFormat.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(GoFormat.quote("\n\t\r\u0007\b\f\u000b")).isEqualTo("\"\\n\\t\\r\\a\\b\\f\\v\"");
    assertThat(GoFormat.quote("\u0001\u007f")).isEqualTo("\"\\x01\\x7f\"");
    assertThat(GoFormat.quote("café ü 日本")).isEqualTo("\"café ü 日本\"");
    assertThat(GoFormat.quote("\u200b\u00a0")).isEqualTo("\"\\u200b\\u00a0\"");
    assertThat(GoFormat.quote("\uDB80\uDC00")).isEqualTo("\"\\U000f0000\"");
    assertThat(GoFormat.quote("😀")).isEqualTo("\"😀\"");
  }

  @Test
  void lists_and_maps_render_like_go() {
    assertThat(GoFormat.quoteList(List.of("a", "b"))).isEqualTo("[\"a\" \"b\"]");
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ST", "WA");
    m.put("a", "1");
    m.put("C", "US");
    m.put("CN", "x");
    assertThat(GoFormat.quoteMaps(List.of(m, Map.of("O", "o"))))
        .isEqualTo("[map[\"C\":\"US\" \"CN\":\"x\" \"ST\":\"WA\" \"a\":\"1\"] map[\"O\":\"o\"]]");
    assertThat(GoFormat.quoteMaps(List.of())).isEqualTo("[]");
  }

  @Test
  void keys_sort_by_code_point_like_go_bytes() {
    // U+FF21 sorts before U+1F600 by code point (and UTF-8 bytes) but after it in UTF-16 units.
    assertThat(GoFormat.compareCodePoints("\uFF21", "😀")).isNegative();
    assertThat(GoFormat.compareCodePoints("ab", "abc")).isNegative();
    assertThat(GoFormat.compareCodePoints("b", "abc")).isPositive();
    assertThat(GoFormat.compareCodePoints("x", "x")).isZero();
  }

  @Test
  void go_quote() {
    assertThat(GoFormat.quote("O=DigiCert\\, Inc."))
        .isEqualTo("\"O=DigiCert\\\\, Inc.\"");
    assertThat(GoFormat.quote("a\"b\nc\u0001")).isEqualTo("\"a\\\"b\\nc\\x01\"");
    assertThat(GoFormat.quote("José")).isEqualTo("\"José\"");
  }
}
