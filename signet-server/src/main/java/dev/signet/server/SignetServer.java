package dev.signet.server;

// Ratify's HTTP server (ratify-reference.md §3, §6, §9) on Helidon SE with a virtual thread per
// request: the Gatekeeper external data provider over HTTPS (mTLS when a client CA is given),
// admission webhooks, and plain-HTTP health and metrics listeners.

import dev.signet.verify.Decisions;
import dev.signet.verify.ImageResolver;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p>This class owns the server's life (start, failure, stop); {@link Listeners} lays out the
 * listeners, {@link Routes} answers their paths and {@link TlsWatch} keeps the TLS files served.
 */
public final class SignetServer implements AutoCloseable {
  static final String VERIFY_PATH = "/ratify/gatekeeper/v1/verify";
  static final String MUTATE_PATH = "/ratify/gatekeeper/v1/mutate";
  static final String ADMISSION_VALIDATE_PATH = "/admission/validate";
  static final String ADMISSION_MUTATE_PATH = "/admission/mutate";

  private final ServerSettings settings;
  private final ServerMetrics metrics;
  private final Health health = new Health();
  private final TlsWatch tls;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("signet-request-deadlines").daemon().factory());
  private final Listeners listeners;

  private WebServer server;
  private boolean stopped;

  private SignetServer(ServerSettings settings, ServerMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.tls = new TlsWatch(settings.tls(), settings.log());
    this.listeners = new Listeners(settings, Routes.of(settings, metrics, health), deadlines);
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
    Tls initial = tls.initial();
    WebServer started = listeners.start(initial);
    server = started;
    String down = listeners.notListening(started);
    if (down != null) {
      stop();
      throw new ListenException("cannot listen on " + down);
    }
    ListenerWatch.watch(this);
    health.ready(true);
    tls.start(started, settings.reloadInterval());
    HostPort healthAddress = settings.healthAddress();
    HostPort metricsAddress = settings.metricsAddress();
    settings.log().info(
        "server started: https://"
            + settings.http().host()
            + ":"
            + port()
            + (settings.tls().clientCaFile() != null ? " (client certificates required)" : "")
            + (healthAddress != null ? ", health http://" + healthAddress.host() + ":" + healthPort() : "")
            + (metricsAddress != null ? ", metrics http://" + metricsAddress.host() + ":" + metricsPort() : ""));
    return this;
  }

  /** The HTTPS port (the bound one when port 0 was asked for). */
  public int port() {
    return running().port();
  }

  /** The health listener's port, or -1 when there is none. */
  public int healthPort() {
    return listeners.healthPort(running());
  }

  /** The metrics listener's port, or -1 when there is none. */
  public int metricsPort() {
    return listeners.metricsPort(running());
  }

  /** Ready to answer: started, TLS loaded, every listener accepting, not stopping. */
  public boolean ready() {
    return health.ready();
  }

  /**
   * Completes with the reason when a listener stopped accepting connections (for example when the
   * process ran out of file descriptors). From then on {@code /healthz} and {@code /readyz} answer
   * 503; the process should stop the server and exit so that it is restarted.
   */
  public CompletableFuture<String> failure() {
    return health.failure();
  }

  /** A listener stopped for good: health turns red and the failure is reported once. */
  void listenerFailed(String reason) {
    synchronized (this) {
      if (stopped || server == null) {
        return;
      }
    }
    if (health.fail("a listener stopped accepting connections: " + reason)) {
      settings.log().write(settings.log().line("error", null, health.failed() + "; the server must be restarted"));
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
      health.ready(false);
      s = server;
    }
    ListenerWatch.unwatch(this);
    tls.stop();
    s.stop();
    deadlines.shutdownNow();
    settings.onStop().run();
    settings.log().info("server stopped");
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
      ServerSettings settings =
          new ServerSettings(
              http,
              new ServerTls(certDir, clientCaFile, minimumTls),
              healthAddress,
              metricsAddress,
              decisions,
              resolver,
              verifyTimeout,
              mutateTimeout,
              maxBodyBytes,
              admissionMaxBodyBytes,
              maxKeys,
              maxConnections,
              headerTimeout,
              bodyTimeout,
              idleTimeout,
              admission,
              traceIdHeaders,
              reloadInterval,
              shutdownGrace != null ? shutdownGrace : verifyTimeout.get().plusSeconds(1),
              clock,
              log != null ? log : new JsonLog(logStream, clock),
              onStop);
      return new SignetServer(settings, new ServerMetrics(registryRequests, cacheEvents, providerFetches));
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
