package dev.signet.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8949 Appendix A examples (typed in by hand) and the decoder's strictness rules. */
class CborTest {
  private static final HexFormat HEX = HexFormat.of();

  private static CborValue decode(String hex) throws CborException {
    return Cbor.decode(HEX.parseHex(hex), CborLimits.DEFAULT);
  }

  private static CborException rejects(String hex) {
    try {
      CborValue v = decode(hex);
      throw new AssertionError("accepted " + hex + " as " + v);
    } catch (CborException e) {
      return e;
    }
  }

  @ParameterizedTest
  @CsvSource({
    "00, 0",
    "01, 1",
    "0a, 10",
    "17, 23",
    "1818, 24",
    "1819, 25",
    "1864, 100",
    "1903e8, 1000",
    "1a000f4240, 1000000",
    "1b000000e8d4a51000, 1000000000000",
    "1b7fffffffffffffff, 9223372036854775807",
    "20, -1",
    "29, -10",
    "3863, -100",
    "3903e7, -1000",
    "3b7fffffffffffffff, -9223372036854775808"
  })
  void integers(String hex, long value) throws CborException {
    assertThat(decode(hex)).isEqualTo(new CborValue.Int(value));
    assertThat(HEX.formatHex(Cbor.encode(new CborValue.Int(value)))).isEqualTo(hex);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1bffffffffffffffff",
        "3bffffffffffffffff",
        "1b8000000000000000",
        "3b8000000000000000"
      })
  void integersBeyondInt64AreRejected(String hex) {
    assertThat(rejects(hex).reason()).contains("does not fit in int64");
  }

  @Test
  void nonShortestIntegersAndLengthsAreAccepted() throws CborException {
    assertThat(decode("1801")).isEqualTo(new CborValue.Int(1));
    assertThat(decode("190001")).isEqualTo(new CborValue.Int(1));
    assertThat(decode("1b0000000000000001")).isEqualTo(new CborValue.Int(1));
    assertThat(decode("780161")).isEqualTo(new CborValue.Text("a"));
    // the encoder writes the shortest form
    assertThat(Cbor.encode(decode("190001"))).containsExactly(0x01);
  }

  @ParameterizedTest
  @CsvSource({
    "f90000, 0.0",
    "f98000, -0.0",
    "f93c00, 1.0",
    "fb3ff199999999999a, 1.1",
    "f93e00, 1.5",
    "f97bff, 65504.0",
    "fa47c35000, 100000.0",
    "fa7f7fffff, 3.4028234663852886e+38",
    "fb7e37e43c8800759c, 1.0e+300",
    "f90001, 5.960464477539063e-8",
    "f90400, 0.00006103515625",
    "f9c400, -4.0",
    "fbc010666666666666, -4.1",
    "f97c00, Infinity",
    "f9fc00, -Infinity",
    "fa7f800000, Infinity",
    "fb7ff0000000000000, Infinity"
  })
  void floats(String hex, double value) throws CborException {
    assertThat(decode(hex)).isEqualTo(new CborValue.Float(value));
  }

  @Test
  void nanDecodes() throws CborException {
    assertThat(((CborValue.Float) decode("f97e00")).value()).isNaN();
    assertThat(((CborValue.Float) decode("fa7fc00000")).value()).isNaN();
  }

  @Test
  void simpleValues() throws CborException {
    assertThat(decode("f4")).isEqualTo(new CborValue.Bool(false));
    assertThat(decode("f5")).isEqualTo(new CborValue.Bool(true));
    assertThat(decode("f6")).isEqualTo(CborValue.NULL);
    assertThat(rejects("f7").reason()).contains("undefined");
    assertThat(rejects("f0").reason()).contains("simple value 16");
    assertThat(rejects("f8ff").reason()).contains("simple value 255");
    assertThat(rejects("f818").reason()).contains("simple value 24");
  }

  @Test
  void tags() throws CborException {
    assertThat(decode("c074323031332d30332d32315432303a30343a30305a"))
        .isEqualTo(new CborValue.Tag(0, new CborValue.Text("2013-03-21T20:04:00Z")));
    assertThat(decode("c11a514b67b0")).isEqualTo(new CborValue.Tag(1, CborValue.of(1363896240)));
    assertThat(decode("c1fb41d452d9ec200000"))
        .isEqualTo(new CborValue.Tag(1, new CborValue.Float(1363896240.5)));
    assertThat(decode("d74401020304"))
        .isEqualTo(new CborValue.Tag(23, CborValue.of(new byte[] {1, 2, 3, 4})));
    assertThat(decode("d82076687474703a2f2f7777772e6578616d706c652e636f6d"))
        .isEqualTo(new CborValue.Tag(32, CborValue.of("http://www.example.com")));
    assertThat(rejects("dbffffffffffffffff00").reason()).contains("tag number");
    assertThat(HEX.formatHex(Cbor.encode(new CborValue.Tag(1, CborValue.of(1363896240)))))
        .isEqualTo("c11a514b67b0");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "60|''",
        "6161|a",
        "6449455446|IETF",
        "62225c|\"\\",
        "62c3bc|\u00fc",
        "63e6b0b4|\u6c34",
        "64f0908591|\ud800\udd51"
      })
  void textStrings(String hex, String text) throws CborException {
    assertThat(decode(hex)).isEqualTo(new CborValue.Text(text));
    assertThat(HEX.formatHex(Cbor.encode(new CborValue.Text(text)))).isEqualTo(hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"62c328", "62c080", "63eda080", "61ff", "64f8888080"})
  void invalidUtf8IsRejected(String hex) {
    assertThat(rejects(hex).reason()).contains("UTF-8");
  }

  @Test
  void byteStrings() throws CborException {
    assertThat(decode("40")).isEqualTo(CborValue.of(new byte[0]));
    assertThat(decode("4401020304")).isEqualTo(CborValue.of(new byte[] {1, 2, 3, 4}));
    assertThat(Cbor.encode(CborValue.of(new byte[] {1, 2, 3, 4})))
        .isEqualTo(HEX.parseHex("4401020304"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "80",
        "83010203",
        "8301820203820405",
        "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
        "a0",
        "a201020304",
        "a26161016162820203",
        "826161a161626163",
        "a56161614161626142616361436164614461656145"
      })
  void containersRoundTrip(String hex) throws CborException {
    assertThat(HEX.formatHex(Cbor.encode(decode(hex)))).isEqualTo(hex);
  }

  @Test
  void containerContents() throws CborException {
    CborValue nested = decode("8301820203820405");
    assertThat(nested)
        .isEqualTo(
            new CborValue.Array(
                CborValue.of(1),
                new CborValue.Array(CborValue.of(2), CborValue.of(3)),
                new CborValue.Array(CborValue.of(4), CborValue.of(5))));
    CborValue.Map map = (CborValue.Map) decode("a26161016162820203");
    assertThat(map.get("a")).isEqualTo(CborValue.of(1));
    assertThat(map.get("b")).isEqualTo(new CborValue.Array(CborValue.of(2), CborValue.of(3)));
    assertThat(map.get(1)).isNull();
  }

  @Test
  void mapKeepsOrderAndDistinguishesIntAndTextKeys() throws CborException {
    // {3: 0, 1: 1, "1": 2}
    CborValue.Map map = (CborValue.Map) decode("a3030001016131 02".replace(" ", ""));
    assertThat(map.entries().stream().map(CborValue.Entry::key).toList())
        .containsExactly(CborValue.of(3), CborValue.of(1), CborValue.of("1"));
    assertThat(map.get(1)).isEqualTo(CborValue.of(1));
    assertThat(map.get("1")).isEqualTo(CborValue.of(2));
  }

  @ParameterizedTest
  @CsvSource({
    "5f42010243030405ff, indefinite",
    "7f657374726561646d696e67ff, indefinite",
    "9fff, indefinite",
    "9f018202039f0405ffff, indefinite",
    "bf61610161629f0203ffff, indefinite",
    "ff, break",
    "1f, additional information 31",
    "3f, additional information 31",
    "df00, additional information 31"
  })
  void indefiniteLengthsAndBreaksAreRejected(String hex, String reason) {
    assertThat(rejects(hex).reason()).contains(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1c", "1d", "1e", "3c", "5d", "7e", "9c", "bd", "de", "fc", "fd", "fe"})
  void reservedAdditionalInformationIsRejected(String hex) {
    assertThat(rejects(hex).reason()).contains("reserved");
  }

  @Test
  void duplicateMapKeysAreRejected() {
    CborException e = rejects("a201020103");
    assertThat(e.reason()).contains("duplicate map key 1");
    assertThat(e.offset()).isEqualTo(3);
    // the same key in a non-shortest encoding is still a duplicate
    assertThat(rejects("a20102180103").reason()).contains("duplicate");
    assertThat(rejects("a2616101616102").reason()).contains("duplicate");
    assertThat(rejects("a24201020042010201").reason()).contains("duplicate");
    // nested
    assertThat(rejects("81a201020103").reason()).contains("duplicate");
  }

  @Test
  void trailingBytesAreRejected() {
    CborException e = rejects("0000");
    assertThat(e.reason()).contains("trailing");
    assertThat(e.offset()).isEqualTo(1);
    assertThat(e.getMessage()).isEqualTo("cbor: 1 trailing bytes after the data item at offset 1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "18",
        "19 01",
        "1a000000",
        "4401",
        "6261",
        "8301",
        "a101",
        "c1",
        "f9 00",
        "fa0000",
        "fb00000000000000"
      })
  void truncatedInputIsRejected(String hex) {
    assertThat(rejects(hex.replace(" ", ""))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5b7fffffffffffffff",
        "5bffffffffffffffff",
        "5a7fffffff00",
        "7b7fffffffffffffff",
        "9b7fffffffffffffff",
        "9bffffffffffffffff",
        "9a7fffffff00",
        "bb7fffffffffffffff",
        "ba7fffffff0000",
        "a30102"
      })
  void hugeDeclaredLengthsFailWithoutAllocating(String hex) {
    assertThat(rejects(hex).reason()).contains("longer than the remaining input");
  }

  @Test
  void depthIsLimited() throws CborException {
    String ok = "81".repeat(15) + "00";
    assertThat(decode(ok)).isInstanceOf(CborValue.Array.class);
    assertThat(rejects("81".repeat(16) + "00").reason()).contains("nesting deeper than 16");
    assertThat(rejects("c1".repeat(16) + "00").reason()).contains("nesting");
    assertThat(rejects("a1".repeat(16) + "00").reason()).isNotNull();
  }

  @Test
  void itemCountIsLimited() throws CborException {
    byte[] in = HEX.parseHex("8400000000");
    assertThat(Cbor.decode(in, new CborLimits(4, 5))).isInstanceOf(CborValue.Array.class);
    assertThatThrownBy(() -> Cbor.decode(in, new CborLimits(4, 4)))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("more than 4 data items");
  }

  @Test
  void declaredCountsBeyondTheItemLimitFailBeforeDecoding() {
    // one million zero bytes would satisfy the remaining-input rule; the item limit stops it
    byte[] in = new byte[5 + 1_000_000];
    in[0] = (byte) 0x9a;
    in[2] = 0x0f;
    in[3] = 0x42;
    in[4] = 0x40;
    assertThatThrownBy(() -> Cbor.decode(in, CborLimits.DEFAULT))
        .isInstanceOf(CborException.class)
        .hasMessage("cbor: more than 100000 data items at offset 0");
    byte[] map = in.clone();
    map[0] = (byte) 0xba; // 400 000 entries: fits the input, not the item limit
    map[2] = 0x06;
    map[3] = 0x1a;
    map[4] = (byte) 0x80;
    assertThatThrownBy(() -> Cbor.decode(map, CborLimits.DEFAULT))
        .hasMessageContaining("more than 100000 data items");
  }

  @Test
  void emptyInputIsRejected() {
    assertThatThrownBy(() -> Cbor.decode(new byte[0], CborLimits.DEFAULT))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("empty input");
  }

  @Test
  void encoderWritesHeadsAtEveryWidth() throws CborException {
    for (long v :
        List.of(
            0L,
            23L,
            24L,
            255L,
            256L,
            65535L,
            65536L,
            4294967295L,
            4294967296L,
            Long.MAX_VALUE,
            -1L,
            -24L,
            -25L,
            -256L,
            -257L,
            Long.MIN_VALUE)) {
      byte[] enc = Cbor.encode(CborValue.of(v));
      assertThat(Cbor.decode(enc, CborLimits.DEFAULT)).isEqualTo(CborValue.of(v));
    }
    byte[] big = new byte[70000];
    big[69999] = 7;
    assertThat(Cbor.decode(Cbor.encode(CborValue.of(big)), CborLimits.DEFAULT))
        .isEqualTo(CborValue.of(big));
    assertThat(HEX.formatHex(Cbor.encode(new CborValue.Float(1.5))))
        .isEqualTo("fb3ff8000000000000");
    assertThat(
            HEX.formatHex(
                Cbor.encode(
                    new CborValue.Array(
                        new CborValue.Bool(true), new CborValue.Bool(false), CborValue.NULL))))
        .isEqualTo("83f5f4f6");
  }

  @Test
  void mapModelRejectsDuplicateKeysToo() {
    assertThatThrownBy(
            () ->
                CborValue.Map.of(
                    CborValue.of(1), CborValue.of(1), CborValue.of(1), CborValue.of(2)))
        .isInstanceOf(IllegalArgumentException.class);
    // byte-string keys compare by content
    assertThatThrownBy(
            () ->
                CborValue.Map.of(
                    CborValue.of(new byte[] {1}),
                    CborValue.of(1),
                    CborValue.of(new byte[] {1}),
                    CborValue.of(2)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
