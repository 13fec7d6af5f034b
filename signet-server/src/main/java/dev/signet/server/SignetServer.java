package dev.signet.server;

// Ratify's HTTP server (ratify-reference.md §3, §6, §9) on Helidon SE with a virtual thread per
// request: the Gatekeeper external data provider over HTTPS (mTLS when a client CA is given),
// admission webhooks, and plain-HTTP health and metrics listeners.

import dev.signet.verify.ImageResolver;
import dev.signet.verify.Decisions;
import dev.signet.result.VerificationResult;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Signet server. Build it, {@link #start()} it, {@link #stop()} it:
 *
 * <pre>{@code
 * SignetServer server = SignetServer.builder()
 *     .http(HostPort.parse(":6001", "0.0.0.0"))
 *     .certDir(Path.of("/usr/local/tls"))
 *     .decisions(executor::verify)
 *     .resolver(ImageResolver.firstOf(stores, mutationTimeout))
 *     .build();
 * server.start();
 * }</pre>
 *
 * <p>The main listener serves HTTPS only, from {@code tls.crt} / {@code tls.key} in the certificate
 * directory; the files are checked every {@link Builder#reloadInterval reload interval} and, when
 * their content changed and the new pair is valid, served to new connections without a restart.
 * Health ({@code /healthz}, {@code /readyz}) and metrics ({@code /metrics}) get their own plain-HTTP
 * listeners when their addresses are given; health is also on the main listener.
 */
public final class SignetServer implements AutoCloseable {
  static final String VERIFY_PATH = "/ratify/gatekeeper/v1/verify";
  static final String MUTATE_PATH = "/ratify/gatekeeper/v1/mutate";
  static final String ADMISSION_VALIDATE_PATH = "/admission/validate";
  static final String ADMISSION_MUTATE_PATH = "/admission/mutate";
  private static final String JSON = "application/json";
  private static final int MAX_TRACE_ID_CHARS = 128;
  /** Connections of the plain-HTTP health and metrics listeners served at once. */
  private static final int OPS_MAX_CONNECTIONS = 64;

  private final Builder config;
  private final ServerTls tls;
  private final JsonLog log;
  private final Runnable onStop;
  private final ServerMetrics metrics;
  private final ObservedDecisions decisions;
  private final GatekeeperProvider provider;
  private final AdmissionHandler admission;
  private final List<HeaderName> traceHeaders;

  private WebServer server;
  private ScheduledExecutorService watcher;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "signet-request-deadlines");
            t.setDaemon(true);
            return t;
          });
  private final CompletableFuture<String> failure = new CompletableFuture<>();
  private byte[] servedFingerprint;
  private volatile boolean ready;
  private boolean stopped;

  private SignetServer(Builder b) {
    this.config = b;
    this.tls = new ServerTls(b.certDir, b.clientCaFile, b.minimumTls);
    this.log = b.log != null ? b.log : new JsonLog(b.logStream, b.clock);
    this.onStop = b.onStop;
    this.metrics = new ServerMetrics(b.registryRequests, b.cacheEvents, b.providerFetches);
    this.decisions = new ObservedDecisions(b.decisions, log, metrics);
    this.provider =
        new GatekeeperProvider(
            decisions, b.resolver, b.verifyTimeout, b.mutateTimeout, b.maxKeys, metrics, b.clock);
    this.admission = b.admission;
    List<HeaderName> headers = new ArrayList<>();
    for (String h : b.traceIdHeaders) {
      headers.add(HeaderNames.create(h));
    }
    this.traceHeaders = List.copyOf(headers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the TLS files and starts the listeners.
   *
   * @throws TlsMaterialException when tls.crt, tls.key or the client CA file is missing or unusable
   * @throws ListenException when an address cannot be listened on (in use, not local, not allowed)
   */
  public synchronized SignetServer start() throws TlsMaterialException, ListenException {
    if (server != null) {
      throw new IllegalStateException("the server was already started");
    }
    byte[] fingerprint;
    try {
      fingerprint = tls.fingerprint();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TlsMaterialException(
          e.getFile() + " does not exist; --cert-dir must hold tls.crt and tls.key (PEM)");
    } catch (IOException e) {
      throw new TlsMaterialException("cannot read the TLS files in " + config.certDir + ": " + e.getMessage());
    }
    Tls initial = tls.load();
    servedFingerprint = fingerprint;
    HostPort health = config.healthAddress;
    HostPort metricsAddress = config.metricsAddress;
    for (HostPort a : new HostPort[] {config.http, health, metricsAddress}) {
      ListenException.checkFree(a);
    }

    long listenerLimit = Math.max(config.maxBodyBytes, config.admissionMaxBodyBytes);
    Duration grace = config.shutdownGrace;
    WebServerConfig.Builder web =
        WebServer.builder()
            .shutdownHook(false)
            .host(config.http.host())
            .port(config.http.port())
            .tls(initial)
            .maxPayloadSize(listenerLimit)
            .shutdownGracePeriod(grace)
            .routing(this::mainRoutes);
    guard(web, "https://" + config.http, config.maxConnections);
    if (health != null && health.equals(metricsAddress)) {
      web.putSocket("ops", l -> plain(l, health, true, true));
    } else {
      if (health != null) {
        web.putSocket("health", l -> plain(l, health, true, false));
      }
      if (metricsAddress != null) {
        web.putSocket("metrics", l -> plain(l, metricsAddress, false, true));
      }
    }
    WebServer started;
    try {
      started = web.build().start();
    } catch (RuntimeException e) {
      throw new ListenException("cannot start the listeners: " + ListenException.reason(e));
    }
    server = started;
    for (String[] l : listeners()) {
      if (started.port(l[0]) < 0) {
        stop();
        throw new ListenException("cannot listen on " + l[1]);
      }
    }
    ListenerWatch.watch(this);
    ready = true;
    watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "signet-tls-watch");
              t.setDaemon(true);
              return t;
            });
    long every = config.reloadInterval.toMillis();
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "server started: https://"
            + config.http.host()
            + ":"
            + port()
            + (config.clientCaFile != null ? " (client certificates required)" : "")
            + (health != null ? ", health http://" + health.host() + ":" + healthPort() : "")
            + (metricsAddress != null ? ", metrics http://" + metricsAddress.host() + ":" + metricsPort() : ""));
    return this;
  }

  /** The listener names Helidon knows them by, with their addresses. */
  private List<String[]> listeners() {
    List<String[]> out = new ArrayList<>();
    out.add(new String[] {WebServer.DEFAULT_SOCKET_NAME, "https://" + config.http});
    HostPort health = config.healthAddress;
    HostPort metricsAddress = config.metricsAddress;
    if (health != null && health.equals(metricsAddress)) {
      out.add(new String[] {"ops", "http://" + health});
    } else {
      if (health != null) {
        out.add(new String[] {"health", "http://" + health});
      }
      if (metricsAddress != null) {
        out.add(new String[] {"metrics", "http://" + metricsAddress});
      }
    }
    return out;
  }

  /**
   * The connection cap, request deadlines and HTTP/1.0 handling of a listener ({@link
   * ConnectionGate}) and Ratify's idle timeout.
   */
  private void guard(io.helidon.webserver.ListenerConfig.BuilderBase<?, ?> l, String name, int maxConnections) {
    // The gate is the only selector, so that it sees each connection before its TLS handshake.
    l.protocolsDiscoverServices(false)
        .addConnectionSelector(
            new ConnectionGate(name, maxConnections, config.headerTimeout, config.bodyTimeout, deadlines))
        // Beyond this, connections wait in the kernel's backlog instead of taking descriptors.
        .maxTcpConnections(maxConnections + 64)
        // Answers go out at once: with Nagle's algorithm the last segment of a larger answer
        // waits for the client's delayed acknowledgement (about 40 ms).
        .connectionOptions(o -> o.tcpNoDelay(true))
        .idleConnectionTimeout(config.idleTimeout)
        .idleConnectionPeriod(Duration.ofSeconds(Math.max(1, Math.min(10, config.idleTimeout.toSeconds() / 3))));
  }

  private void plain(
      io.helidon.webserver.ListenerConfig.Builder l, HostPort address, boolean health, boolean metricsToo) {
    guard(l, "http://" + address, OPS_MAX_CONNECTIONS);
    l.host(address.host())
        .port(address.port())
        .maxPayloadSize(64 * 1024)
        .shutdownGracePeriod(config.shutdownGrace)
        .routing(
            r -> {
              r.addFilter(SignetServer::closeWhenAsked);
              if (health) {
                healthRoutes(r);
              }
              if (metricsToo) {
                r.get("/metrics", this::metricsRoute);
              }
            });
  }

  /** The HTTPS port (the bound one when port 0 was asked for). */
  public int port() {
    return running().port();
  }

  /** The health listener's port, or -1 when there is none. */
  public int healthPort() {
    if (config.healthAddress == null) {
      return -1;
    }
    return running().port(config.healthAddress.equals(config.metricsAddress) ? "ops" : "health");
  }

  /** The metrics listener's port, or -1 when there is none. */
  public int metricsPort() {
    if (config.metricsAddress == null) {
      return -1;
    }
    return running().port(config.metricsAddress.equals(config.healthAddress) ? "ops" : "metrics");
  }

  /** Ready to answer: started, TLS loaded, every listener accepting, not stopping. */
  public boolean ready() {
    return ready && !failure.isDone();
  }

  /**
   * Completes with the reason when a listener stopped accepting connections (for example when the
   * process ran out of file descriptors). From then on {@code /healthz} and {@code /readyz} answer
   * 503; the process should stop the server and exit so that it is restarted.
   */
  public CompletableFuture<String> failure() {
    return failure;
  }

  /** A listener stopped for good: health turns red and the failure is reported once. */
  void listenerFailed(String reason) {
    synchronized (this) {
      if (stopped || server == null) {
        return;
      }
    }
    if (failure.complete("a listener stopped accepting connections: " + reason)) {
      log.write(log.line("error", null, failure.join() + "; the server must be restarted"));
    }
  }

  /**
   * Stops accepting connections, lets requests in flight finish (up to the shutdown grace period),
   * then stops. Safe to call more than once.
   */
  public void stop() {
    WebServer s;
    synchronized (this) {
      if (server == null || stopped) {
        return;
      }
      stopped = true;
      ready = false;
      s = server;
    }
    ListenerWatch.unwatch(this);
    if (watcher != null) {
      watcher.shutdownNow();
    }
    s.stop();
    deadlines.shutdownNow();
    onStop.run();
    log.info("server stopped");
  }

  /** The metrics exposition, also when no metrics listener is configured (tests, diagnostics). */
  String metricsText() {
    return new String(metrics.exposition(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    stop();
  }

  private WebServer running() {
    WebServer s = server;
    if (s == null) {
      throw new IllegalStateException("the server is not started");
    }
    return s;
  }

  /** Checks the TLS files; serves the new pair to new connections when it changed and is valid. */
  void reloadIfChanged() {
    try {
      byte[] now = tls.fingerprint();
      if (Arrays.equals(now, servedFingerprint)) {
        return;
      }
      // Remember the content even if it fails to load: a half-written pair is retried when the
      // files change again, without a warning every interval.
      servedFingerprint = now;
      Tls next = tls.load();
      running().reloadTls(next);
      log.info("TLS certificate reloaded from " + config.certDir);
    } catch (IOException | TlsMaterialException e) {
      log.warn("TLS files changed but were not reloaded; still serving the previous certificate: " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("TLS reload failed; still serving the previous certificate: " + e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Routes

  private void mainRoutes(HttpRouting.Builder r) {
    r.addFilter(SignetServer::closeWhenAsked);
    r.post(VERIFY_PATH, (req, res) -> providerRoute(req, res, false));
    r.post(MUTATE_PATH, (req, res) -> providerRoute(req, res, true));
    if (admission != null) {
      r.post(ADMISSION_VALIDATE_PATH, (req, res) -> admissionRoute(req, res, false));
      r.post(ADMISSION_MUTATE_PATH, (req, res) -> admissionRoute(req, res, true));
    }
    healthRoutes(r);
  }

  /**
   * Closes the connection after the answer when the request or the answer says {@code Connection:
   * close} (also every answer to an HTTP/1.0 request, see {@link ConnectionGate}), so that nothing
   * sent after it on that connection is read as a request; Helidon alone would keep reading.
   */
  private static void closeWhenAsked(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    chain.proceed();
    if (req.headers().contains(HeaderValues.CONNECTION_CLOSE) || res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
      throw new CloseConnectionException("Connection: close");
    }
  }

  private void healthRoutes(HttpRouting.Builder r) {
    r.get(
        "/healthz",
        (req, res) -> {
          String failed = failure.getNow(null);
          text(res, failed == null ? 200 : 503, failed == null ? "ok" : failed);
        });
    r.get(
        "/readyz",
        (req, res) -> {
          String failed = failure.getNow(null);
          boolean ok = ready && failed == null;
          text(res, ok ? 200 : 503, ok ? "ok" : failed != null ? failed : "not ready");
        });
  }

  private void metricsRoute(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, ServerMetrics.contentType());
    res.send(metrics.exposition());
  }

  private void providerRoute(ServerRequest req, ServerResponse res, boolean mutate) {
    String traceId = traceId(req);
    GatekeeperProvider.Reply reply;
    try {
      byte[] body = body(req, config.maxBodyBytes);
      reply = mutate ? provider.mutate(body, traceId) : provider.verify(body, traceId);
    } catch (RejectedRequestException e) {
      // The body may be partly unread: close rather than read what follows as a request.
      res.header(HeaderValues.CONNECTION_CLOSE);
      reply = GatekeeperProvider.error(GatekeeperProvider.V1BETA1, e.status(), e.getMessage(), mutate);
    } catch (RuntimeException e) {
      metrics.systemError();
      log.write(log.line("error", traceId, "request failed: " + e));
      reply =
          GatekeeperProvider.error(
              GatekeeperProvider.V1BETA1, 500, "operation failed with error " + e.getMessage(), mutate);
    }
    res.status(reply.status());
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.send(reply.body());
  }

  private void admissionRoute(ServerRequest req, ServerResponse res, boolean mutate) {
    String traceId = traceId(req);
    try {
      byte[] out =
          admission.handle(body(req, config.admissionMaxBodyBytes), mutate, traced(traceId));
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, JSON);
      res.send(out);
    } catch (RejectedRequestException e) {
      res.header(HeaderValues.CONNECTION_CLOSE);
      text(res, e.status(), e.getMessage());
    } catch (RuntimeException e) {
      log.write(log.line("error", traceId, "admission request failed: " + e));
      text(res, 500, "admission request failed: " + e.getMessage());
    }
  }

  /** The server's decisions, each logged under {@code traceId}. */
  private Decisions traced(String traceId) {
    return new Decisions() {
      @Override
      public VerificationResult verify(String subject) {
        return decisions.verify(subject, traceId);
      }

      @Override
      public VerificationResult verify(String namespace, String subject) {
        return decisions.verify(namespace, subject, traceId);
      }
    };
  }

  /** The trace id from the first configured header that carries a usable one, else a new UUID. */
  private String traceId(ServerRequest req) {
    for (HeaderName h : traceHeaders) {
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

  /** Reads the body, at most {@code limit} bytes; more is a 413. */
  private static byte[] body(ServerRequest req, int limit) throws RejectedRequestException {
    var length = req.headers().contentLength();
    if (length.isPresent() && length.getAsLong() > limit) {
      throw tooLarge(limit);
    }
    try (InputStream in = req.content().inputStream()) {
      if (length.isPresent()) {
        // The declared length, read into an array of that size; a body longer than declared is
        // refused as Helidon refuses it.
        byte[] bytes = new byte[(int) length.getAsLong()];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          throw new RejectedRequestException(
              400, "cannot read the request body: it ended after " + read + " of " + bytes.length + " bytes");
        }
        return bytes;
      }
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      return bytes;
    } catch (io.helidon.http.RequestException e) {
      // Helidon's own limit (the largest of the routes' limits), met while reading a chunked body.
      if (e.status().code() == 413) {
        throw tooLarge(limit);
      }
      throw new RejectedRequestException(400, "cannot read the request body: " + reason(e));
    } catch (IOException | RuntimeException e) {
      throw new RejectedRequestException(400, "cannot read the request body: " + reason(e));
    }
  }

  private static String reason(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static RejectedRequestException tooLarge(int limit) {
    return new RejectedRequestException(413, "request body is larger than " + limit + " bytes");
  }

  private static void text(ServerResponse res, int status, String message) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.send((message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------------------------------------

  /** The server's settings; {@link #certDir} and {@link #decisions} are required. */
  public static final class Builder {
    private HostPort http = new HostPort("0.0.0.0", 6001);
    private Path certDir;
    private Path clientCaFile;
    private ServerTls.TlsVersion minimumTls = ServerTls.TlsVersion.TLS_1_3;
    private HostPort healthAddress;
    private HostPort metricsAddress;
    private Decisions decisions;
    private Supplier<Duration> verifyTimeout = () -> Duration.ofMillis(4900);
    private Supplier<Duration> mutateTimeout = () -> Duration.ofMillis(1950);
    // No store: every tag fails to resolve with that reason.
    private ImageResolver resolver = ImageResolver.firstOf(List.of(), Duration.ofMillis(1950));
    private int maxBodyBytes = 1024 * 1024;
    private int admissionMaxBodyBytes = 8 * 1024 * 1024;
    private int maxKeys = 1000;
    private int maxConnections = 1000;
    private Duration headerTimeout = Duration.ofSeconds(5);
    private Duration bodyTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(90);
    private AdmissionHandler admission;
    private List<String> traceIdHeaders = List.of();
    private LongSupplier registryRequests;
    private Supplier<Map<String, Long>> cacheEvents;
    private Supplier<Map<List<String>, Long>> providerFetches;
    private Duration reloadInterval = Duration.ofSeconds(2);
    private Duration shutdownGrace;
    private Clock clock = Clock.systemUTC();
    private Runnable onStop = () -> {};
    private PrintStream logStream = System.err;
    private JsonLog log;

    private Builder() {}

    /** The HTTPS address (default {@code 0.0.0.0:6001}; port 0 picks a free one). */
    public Builder http(HostPort address) {
      this.http = Objects.requireNonNull(address);
      return this;
    }

    /** The directory holding {@code tls.crt} and {@code tls.key} (PEM; PKCS#8 or PKCS#1 key). */
    public Builder certDir(Path dir) {
      this.certDir = dir;
      return this;
    }

    /** CA certificates (PEM) that client certificates must chain to; set, clients must present one. */
    public Builder clientCaFile(Path file) {
      this.clientCaFile = file;
      return this;
    }

    /** The lowest TLS version: {@code 1.3} (default) or {@code 1.2}. */
    public Builder minimumTlsVersion(String version) {
      this.minimumTls = ServerTls.TlsVersion.parse(version);
      return this;
    }

    /** Plain-HTTP {@code /healthz} and {@code /readyz}; none when null. */
    public Builder healthAddress(HostPort address) {
      this.healthAddress = address;
      return this;
    }

    /** Plain-HTTP {@code /metrics}; none when null. May equal the health address. */
    public Builder metricsAddress(HostPort address) {
      this.metricsAddress = address;
      return this;
    }

    /** Where decisions come from, for example {@code executor::verify}. */
    public Builder decisions(Decisions decisions) {
      this.decisions = decisions;
      return this;
    }

    /** How the mutation provider pins tags to digests. */
    public Builder resolver(ImageResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver);
      return this;
    }

    /** The budget of one verify request ({@code executor.verificationRequestTimeout}). */
    public Builder verifyTimeout(Duration timeout) {
      Duration checked = positive(timeout, "verify timeout");
      return verifyTimeout(() -> checked);
    }

    /** The verify budget, read for each request (it follows configuration reloads). */
    public Builder verifyTimeout(Supplier<Duration> timeout) {
      this.verifyTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** The budget of one mutate request ({@code executor.mutationRequestTimeout}). */
    public Builder mutateTimeout(Duration timeout) {
      Duration checked = positive(timeout, "mutate timeout");
      return mutateTimeout(() -> checked);
    }

    /** The mutate budget, read for each request (it follows configuration reloads). */
    public Builder mutateTimeout(Supplier<Duration> timeout) {
      this.mutateTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** The largest provider request body (default 1 MiB); larger is answered 413. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = positive(bytes, "body limit");
      return this;
    }

    /** The largest admission request body (default 8 MiB); larger is answered 413. */
    public Builder admissionMaxBodyBytes(int bytes) {
      this.admissionMaxBodyBytes = positive(bytes, "admission body limit");
      return this;
    }

    /** The most keys one provider request may carry (default 1000); more is answered 400. */
    public Builder maxKeys(int keys) {
      this.maxKeys = positive(keys, "key limit");
      return this;
    }

    /**
     * The most connections the HTTPS listener serves at once (default 1000); one more is answered
     * 503 with {@code Connection: close}.
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = positive(connections, "connection limit");
      return this;
    }

    /**
     * How long a request's headers may take from its first byte (default 5 s, Ratify's); a new
     * connection has as long for its TLS handshake and the headers of its first request.
     */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = positive(timeout, "header timeout");
      return this;
    }

    /** How long a request's body may take after its headers (default 10 s). */
    public Builder bodyTimeout(Duration timeout) {
      this.bodyTimeout = positive(timeout, "body timeout");
      return this;
    }

    /** How long a keep-alive connection may wait for its next request (default 90 s, Ratify's). */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idle timeout");
      return this;
    }

    /**
     * Serves {@code /admission/validate} and {@code /admission/mutate} with {@code handler}. The
     * server passes it, with each request, decisions that log under the request's trace id and
     * record their metrics; the handler should decide through them.
     */
    public Builder admission(AdmissionHandler handler) {
      this.admission = handler;
      return this;
    }

    /** Request headers that carry a trace id (first present wins); otherwise a UUID per request. */
    public Builder traceIdHeaders(List<String> headers) {
      this.traceIdHeaders = List.copyOf(headers);
      return this;
    }

    /** The count behind {@code ratify_registry_request_count}; the metric is absent when null. */
    public Builder registryRequests(LongSupplier count) {
      this.registryRequests = count;
      return this;
    }

    /**
     * The counts behind {@code signet_decision_cache_events_total{event=...}} (hits, misses,
     * rejected shared entries, Redis failures); the metric is absent when null.
     */
    public Builder cacheEvents(Supplier<Map<String, Long>> counts) {
      this.cacheEvents = counts;
      return this;
    }

    /**
     * The counts behind {@code signet_key_management_provider_fetch_total}, keyed by {@code
     * [provider, type, outcome]}; the metric is absent when null.
     */
    public Builder providerFetches(Supplier<Map<List<String>, Long>> counts) {
      this.providerFetches = counts;
      return this;
    }

    /** How often the TLS files are checked for changes (default 2 s). */
    public Builder reloadInterval(Duration interval) {
      this.reloadInterval = positive(interval, "reload interval");
      return this;
    }

    /** How long a stop waits for requests in flight (default: the verify timeout plus 1 s). */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = positive(grace, "shutdown grace");
      return this;
    }

    /** The clock of timestamps in results and logs. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Run once when the server has stopped, after the requests in flight finished: releases what
     * the decisions use (the configuration's stores and their HTTP clients).
     */
    public Builder onStop(Runnable onStop) {
      this.onStop = Objects.requireNonNull(onStop);
      return this;
    }

    /** Where JSON log lines go (default stderr). */
    public Builder logStream(PrintStream out) {
      this.logStream = Objects.requireNonNull(out);
      return this;
    }

    /** The log (format, level, stream); by default JSON lines at info on {@link #logStream}. */
    public Builder log(JsonLog log) {
      this.log = Objects.requireNonNull(log);
      return this;
    }

    public SignetServer build() {
      if (certDir == null) {
        throw new IllegalStateException("certDir is required: the directory with tls.crt and tls.key");
      }
      if (decisions == null) {
        throw new IllegalStateException("decisions is required");
      }
      if (shutdownGrace == null) {
        shutdownGrace = verifyTimeout.get().plusSeconds(1);
      }
      return new SignetServer(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }

    private static int positive(int n, String what) {
      if (n <= 0) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return n;
    }
  }
}
