package dev.signet.cloud;

// The one HTTP seam of the cloud clients (Entra ID, IMDS, ACR exchange, Key Vault, STS, ECR,
// Kubernetes): retries on 429 and 5xx with Retry-After inside the caller's deadline, bodies read
// with a bound. RFC 9110 section 10.2.3 for Retry-After.

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** Sends requests to cloud endpoints; one instance per configured component, safe to share. */
public final class CloudHttp {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 4;
  private static final Duration BACKOFF_BASE = Duration.ofMillis(200);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(2);
  private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);

  /** An answer: status, headers and the body read with a bound. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpClient http;
  private final Clock clock;

  public CloudHttp(HttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /** A client with the JVM's trust anchors, or with {@code ssl} when not null. */
  public static CloudHttp create(SSLContext ssl, Clock clock) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return new CloudHttp(b.build(), clock);
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Sends {@code request}, again after a 429 or 5xx (waiting what {@code Retry-After} asks) or an
   * I/O error, while the deadline allows. The last answer is returned when retries run out or the
   * next wait would pass the deadline, so the caller can say what the service answered.
   *
   * @param what names the request in messages, e.g. {@code "token request to login.example"}
   * @param maxBody the largest body accepted; a larger one is an error
   * @throws CloudException when the endpoint cannot be reached or the body is too large
   */
  public Response send(HttpRequest.Builder request, String what, int maxBody, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    for (int attempt = 1; ; attempt++) {
      Duration budget = deadline.remainingAtMost(REQUEST_TIMEOUT);
      if (budget.isZero()) {
        throw new DeadlineExceededException(what);
      }
      HttpRequest.Builder b = request.copy().timeout(budget).setHeader("User-Agent", "signet");
      if ("http".equals(b.build().uri().getScheme())) {
        b.version(HttpClient.Version.HTTP_1_1); // the metadata endpoint: no h2c upgrade
      }
      HttpRequest built = b.build();
      Response response;
      try {
        response = once(built, what, maxBody);
      } catch (IOException e) {
        if (deadline.expired()) {
          throw new DeadlineExceededException(what);
        }
        Duration wait = backoff(attempt);
        if (attempt >= MAX_ATTEMPTS || !fits(wait, deadline)) {
          throw new CloudException(
              what + ": cannot reach " + origin(built.uri()) + " (" + describe(e) + ")", 0, e);
        }
        sleep(wait, what);
        continue;
      }
      if (!RETRIED.contains(response.status()) || attempt >= MAX_ATTEMPTS) {
        return response;
      }
      Duration wait = retryAfter(response).orElse(backoff(attempt));
      if (!fits(wait, deadline)) {
        return response;
      }
      sleep(wait, what);
    }
  }

  private Response once(HttpRequest request, String what, int maxBody)
      throws IOException, CloudException {
    HttpResponse<InputStream> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(what + ": interrupted");
    }
    long declared = r.headers().firstValueAsLong("content-length").orElse(-1);
    try (InputStream in = r.body()) {
      if (declared > maxBody) {
        throw new CloudException(
            what + ": the answer is larger than " + maxBody + " bytes", r.statusCode());
      }
      byte[] body = in.readNBytes(maxBody + 1);
      if (body.length > maxBody) {
        throw new CloudException(
            what + ": the answer is larger than " + maxBody + " bytes", r.statusCode());
      }
      return new Response(r.statusCode(), r.headers(), body);
    }
  }

  private boolean fits(Duration wait, Deadline deadline) {
    // Leave time for the request itself after the wait.
    return wait.plus(Duration.ofMillis(100)).compareTo(deadline.remaining()) < 0;
  }

  private static Duration backoff(int attempt) {
    long ceiling = Math.min(BACKOFF_CAP.toMillis(), BACKOFF_BASE.toMillis() << Math.min(attempt, 10));
    return Duration.ofMillis(ceiling / 2 + (long) (Math.random() * (ceiling / 2 + 1)));
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; empty when absent or invalid. */
  Optional<Duration> retryAfter(Response response) {
    Optional<String> value = response.header("retry-after").map(String::trim);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get();
    if (v.matches("[0-9]{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static void sleep(Duration wait, String what) throws CloudException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(what + ": interrupted");
    }
  }

  /** An {@code application/x-www-form-urlencoded} body from name/value pairs, in order. */
  public static HttpRequest.BodyPublisher form(java.util.Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach(
        (k, v) ->
            out.append(out.isEmpty() ? "" : "&")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return HttpRequest.BodyPublishers.ofString(out.toString());
  }

  /** {@code scheme://host[:port]} of a URI, for messages (never a path or query). */
  public static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "TLS failed: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
