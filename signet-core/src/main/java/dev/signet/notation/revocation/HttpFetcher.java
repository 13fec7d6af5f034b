package dev.signet.notation.revocation;

// Checklist §10: OCSP and CRL are fetched over plain http only, with a per-method timeout and a
// response size cap. The time of one fetch is min(method timeout, deadline.remaining()).

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.HttpException;
import dev.signet.http.HttpPipeline;
import dev.signet.http.Redirects;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Fetches revocation data over http through the {@link HttpPipeline}: redirects are followed at
 * most three times and only to http URLs, so that a responder can never send us to another scheme;
 * the body is bounded; nothing is retried (the checks have their own fallbacks).
 */
final class HttpFetcher implements AutoCloseable {
  private static final Redirects HTTP_ONLY = new Redirects(3, Set.of("http"));

  private final HttpPipeline pipeline;

  HttpFetcher(UnaryOperator<URI> rewriter) {
    this.pipeline = HttpPipeline.builder(Clock.systemUTC())
        .version(HttpClient.Version.HTTP_1_1)
        .retries(0)
        .redirects(HTTP_ONLY)
        .route(rewriter)
        .build();
  }

  /** What to send: GET when {@code body} is null, else POST with the content type. */
  record Request(URI uri, byte[] body, String contentType, long maxBytes, Duration timeout) {}

  /**
   * Performs the request. The caller has already checked that {@code request.uri()} is http.
   *
   * @throws RevocationCheckException with a reason that does not repeat the URL
   */
  byte[] fetch(Request request, Deadline deadline) throws RevocationCheckException {
    Duration timeout = deadline.remainingAtMost(request.timeout());
    if (timeout.isZero()) {
      throw new RevocationCheckException("the verification deadline passed before the request");
    }
    Instant end = deadline.clock().instant().plus(timeout);
    Deadline fetchDeadline = new Deadline(deadline.clock(), end.isBefore(deadline.at()) ? end : deadline.at());
    HttpPipeline.Request send = (request.body() == null
        ? HttpPipeline.Request.get("revocation request", request.uri())
        : HttpPipeline.Request.of("revocation request", "POST", request.uri())
            .body(request.contentType(), request.body()))
        .maxBody((int) Math.min(Integer.MAX_VALUE - 8, request.maxBytes()))
        .timeout(timeout)
        .followingRedirects();
    HttpPipeline.Response response;
    try {
      response = pipeline.send(send, fetchDeadline);
    } catch (DeadlineExceededException e) {
      throw timedOut(request.timeout());
    } catch (HttpException e) {
      if (e.getCause() instanceof HttpTimeoutException) {
        throw timedOut(request.timeout());
      }
      throw new RevocationCheckException(e.kind() == HttpException.Kind.UNREACHABLE
          ? "request failed (" + e.getMessage() + ")" : e.getMessage());
    }
    if (response.status() != 200) {
      throw new RevocationCheckException("HTTP status " + response.status() + ", expected 200");
    }
    return response.body();
  }

  private static RevocationCheckException timedOut(Duration methodTimeout) {
    return new RevocationCheckException(
        "request did not complete within its time limit (method timeout "
            + methodTimeout.toMillis()
            + " ms, bounded by the verification deadline)");
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
