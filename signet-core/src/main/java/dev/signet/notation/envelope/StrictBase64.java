package dev.signet.notation.envelope;

// RFC 4648 §4 (standard, padded) and §5 (URL-safe, unpadded as JWS requires, RFC 7515 §2).
//
// java.util.Base64 is lenient in ways a verifier must not be: its URL decoder accepts padding and
// neither decoder rejects non-zero trailing bits. Each alphabet here is exact: one canonical
// encoding per byte string, no whitespace, no line breaks. Errors name the offending offset the way
// Go's encoding/base64 does ("illegal base64 data at input byte N"), which notation reports.

/** Strict, canonical base64 decoding for envelope fields. */
final class StrictBase64 {
  private static final String URL_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final String STD_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final byte[] URL_VALUES = values(URL_ALPHABET);
  private static final byte[] STD_VALUES = values(STD_ALPHABET);

  private StrictBase64() {}

  /** The offset of the first illegal character, reported by {@link #decode}. */
  static final class IllegalBase64Exception extends Exception {
    private final int offset;

    IllegalBase64Exception(int offset) {
      super("illegal base64 data at input byte " + offset);
      this.offset = offset;
    }

    int offset() {
      return offset;
    }
  }

  /** Decodes unpadded base64url (JWS). */
  static byte[] decodeUrlUnpadded(String text) throws IllegalBase64Exception {
    return decode(text, URL_VALUES, false);
  }

  /** Decodes padded standard base64 (Go's encoding of {@code []byte} in JSON). */
  static byte[] decodeStandardPadded(String text) throws IllegalBase64Exception {
    return decode(text, STD_VALUES, true);
  }

  private static byte[] decode(String text, byte[] alphabet, boolean padded)
      throws IllegalBase64Exception {
    int length = text.length();
    // Scan first, so the offset reported is that of the first offending character.
    int dataLength = length;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 128 && alphabet[c] >= 0) {
        continue;
      }
      if (c != '=' || !padded) {
        throw new IllegalBase64Exception(i);
      }
      // Padding completes the last quantum: "xx==" or "xxx=", then nothing more.
      int position = i % 4;
      int end = position == 2 ? i + 2 : position == 3 ? i + 1 : -1;
      if (end < 0 || (position == 2 && (i + 1 >= length || text.charAt(i + 1) != '='))) {
        throw new IllegalBase64Exception(i);
      }
      if (end < length) {
        throw new IllegalBase64Exception(end);
      }
      dataLength = i;
      break;
    }
    if (padded && length % 4 != 0) {
      throw new IllegalBase64Exception(length - length % 4);
    }
    // The unpadded length of a base64 text is never 1 (mod 4).
    if (dataLength % 4 == 1) {
      throw new IllegalBase64Exception(dataLength - 1);
    }
    byte[] out = new byte[dataLength * 3 / 4];
    int bits = 0;
    int buffer = 0;
    int written = 0;
    for (int i = 0; i < dataLength; i++) {
      buffer = (buffer << 6) | alphabet[text.charAt(i)];
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[written++] = (byte) (buffer >> bits);
        buffer &= (1 << bits) - 1;
      }
    }
    // Leftover bits must be zero, otherwise two texts would decode to the same bytes.
    if (buffer != 0) {
      throw new IllegalBase64Exception(dataLength - 1);
    }
    return out;
  }

  private static byte[] values(String alphabet) {
    byte[] table = new byte[128];
    java.util.Arrays.fill(table, (byte) -1);
    for (int i = 0; i < alphabet.length(); i++) {
      table[alphabet.charAt(i)] = (byte) i;
    }
    return table;
  }
}
