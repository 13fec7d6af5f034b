package dev.signet.oci.registry;

// RFC 7235 section 4.1 (WWW-Authenticate) and section 2.1 (challenge syntax); quoted-string and
// token from RFC 7230 section 3.2.6.

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One authentication challenge: a scheme (lowercased) with either auth-params (names lowercased)
 * or a token68.
 */
public record AuthChallenge(String scheme, Map<String, String> params, String token68) {

  private static final int MAX_HEADER_CHARS = 16 * 1024;

  public AuthChallenge {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  public String param(String name) {
    return params.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Parses every challenge of one or more {@code WWW-Authenticate} header values.
   *
   * @throws IllegalArgumentException when a value is not valid challenge syntax or repeats a
   *     parameter in one challenge (ambiguous, so rejected)
   */
  public static List<AuthChallenge> parseAll(List<String> headerValues) {
    List<AuthChallenge> out = new ArrayList<>();
    for (String value : headerValues) {
      out.addAll(parse(value));
    }
    return out;
  }

  /** Parses the challenges of one header value. */
  public static List<AuthChallenge> parse(String header) {
    if (header.length() > MAX_HEADER_CHARS) {
      throw new IllegalArgumentException("WWW-Authenticate header is longer than " + MAX_HEADER_CHARS);
    }
    return new Parser(header).challenges();
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    List<AuthChallenge> challenges() {
      List<AuthChallenge> out = new ArrayList<>();
      while (true) {
        skipListSeparators();
        if (pos >= s.length()) {
          break;
        }
        out.add(challenge());
      }
      if (out.isEmpty()) {
        throw error("no challenge found");
      }
      return out;
    }

    private AuthChallenge challenge() {
      String scheme = token();
      if (scheme.isEmpty()) {
        throw error("expected an auth-scheme");
      }
      Map<String, String> params = new LinkedHashMap<>();
      int afterScheme = pos;
      skipSpaces();
      if (pos == afterScheme || pos >= s.length() || s.charAt(pos) == ',') {
        // A scheme alone (no space, or only a list separator follows).
        return new AuthChallenge(scheme.toLowerCase(Locale.ROOT), params, null);
      }
      String t68 = tryToken68();
      if (t68 != null) {
        return new AuthChallenge(scheme.toLowerCase(Locale.ROOT), params, t68);
      }
      while (true) {
        int itemStart = pos;
        String name = token();
        if (name.isEmpty()) {
          throw error("expected an auth-param name");
        }
        skipSpaces();
        if (pos >= s.length() || s.charAt(pos) != '=') {
          // Not a parameter: the start of the next challenge (only valid after a comma).
          if (params.isEmpty()) {
            throw error("expected '=' after auth-param \"" + name + "\"");
          }
          pos = itemStart;
          break;
        }
        pos++;
        skipSpaces();
        String value;
        if (pos < s.length() && s.charAt(pos) == '"') {
          value = quotedString();
        } else {
          value = token();
          if (value.isEmpty()) {
            throw error("auth-param \"" + name + "\" has no value");
          }
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (params.putIfAbsent(key, value) != null) {
          throw error("auth-param \"" + key + "\" appears twice in one challenge");
        }
        skipSpaces();
        if (pos >= s.length()) {
          break;
        }
        if (s.charAt(pos) != ',') {
          throw error("expected ',' after auth-param \"" + key + "\"");
        }
        // Commas may separate params or challenges; an empty list element is allowed.
        skipListSeparators();
        if (pos >= s.length()) {
          break;
        }
      }
      return new AuthChallenge(scheme.toLowerCase(Locale.ROOT), params, null);
    }

    /** token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", alone in its item. */
    private String tryToken68() {
      int start = pos;
      int p = pos;
      while (p < s.length() && isToken68Char(s.charAt(p))) {
        p++;
      }
      if (p == start) {
        return null;
      }
      while (p < s.length() && s.charAt(p) == '=') {
        p++;
      }
      int end = p;
      while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
        p++;
      }
      if (p < s.length() && s.charAt(p) != ',') {
        return null;
      }
      pos = p;
      return s.substring(start, end);
    }

    private String token() {
      int start = pos;
      while (pos < s.length() && isTchar(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private String quotedString() {
      StringBuilder out = new StringBuilder();
      pos++; // opening quote
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          if (pos >= s.length()) {
            break;
          }
          char escaped = s.charAt(pos++);
          if (escaped != '\t' && (escaped < 0x20 || escaped == 0x7f)) {
            throw error("invalid character in quoted-pair");
          }
          out.append(escaped);
        } else if (c != '\t' && (c < 0x20 || c == 0x7f)) {
          throw error("control character in quoted-string");
        } else {
          out.append(c);
        }
      }
      throw error("unterminated quoted-string");
    }

    private void skipSpaces() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private void skipListSeparators() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == ',')) {
        pos++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "invalid WWW-Authenticate header at character " + pos + ": " + what);
    }

    private static boolean isTchar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isToken68Char(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~+/".indexOf(c) >= 0;
    }
  }
}
