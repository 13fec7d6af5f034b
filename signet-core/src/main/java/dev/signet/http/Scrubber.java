package dev.signet.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes credentials from text a remote server sent back before it reaches an error, a report, a
 * log line or a deny message. A server may echo what it received (an {@code Authorization} header,
 * a URL with user-info or a token in its query) or hand out tokens in its errors; none of that may
 * be repeated to an admission client or a log.
 *
 * <p>Removed: whatever is shaped like a credential, then the known secret values given (passwords,
 * tokens, client secrets) wherever else they appear. Shapes: {@code Bearer}/{@code Basic} authorization values, user-info in URLs
 * ({@code https://user:pass@host}), query parameters named like secrets ({@code access_token},
 * {@code token}, {@code password}, {@code client_secret}, {@code code}, {@code sig}, ...), and JSON
 * Web Tokens. Each becomes {@value #REDACTED}.
 */
public final class Scrubber {
  /** What a removed credential is replaced with. */
  public static final String REDACTED = "<redacted>";

  /** Secret values shorter than this are not searched for: they would match ordinary text. */
  private static final int MIN_SECRET_LENGTH = 4;

  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)\\b(bearer|basic|negotiate|digest)\\s+[A-Za-z0-9._~+/=\\-]{4,}");
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/\\s@\"'<>]+@");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)([?&;\\s\"']|^)(access_token|refresh_token|id_token|token|password|passwd|secret"
              + "|client_secret|client_assertion|assertion|code|sig|signature|x-amz-signature"
              + "|x-amz-security-token|api[_-]?key)=[^&\\s\"'<>]*");
  private static final Pattern JWT =
      Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{5,}\\.[A-Za-z0-9_\\-]{5,}\\.[A-Za-z0-9_\\-]*");
  private static final Pattern HEADER_LINE =
      Pattern.compile("(?i)\\b(authorization|proxy-authorization|cookie|x-api-key)\\s*[:=]\\s*[^,;\\r\\n\"]+");

  private final List<String> secrets;

  private Scrubber(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A scrubber that also removes these values wherever they appear (nulls are ignored). */
  public static Scrubber removing(Collection<String> secrets) {
    List<String> list = new ArrayList<>();
    for (String s : secrets) {
      if (s != null && s.length() >= MIN_SECRET_LENGTH) {
        list.add(s);
      }
    }
    // Longest first, so that a secret containing another is removed whole.
    list.sort(Comparator.comparingInt(String::length).reversed());
    return new Scrubber(List.copyOf(list));
  }

  /** A scrubber for credential-shaped text only. */
  public static Scrubber shapesOnly() {
    return new Scrubber(List.of());
  }

  /** {@code text} without credentials; null stays null. */
  public String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = HEADER_LINE.matcher(text).replaceAll(m -> m.group(1) + ": " + REDACTED);
    out = AUTHORIZATION.matcher(out).replaceAll(m -> m.group(1) + " " + REDACTED);
    out = USER_INFO.matcher(out).replaceAll(m -> m.group(1) + REDACTED + "@");
    out = SECRET_PARAMETER.matcher(out).replaceAll(m -> m.group(1) + m.group(2) + "=" + REDACTED);
    out = JWT.matcher(out).replaceAll(REDACTED);
    // Last, so that the shapes above see the text as sent (a secret inside one goes with it).
    for (String secret : secrets) {
      out = out.replace(secret, REDACTED);
    }
    return out;
  }
}
