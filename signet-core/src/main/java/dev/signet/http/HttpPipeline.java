package dev.signet.http;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * The one way Signet sends HTTP requests: every remote client (registries, OCSP and CRL, cloud
 * identity and Key Vault, Rekor, JSON schemas) sends through one of these. Each request passes the
 * same concerns, outermost first:
 *
 * <ol>
 *   <li><b>retry</b> ({@link Retry}): a repeatable request is sent again after an I/O failure, a
 *       429 or a 5xx, waiting {@code Retry-After} or a backoff, never past the deadline;
 *   <li><b>redirects</b> ({@link Redirects}): followed only when the request asks, to allowed
 *       schemes, never down from HTTPS, a bounded number of times;
 *   <li><b>authentication</b> ({@link Authentication}): credentials go only to their own origin
 *       (dropped once a redirect leaves it), and a 401 challenge is answered once;
 *   <li><b>limits</b>: a {@link Gate} (connection slots, throttling pauses), then each exchange
 *       within {@code min(request timeout, time left before the deadline)}, connect included;
 *   <li><b>bounded bodies</b> ({@link BoundedBody}): a successful body beyond the request's limit
 *       fails, an error body is cut at {@value #MAX_ERROR_BODY} bytes;
 *   <li><b>scrubbing</b>: the credentials sent are remembered, and {@link #scrub} removes them (and
 *       anything shaped like a credential) from text a server sent back; the pipeline's own
 *       messages pass through it.
 * </ol>
 *
 * One pipeline holds one {@link HttpClient} (connection reuse) and is safe to share.
 */
public final class HttpPipeline implements AutoCloseable {
  /** The most bytes of an error body kept (error bodies are only quoted). */
  public static final int MAX_ERROR_BODY = 64 * 1024;

  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

  /**
   * One request to send (possibly several times); each setter returns a changed copy. By default:
   * no headers, no body, bodies up to 1 MiB, the pipeline's timeout, no redirects, repeatable when
   * the method is idempotent, no credentials.
   */
  public static final class Request {
    private final String what;
    private final String method;
    private final URI uri;
    private Map<String, String> headers = Map.of();
    private HttpRequest.BodyPublisher body;
    private int maxBody = 1024 * 1024;
    private Duration timeout;
    private boolean followRedirects;
    private boolean repeatable;
    private Authentication authentication;

    private Request(String what, String method, URI uri) {
      this.what = what;
      this.method = method;
      this.uri = uri;
      this.repeatable = IDEMPOTENT.contains(method);
    }

    /**
     * @param what names the request in messages, e.g. {@code "manifest registry.example/app:v1"}
     */
    public static Request of(String what, String method, URI uri) {
      return new Request(what, method, uri);
    }

    public static Request get(String what, URI uri) {
      return of(what, "GET", uri);
    }

    /** A copy of this request with what {@code change} sets on it. */
    private Request with(Consumer<Request> change) {
      Request r = new Request(what, method, uri);
      r.headers = headers;
      r.body = body;
      r.maxBody = maxBody;
      r.timeout = timeout;
      r.followRedirects = followRedirects;
      r.repeatable = repeatable;
      r.authentication = authentication;
      change.accept(r);
      return r;
    }

    /** Adds (or replaces) a header sent with every attempt and hop. */
    public Request header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return with(r -> r.headers = Collections.unmodifiableMap(more));
    }

    /** {@code content} as the body, labelled with its {@code Content-Type}. */
    public Request body(String contentType, byte[] content) {
      return body(HttpRequest.BodyPublishers.ofByteArray(content)).header("Content-Type", contentType);
    }

    /** A body sent as it is; it must publish the same bytes again for a retry. */
    public Request body(HttpRequest.BodyPublisher content) {
      return with(r -> r.body = content);
    }

    /** The largest successful body accepted: past it the exchange fails, declared or streamed. */
    public Request maxBody(int limit) {
      return with(r -> r.maxBody = limit);
    }

    /** The limit of one exchange, instead of the pipeline's (the deadline still bounds it). */
    public Request timeout(Duration limit) {
      return with(r -> r.timeout = limit);
    }

    /** Follows the redirects the pipeline's {@link Redirects} allow, instead of answering them. */
    public Request followingRedirects() {
      return with(r -> r.followRedirects = true);
    }

    /** Whether it may be sent again (a query sent with POST may; an upload started with POST not). */
    public Request repeatable(boolean may) {
      return with(r -> r.repeatable = may);
    }

    /** Sends {@code credentials} to their origin, and answers its challenges with them. */
    public Request authenticatedBy(Authentication credentials) {
      return with(r -> r.authentication = credentials);
    }

    public String what() {
      return what;
    }

    public URI uri() {
      return uri;
    }
  }

  /**
   * An answer: status, headers, the body read with its bound, and the URL that gave it.
   *
   * @param refusedRetry set when the answer called for a retry whose wait would have passed the
   *     deadline; null otherwise
   */
  public record Response(int status, HttpHeaders headers, byte[] body, URI uri, Duration refusedRetry) {
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpClient http;
  private final Duration requestTimeout;
  private final Retry retry;
  private final Redirects redirects;
  private final Gate gate;
  private final UnaryOperator<URI> route;
  private final SentCredentials sent = new SentCredentials();
  private final AtomicLong exchanges = new AtomicLong();

  private HttpPipeline(Builder b) {
    this.http = b.newClient();
    this.requestTimeout = b.requestTimeout;
    this.retry = b.retry != null ? b.retry
        // Jitter from the calling thread's generator: RandomGenerator instances are not thread-safe.
        : new Retry(b.maxRetries, b.clock, Thread::sleep, () -> ThreadLocalRandom.current().nextLong());
    this.redirects = b.redirects;
    this.gate = b.gate;
    this.route = b.route;
  }

  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /** Settings of a pipeline; each has a default. */
  public static final class Builder {
    private final Clock clock;
    private SSLContext ssl;
    private HttpClient.Version version = HttpClient.Version.HTTP_2;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxRetries = 3;
    private Retry retry;
    private Redirects redirects = Redirects.NONE;
    private Gate gate = Gate.OPEN;
    private UnaryOperator<URI> route = UnaryOperator.identity();

    private Builder(Clock clock) {
      this.clock = clock;
    }

    /** Trust for HTTPS; the JVM's trust anchors when null. */
    public Builder ssl(SSLContext context) {
      this.ssl = context;
      return this;
    }

    public Builder version(HttpClient.Version v) {
      this.version = v;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /** The limit of one exchange (the deadline bounds it further); 30 s by default. */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /** Attempts after the first for repeatable requests; 3 by default, 0 never retries. */
    public Builder retries(int n) {
      this.maxRetries = n;
      return this;
    }

    /** The retry policy itself (tests pass one whose sleeps move a clock). */
    public Builder retry(Retry r) {
      this.retry = r;
      return this;
    }

    /** Which redirects requests asking for them follow; none by default. */
    public Builder redirects(Redirects r) {
      this.redirects = r;
      return this;
    }

    public Builder gate(Gate g) {
      this.gate = g;
      return this;
    }

    /**
     * Where a URL is actually sent (tests map a certificate's host names to a local server);
     * redirects and origins are judged on the URL before it.
     */
    public Builder route(UnaryOperator<URI> r) {
      this.route = r;
      return this;
    }

    public HttpPipeline build() {
      return new HttpPipeline(this);
    }

    private HttpClient newClient() {
      HttpClient.Builder b = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(connectTimeout)
          .version(version);
      if (ssl != null) {
        b.sslContext(ssl);
      }
      return b.build();
    }
  }

  /** HTTP exchanges sent so far (challenges, redirects and retries included). */
  public long exchanges() {
    return exchanges.get();
  }

  /** {@code text} (something a server sent back) without the credentials sent or shaped like one. */
  public String scrub(String text) {
    return sent.scrubber().scrub(text);
  }

  /** Remembers a secret sent outside a header (in a form body), so that {@link #scrub} removes it. */
  public void sentSecret(String secret) {
    sent.secret(secret);
  }

  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- retry

  /**
   * Sends {@code request} through every concern. An answer is returned whatever its status (after
   * retries); what is not an answer is an {@link HttpException}.
   *
   * @throws DeadlineExceededException when the deadline passes before an answer, or a wait the
   *     gate asks for would pass it
   */
  public Response send(Request request, Deadline deadline)
      throws HttpException, DeadlineExceededException {
    for (int attempt = 0; ; attempt++) {
      deadline.check(request.what());
      Response reply = null;
      IOException failure = null;
      try {
        reply = following(request, deadline);
      } catch (IOException e) {
        failure = e;
      }
      if (!request.repeatable || (failure == null && !Retry.retryable(reply.status()))) {
        if (failure != null) {
          throw unreachable(request, failure, attempt + 1, null);
        }
        return reply;
      }
      Duration wait = retry.delay(attempt, reply == null ? null : reply.headers());
      boolean gated = reply != null && reply.status() == 429 && gate.throttled(reply.uri(), wait);
      if (attempt >= retry.maxRetries()) {
        if (failure != null) {
          throw unreachable(request, failure, attempt + 1, null);
        }
        return reply;
      }
      if (!Retry.fits(wait, deadline)) {
        if (failure != null) {
          throw unreachable(request, failure, attempt + 1, wait);
        }
        return new Response(reply.status(), reply.headers(), reply.body(), reply.uri(), wait);
      }
      if (gated) {
        continue; // the gate makes this retry wait with every other request to the host
      }
      try {
        retry.sleeper().sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HttpException(HttpException.Kind.INTERRUPTED, "interrupted", e);
      }
    }
  }

  private HttpException unreachable(Request request, IOException failure, int attempts,
      Duration refused) {
    String after = " after " + attempts + (attempts == 1 ? " attempt" : " attempts");
    String message;
    if (unresolved(failure)) {
      message = "cannot resolve host " + request.uri().getHost() + after
          + "; check the host name and the DNS the server uses";
    } else {
      message = "cannot reach " + Redirects.origin(request.uri()) + " (" + describe(failure) + ")"
          + after;
    }
    return new HttpException(HttpException.Kind.UNREACHABLE, scrub(message), failure, attempts,
        refused);
  }

  // ---------------------------------------------------------------- redirects and authentication

  private Response following(Request request, Deadline deadline)
      throws IOException, HttpException, DeadlineExceededException {
    URI uri = request.uri();
    Authentication auth = request.authentication;
    boolean trusted = auth != null;
    for (int hop = 0; ; hop++) {
      // Credentials go only to the request's own origin, never to a redirect target elsewhere.
      trusted = trusted && Redirects.sameOrigin(uri, auth.origin());
      String authorization = trusted ? auth.preemptive(deadline) : null;
      Response r = exchange(request, uri, authorization, deadline);
      if (r.status() == 401 && trusted) {
        List<String> challenge = r.headers().allValues("www-authenticate");
        if (!challenge.isEmpty()) {
          String answer = auth.challenged(challenge, deadline);
          if (answer != null) {
            r = exchange(request, uri, answer, deadline);
          }
          if (r.status() == 401) {
            auth.rejected();
          }
        }
      }
      if (!request.followRedirects || !Redirects.isRedirect(r.status())) {
        return r;
      }
      Optional<String> location = r.header("location");
      if (location.isEmpty()) {
        return r;
      }
      if (hop >= redirects.max()) {
        throw new HttpException(HttpException.Kind.REDIRECT,
            "more than " + redirects.max() + " redirects", null);
      }
      uri = redirects.next(uri, location.get());
    }
  }

  // ---------------------------------------------------------------- limits and bounded bodies

  private Response exchange(Request request, URI uri, String authorization, Deadline deadline)
      throws IOException, HttpException, DeadlineExceededException {
    Duration limit = request.timeout != null ? request.timeout : requestTimeout;
    Duration budget = deadline.remainingAtMost(limit);
    if (budget.isZero()) {
      throw new DeadlineExceededException(request.what());
    }
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(route.apply(uri)).timeout(budget);
    } catch (IllegalArgumentException e) {
      throw new HttpException(HttpException.Kind.INVALID_REQUEST,
          scrub("invalid URL: " + e.getMessage()), e);
    }
    if ("http".equals(Redirects.scheme(uri))) {
      b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on plain HTTP
    }
    request.headers.forEach(b::header);
    String own = request.headers.get("Authorization");
    if (own != null) {
      sent.authorization(own);
    }
    b.header("User-Agent", "signet");
    if (authorization != null) {
      b.header("Authorization", authorization);
      sent.authorization(authorization);
    }
    b.method(request.method, request.body == null
        ? HttpRequest.BodyPublishers.noBody()
        : request.body);
    HttpRequest built = b.build();

    AtomicReference<BoundedBody> subscriber = new AtomicReference<>();
    CompletableFuture<HttpResponse<byte[]>> future = null;
    try (Gate.Pass pass = gate.enter(uri, request.what(), deadline)) {
      exchanges.incrementAndGet();
      boolean head = request.method.equals("HEAD");
      future = http.sendAsync(built, info -> {
        if (head) {
          return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        BoundedBody body = ok
            ? new BoundedBody(request.maxBody, false, declared)
            : new BoundedBody(MAX_ERROR_BODY, true, declared);
        subscriber.set(body);
        return body;
      });
      long waitMillis = Math.max(1, deadline.remainingAtMost(limit).toMillis());
      HttpResponse<byte[]> resp = future.get(waitMillis, TimeUnit.MILLISECONDS);
      byte[] body = resp.body() == null ? new byte[0] : resp.body();
      return new Response(resp.statusCode(), resp.headers(), body, uri, null);
    } catch (TimeoutException e) {
      abandon(future, subscriber);
      if (deadline.expired()) {
        throw new DeadlineExceededException(request.what() + " (no complete answer from "
            + Redirects.origin(uri) + ")");
      }
      throw new HttpTimeoutException("no complete answer within " + limit.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof IOException && cause.getCause() instanceof BoundedBody.TooLarge) {
        cause = cause.getCause();
      }
      if (cause instanceof BoundedBody.TooLarge tooLarge) {
        throw new HttpException(HttpException.Kind.TOO_LARGE, tooLarge.getMessage(), tooLarge);
      }
      if (cause instanceof HttpTimeoutException && deadline.expired()) {
        throw new DeadlineExceededException(request.what());
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(describe(cause), cause);
    } catch (InterruptedException e) {
      abandon(future, subscriber);
      Thread.currentThread().interrupt();
      throw new HttpException(HttpException.Kind.INTERRUPTED, "interrupted", e);
    }
  }

  private static void abandon(CompletableFuture<?> future, AtomicReference<BoundedBody> subscriber) {
    BoundedBody body = subscriber.get();
    if (body != null) {
      body.abort();
    }
    if (future != null) {
      future.cancel(true);
    }
  }

  /** Whether a connection failed because the host name does not resolve. */
  private static boolean unresolved(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.nio.channels.UnresolvedAddressException
          || c instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    if (t instanceof HttpTimeoutException) {
      return "no answer in time: " + t.getMessage();
    }
    if (t instanceof java.net.ConnectException && t.getMessage() == null) {
      return "connection refused";
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
