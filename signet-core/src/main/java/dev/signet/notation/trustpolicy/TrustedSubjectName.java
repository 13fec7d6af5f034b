package dev.signet.notation.trustpolicy;

import dev.signet.notation.x509.GoFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distinguished names as notation compares them for {@code x509.subject} trusted identities
 * (checklist §7.5): go-ldap {@code ParseDN} rules, then notation's own rules (no {@code =#}, no
 * multi-valued RDN, no repeated type, {@code S} read as {@code ST}, {@code C}, {@code ST} and
 * {@code O} mandatory). The result maps each attribute type, as written (case-sensitive), to its
 * decoded value. Trust decisions depend on this, so it fails closed: anything ambiguous is an
 * error.
 */
final class TrustedSubjectName {
  private static final List<String> MANDATORY = List.of("C", "ST", "O");

  private TrustedSubjectName() {}

  /** One attribute type and value; a relative DN is a list of these. */
  private record Attribute(String type, String value) {}

  /**
   * Parses {@code name} under notation's rules.
   *
   * @throws TrustPolicyException with notation's message for the rule that failed
   */
  static Map<String, String> parse(String name) throws TrustPolicyException {
    String q = GoFormat.quote(name);
    // notation rejects "=#" up front: it introduces a BER-encoded value, which notation never
    // decodes (and whose decoder allocated unbounded memory). It also covers escaped forms.
    if (name.contains("=#")) {
      throw new TrustPolicyException(
          "unsupported distinguished name (DN) "
              + q
              + ": notation does not support x509.subject identities containing \"=#\"");
    }
    List<List<Attribute>> rdns;
    try {
      rdns = parseRdns(name);
    } catch (SyntaxError e) {
      throw new TrustPolicyException(
          "parsing distinguished name (DN) "
              + q
              + " failed with err: "
              + e.getMessage()
              + ". A valid DN must contain 'C', 'ST', and 'O' RDN attributes at a minimum, and"
              + " follow RFC 4514 standard");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (List<Attribute> rdn : rdns) {
      if (rdn.size() > 1) {
        throw new TrustPolicyException(
            "distinguished name (DN) "
                + q
                + " has multi-valued RDN attributes, remove multi-valued RDN attributes as they"
                + " are not supported");
      }
      Attribute a = rdn.get(0);
      // "S" is an accepted alias of "ST" (stateOrProvinceName).
      String type = a.type().equals("S") ? "ST" : a.type();
      // Stricter than notation, which lets a repeated type through when the earlier value was
      // empty: any repetition is ambiguous.
      if (map.containsKey(type)) {
        throw new TrustPolicyException(
            "distinguished name (DN) "
                + q
                + " has duplicate RDN attribute for "
                + GoFormat.quote(type)
                + ", DN can only have unique RDN attributes");
      }
      map.put(type, a.value());
    }
    for (String field : MANDATORY) {
      String v = map.get(field);
      if (v == null || v.isEmpty()) {
        throw new TrustPolicyException(
            "distinguished name (DN) "
                + q
                + " has no mandatory RDN attribute for "
                + GoFormat.quote(field)
                + ", it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum");
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /**
   * Whether every type/value of {@code subset} is in {@code superset} with the same value (exact,
   * case-sensitive). Stricter than notation, a type absent from {@code superset} never matches even
   * an empty value.
   */
  static boolean isSubset(Map<String, String> subset, Map<String, String> superset) {
    for (Map.Entry<String, String> e : subset.entrySet()) {
      String other = superset.get(e.getKey());
      if (other == null || !other.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** A go-ldap {@code ParseDN} error; the message is the library's. */
  private static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  // go-ldap ParseDN: ',' and ';' end an RDN, '+' adds to a multi-valued one, the first unescaped
  // '=' ends the type, and a backslash protects the next character from being a separator.
  private static List<List<Attribute>> parseRdns(String s) throws SyntaxError {
    List<List<Attribute>> rdns = new ArrayList<>();
    if (s.strip().isEmpty()) {
      return rdns;
    }
    List<Attribute> rdn = new ArrayList<>();
    String type = "";
    boolean escaping = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escaping) {
        escaping = false;
      } else if (c == '\\') {
        escaping = true;
      } else if (c == '=' && type.isEmpty()) {
        type = decode(s.substring(start, i));
        start = i + 1;
      } else if (c == ',' || c == '+' || c == ';') {
        if (type.isEmpty()) {
          throw new SyntaxError("incomplete type, value pair");
        }
        rdn.add(new Attribute(type, value(s.substring(start, i))));
        type = "";
        start = i + 1;
        if (c != '+') {
          rdns.add(rdn);
          rdn = new ArrayList<>();
        }
      }
    }
    if (type.isEmpty()) {
      throw new SyntaxError("DN ended with incomplete type, value pair");
    }
    rdn.add(new Attribute(type, value(s.substring(start))));
    rdns.add(rdn);
    return rdns;
  }

  private static String value(String raw) throws SyntaxError {
    // A leading '#' is the BER hex form; unreachable after the "=#" check, refused regardless.
    if (!raw.isEmpty() && raw.charAt(0) == '#') {
      throw new SyntaxError("BER-encoded (#) attribute values are not supported");
    }
    return decode(raw);
  }

  // go-ldap decodeString: trim unescaped spaces, then decode "\c" and "\XX" escapes. Hex escapes
  // are bytes; the result must be valid UTF-8 (go would keep invalid bytes; decoding them into
  // replacement characters would make different names compare equal, so they are refused).
  private static String decode(String raw) throws SyntaxError {
    String s = trimSpaces(raw);
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        switch (c) {
          case '"', ';', '<', '>' -> throw new SyntaxError("got unescaped character: '" + c + "'");
          case 0 -> throw new SyntaxError("got unescaped NULL character");
          default -> {}
        }
        int end = i + 1;
        if (Character.isSurrogate(c)) {
          if (!Character.isHighSurrogate(c)
              || end >= s.length()
              || !Character.isLowSurrogate(s.charAt(end))) {
            throw new SyntaxError("value contains an unpaired UTF-16 surrogate");
          }
          end++;
        }
        out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
        continue;
      }
      if (i + 1 >= s.length()) {
        throw new SyntaxError("got corrupted escaped character: '" + s + "'");
      }
      char next = s.charAt(i + 1);
      if (" \"#+,;<=>\\".indexOf(next) >= 0) {
        out.write(next);
        i++;
        continue;
      }
      if (i + 2 >= s.length()) {
        throw new SyntaxError(
            "failed to decode escaped character: encoding/hex: invalid byte: " + next);
      }
      int hi = Character.digit(next, 16);
      int lo = Character.digit(s.charAt(i + 2), 16);
      if (next > 0x7f || s.charAt(i + 2) > 0x7f || hi < 0 || lo < 0) {
        throw new SyntaxError(
            "failed to decode escaped character: encoding/hex: invalid byte: "
                + s.substring(i + 1, i + 3));
      }
      out.write(hi * 16 + lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SyntaxError("escaped value is not valid UTF-8");
    }
  }

  // Strips unescaped spaces at both ends; a trailing space stays when an odd number of
  // backslashes precedes it (it is escaped).
  private static String trimSpaces(String raw) {
    int b = 0;
    int e = raw.length();
    while (b < e && raw.charAt(b) == ' ') {
      b++;
    }
    while (e > b && raw.charAt(e - 1) == ' ') {
      e--;
    }
    String trimmed = raw.substring(b, e);
    if (!trimmed.isEmpty() && raw.charAt(raw.length() - 1) == ' ') {
      int backslashes = 0;
      for (int i = trimmed.length() - 1; i >= 0 && trimmed.charAt(i) == '\\'; i--) {
        backslashes++;
      }
      if (backslashes % 2 == 1) {
        trimmed = trimmed + " ";
      }
    }
    return trimmed;
  }
}
