package dev.signet.notation.x509;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders values the way Go's {@code %q} verb does, so that messages keep notation's exact wording
 * (checklist: "Quoted error strings are exact. Go's {@code %q} formatting shows in them as {@code
 * "..."}, with backslashes doubled"). The one rendering of {@code %q} for trust policy messages and
 * certificate names.
 */
public final class GoFormat {
  private GoFormat() {}

  /** Go {@code %q} of a string: double quotes, backslash escapes, non-printables escaped. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case 0x07 -> b.append("\\a");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 0x0b -> b.append("\\v");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            b.append(String.format("\\x%02x", cp));
          } else if (cp == ' ' || isPrintable(cp)) {
            b.appendCodePoint(cp);
          } else if (cp < 0x10000) {
            b.append(String.format("\\u%04x", cp));
          } else {
            b.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Go {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
  public static String quoteList(List<String> values) {
    List<String> parts = new ArrayList<>(values.size());
    for (String v : values) {
      parts.add(quote(v));
    }
    return "[" + String.join(" ", parts) + "]";
  }

  /**
   * Go {@code %q} of a {@code []map[string]string}: {@code [map["C":"US" "O":"x"]]}, with each
   * map's keys in Go's order (byte order of UTF-8, which is code point order).
   */
  public static String quoteMaps(List<Map<String, String>> maps) {
    List<String> parts = new ArrayList<>(maps.size());
    for (Map<String, String> m : maps) {
      List<String> keys = new ArrayList<>(m.keySet());
      keys.sort(GoFormat::compareCodePoints);
      List<String> pairs = new ArrayList<>(keys.size());
      for (String k : keys) {
        pairs.add(quote(k) + ":" + quote(m.get(k)));
      }
      parts.add("map[" + String.join(" ", pairs) + "]");
    }
    return "[" + String.join(" ", parts) + "]";
  }

  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  // Approximates Go's unicode.IsPrint: letters, marks, numbers, punctuation and symbols.
  private static boolean isPrintable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
