package dev.signet.server;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The trace id of a request: from the first configured header that carries a usable one, else new. */
final class TraceIds {
  private static final int MAX_TRACE_ID_CHARS = 128;

  private final List<HeaderName> headers;

  TraceIds(List<String> headers) {
    this.headers = headers.stream().map(HeaderNames::create).toList();
  }

  String of(ServerRequest req) {
    for (HeaderName h : headers) {
      var value = req.headers().first(h);
      if (value.isPresent()) {
        String v = value.get().trim();
        if (!v.isEmpty() && v.length() <= MAX_TRACE_ID_CHARS && v.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
          return v;
        }
      }
    }
    return newTraceId();
  }

  /**
   * A random version-4 UUID as a trace id. It only correlates log lines with a request, so it comes
   * from a per-thread generator instead of the shared, slower SecureRandom of {@link
   * UUID#randomUUID()}.
   */
  static String newTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
