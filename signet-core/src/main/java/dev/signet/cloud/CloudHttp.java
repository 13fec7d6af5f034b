package dev.signet.cloud;

// The one HTTP seam of the cloud clients (Entra ID, IMDS, ACR exchange, Key Vault, STS, ECR,
// Kubernetes, Rekor) on the shared http.HttpPipeline: retries on 429 and 5xx with Retry-After
// inside the caller's deadline, bodies read with a bound, no redirects.

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.HttpException;
import dev.signet.http.HttpPipeline;
import dev.signet.http.Redirects;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** Sends requests to cloud endpoints; one instance per configured component, safe to share. */
public final class CloudHttp {
  private final HttpPipeline pipeline;
  private final Clock clock;

  private CloudHttp(HttpPipeline pipeline, Clock clock) {
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /** A client with the JVM's trust anchors, or with {@code ssl} when not null. */
  public static CloudHttp create(SSLContext ssl, Clock clock) {
    return new CloudHttp(HttpPipeline.builder(clock).ssl(ssl).build(), clock);
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Sends {@code request}, again after a 429 or 5xx (waiting what {@code Retry-After} asks) or an
   * I/O error, while the deadline allows. Every cloud request is a read or a token request, so it
   * is safe to repeat. The last answer is returned when retries run out or the next wait would
   * pass the deadline, so the caller can say what the service answered.
   *
   * @param what names the request in messages, e.g. {@code "token request to login.example"}
   * @param maxBody the largest body accepted; a larger one is an error
   * @throws CloudException when the endpoint cannot be reached or the body is too large
   */
  public HttpPipeline.Response send(HttpRequest.Builder request, String what, int maxBody, Deadline deadline)
      throws CloudException, DeadlineExceededException {
    HttpRequest built = request.build();
    HttpPipeline.Request send = HttpPipeline.Request.of(what, built.method(), built.uri())
        .maxBody(maxBody)
        .repeatable(true);
    for (Map.Entry<String, java.util.List<String>> h : built.headers().map().entrySet()) {
      send = send.header(h.getKey(), String.join(", ", h.getValue()));
    }
    if (built.bodyPublisher().isPresent()) {
      send = send.body(built.bodyPublisher().get());
    }
    try {
      return pipeline.send(send, deadline);
    } catch (HttpException e) {
      if (e.kind() == HttpException.Kind.UNREACHABLE && deadline.expired()) {
        throw new DeadlineExceededException(what);
      }
      throw new CloudException(what + ": " + e.getMessage(), 0, e);
    }
  }

  /** {@code text} a service sent back, without the credentials sent or anything shaped like one. */
  public String scrub(String text) {
    return pipeline.scrub(text);
  }

  /** An {@code application/x-www-form-urlencoded} body from name/value pairs, in order. */
  public static HttpRequest.BodyPublisher form(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach(
        (k, v) ->
            out.append(out.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return HttpRequest.BodyPublishers.ofString(out.toString());
  }

  /** {@code scheme://host[:port]} of a URI, for messages (never a path or query). */
  public static String origin(URI uri) {
    return Redirects.origin(uri);
  }
}
