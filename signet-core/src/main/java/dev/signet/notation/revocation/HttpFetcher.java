package dev.signet.notation.revocation;

// Checklist §10: OCSP and CRL are fetched over plain http only, with a per-method timeout and a
// response size cap. The timeout of one request is min(method timeout, deadline.remaining()).

import dev.signet.deadline.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Fetches revocation data over http. Redirects are followed by hand (at most a few, and only to
 * http URLs), so that a responder can never send us to another scheme. The body is read into a
 * bounded buffer and the exchange is aborted as soon as it grows past the limit.
 */
final class HttpFetcher implements AutoCloseable {
  private static final int MAX_REDIRECTS = 3;

  private final HttpClient client;
  private final UnaryOperator<URI> rewriter;

  HttpFetcher(UnaryOperator<URI> rewriter) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.rewriter = rewriter;
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
    long giveUpAtNanos = System.nanoTime() + timeout.toNanos();
    URI target = request.uri();
    for (int hop = 0; ; hop++) {
      long leftNanos = giveUpAtNanos - System.nanoTime();
      if (leftNanos <= 0) {
        throw timedOut(timeout);
      }
      HttpResponse<byte[]> response = send(build(target, request, leftNanos), request, leftNanos);
      int status = response.statusCode();
      if (status == 200) {
        return response.body();
      }
      if (isRedirect(status)) {
        if (hop >= MAX_REDIRECTS) {
          throw new RevocationCheckException("too many redirects");
        }
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
          throw new RevocationCheckException("redirect (HTTP " + status + ") without Location");
        }
        URI next;
        try {
          next = target.resolve(location);
        } catch (IllegalArgumentException e) {
          throw new RevocationCheckException("redirect to an invalid URL");
        }
        if (!"http".equals(scheme(next))) {
          throw new RevocationCheckException(
              "redirect to " + next + " refused: only http URLs are followed");
        }
        target = next;
        continue;
      }
      throw new RevocationCheckException("HTTP status " + status + ", expected 200");
    }
  }

  private HttpRequest build(URI target, Request request, long leftNanos)
      throws RevocationCheckException {
    HttpRequest.Builder b;
    try {
      URI effective = rewriter.apply(target);
      b = HttpRequest.newBuilder(effective).timeout(Duration.ofNanos(leftNanos));
    } catch (IllegalArgumentException e) {
      throw new RevocationCheckException("invalid URL: " + e.getMessage());
    }
    if (request.body() == null) {
      b.GET();
    } else {
      b.header("Content-Type", request.contentType())
          .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    }
    return b.build();
  }

  private HttpResponse<byte[]> send(HttpRequest httpRequest, Request request, long leftNanos)
      throws RevocationCheckException {
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(httpRequest, info -> subscriberFor(info, request.maxBytes()));
    try {
      return future.get(leftNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(request.timeout());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RevocationCheckException("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause instanceof IOException && cause.getCause() instanceof ResponseTooLarge) {
        cause = cause.getCause();
      }
      if (cause instanceof ResponseTooLarge tooLarge) {
        throw new RevocationCheckException(tooLarge.getMessage());
      }
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw timedOut(request.timeout());
      }
      String what = cause.getMessage() == null ? "" : ": " + cause.getMessage();
      throw new RevocationCheckException(
          "request failed (" + cause.getClass().getSimpleName() + what + ")");
    }
  }

  private static RevocationCheckException timedOut(Duration methodTimeout) {
    return new RevocationCheckException(
        "request did not complete within its time limit (method timeout "
            + methodTimeout.toMillis()
            + " ms, bounded by the verification deadline)");
  }

  private static HttpResponse.BodySubscriber<byte[]> subscriberFor(
      HttpResponse.ResponseInfo info, long maxBytes) {
    if (info.statusCode() != 200) {
      return HttpResponse.BodySubscribers.replacing(new byte[0]);
    }
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > maxBytes) {
      return new FailingSubscriber(new ResponseTooLarge(maxBytes));
    }
    return new BoundedSubscriber(maxBytes);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  static String scheme(URI uri) {
    return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    client.close();
  }

  /** The response body exceeded the limit for its kind. */
  static final class ResponseTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseTooLarge(long maxBytes) {
      super("response exceeds the size limit of " + maxBytes + " bytes");
    }
  }

  /** Collects the body, cancelling the exchange once it passes {@code maxBytes}. */
  private static final class BoundedSubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final long maxBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedSubscriber(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if (buffer.size() + (long) item.remaining() > maxBytes) {
          subscription.cancel();
          result.completeExceptionally(new ResponseTooLarge(maxBytes));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }

  /** Refuses the body outright (declared length already past the limit). */
  private static final class FailingSubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final IOException failure;

    FailingSubscriber(IOException failure) {
      this.failure = failure;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.cancel();
      result.completeExceptionally(failure);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {}

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      result.completeExceptionally(failure);
    }
  }
}
