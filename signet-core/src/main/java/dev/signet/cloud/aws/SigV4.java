package dev.signet.cloud.aws;

// AWS Signature Version 4 (AWS General Reference, "Create a signed AWS API request"): canonical
// request, string to sign, signing key HMAC chain, Authorization header.

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs AWS API requests with Signature Version 4. */
public final class SigV4 {
  public static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /** Temporary or long-term AWS credentials; the secret parts never appear in toString. */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public Credentials {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + ", <redacted>]";
    }
  }

  private SigV4() {}

  /**
   * The {@code Authorization} header value for a request. {@code headers} are the headers to sign
   * (names in any case, values in order); they must include {@code host} and {@code x-amz-date}
   * (and {@code x-amz-security-token} with temporary credentials).
   */
  public static String authorization(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      Credentials credentials,
      String region,
      String service) {
    Map<String, String> canonical = canonicalHeaders(headers);
    String amzDate = canonical.get("x-amz-date");
    if (amzDate == null || amzDate.length() < 8) {
      throw new IllegalArgumentException("x-amz-date must be signed");
    }
    String date = amzDate.substring(0, 8);
    String signedHeaders = String.join(";", canonical.keySet());
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String request = canonicalRequest(method, uri, canonical, body);
    String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(bytes(request)));
    byte[] key = hmac(bytes("AWS4" + credentials.secretAccessKey()), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, toSign));
    return ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
  }

  /** {@code x-amz-date} for an instant. */
  public static String amzDate(Instant at) {
    return AMZ_DATE.format(at);
  }

  static String canonicalRequest(
      String method, URI uri, Map<String, String> canonicalHeaders, byte[] body) {
    StringBuilder out = new StringBuilder();
    out.append(method).append('\n');
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    out.append(encode(path, false)).append('\n');
    out.append(canonicalQuery(uri.getRawQuery())).append('\n');
    canonicalHeaders.forEach((k, v) -> out.append(k).append(':').append(v).append('\n'));
    out.append('\n');
    out.append(String.join(";", canonicalHeaders.keySet())).append('\n');
    out.append(hex(sha256(body == null ? new byte[0] : body)));
    return out.toString();
  }

  /** Lower-case names, sorted; values trimmed with inner runs of spaces collapsed; repeats joined by commas. */
  static Map<String, String> canonicalHeaders(Map<String, List<String>> headers) {
    Map<String, String> out = new TreeMap<>();
    headers.forEach(
        (name, values) -> {
          String key = name.toLowerCase(Locale.ROOT).trim();
          List<String> cleaned = new ArrayList<>();
          for (String v : values) {
            cleaned.add(v.trim().replaceAll(" +", " "));
          }
          out.merge(key, String.join(",", cleaned), (a, b) -> a + "," + b);
        });
    return out;
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = decode(eq < 0 ? p : p.substring(0, eq));
      String v = eq < 0 ? "" : decode(p.substring(eq + 1));
      pairs.add(new String[] {encode(k, true), encode(v, true)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>();
    for (String[] p : pairs) {
      joined.add(p[0] + "=" + p[1]);
    }
    return String.join("&", joined);
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 percent-encoding of every byte but the unreserved ones (and '/' in paths). */
  static String encode(String s, boolean slash) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !slash)) {
        out.append((char) c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return out.toString();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(bytes(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
