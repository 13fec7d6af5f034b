package dev.signet.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The credentials a {@link HttpPipeline} has sent (header values, their tokens, decoded Basic pairs
 * and passwords, secrets sent in bodies), the most recent {@value #MAX} of them, so that text a
 * server sends back can be scrubbed of them: servers echo requests in their errors.
 */
final class SentCredentials {
  private static final int MAX = 256;

  private final Map<String, Boolean> secrets =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > MAX;
            }
          });

  void secret(String value) {
    if (value != null) {
      secrets.put(value, Boolean.TRUE);
    }
  }

  /** An {@code Authorization} value: itself, its credential, and for Basic the pair and password. */
  void authorization(String header) {
    secret(header);
    int space = header.indexOf(' ');
    if (space < 0) {
      return;
    }
    String value = header.substring(space + 1).trim();
    secret(value);
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        secret(pair);
        int colon = pair.indexOf(':');
        if (colon >= 0) {
          secret(pair.substring(colon + 1));
        }
      } catch (IllegalArgumentException e) {
        // not base64: the header value itself is remembered
      }
    }
  }

  Scrubber scrubber() {
    List<String> copy;
    synchronized (secrets) {
      copy = List.copyOf(secrets.keySet());
    }
    return Scrubber.removing(copy);
  }
}
