package dev.signet.server;

// The HTTP/1.x door of a listener: a cap on open connections with a clear refusal, deadlines for
// reading a request's headers and body (Ratify's ReadHeaderTimeout, ratify-reference.md §3), and
// HTTP/1.0 requests answered instead of dropped.

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.PeerInfo;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.Headers;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The only connection selector of a listener (Helidon's own are not discovered): it takes every
 * connection as soon as it is accepted and guards it:
 *
 * <ul>
 *   <li>at most {@code maxConnections} connections are served at once; one more is answered {@code
 *       503} with {@code Connection: close} and a reason, then closed;
 *   <li>a new connection must finish its TLS handshake and the headers of its first request within
 *       {@code headerTimeout}; later requests get {@code headerTimeout} for their headers from their
 *       first byte (an idle keep-alive connection waits under Helidon's idle timeout instead), and
 *       {@code bodyTimeout} for the body after the headers; otherwise the connection is closed (a
 *       silent client, a partial ClientHello or a partial request never holds a connection long);
 *   <li>an HTTP/1.0 request is served as HTTP/1.1 with {@code Connection: close}: one request, one
 *       answer (with a {@code Content-Length}), then the connection closes.
 * </ul>
 */
final class ConnectionGate implements ServerConnectionSelector {
  private static final String HTTP_10 = " HTTP/1.0";
  // A connection's classes are loaded with the gate, not by its first connection: a class first
  // needed while the process is out of file descriptors cannot be read, and the JVM keeps that
  // failure, which would refuse every later connection (seen with classes in a directory).
  private static final List<Class<?>> CONNECTION_CLASSES = List.of(Guarded.class, Guarded.Phase.class, Refusal.class);

  private final String listener;
  private final int maxConnections;
  private final Duration headerTimeout;
  private final Duration bodyTimeout;
  private final ScheduledExecutorService timer;
  private final Http1ConnectionSelector http1;
  private final AtomicInteger open = new AtomicInteger();

  /** Guards the connections of {@code listener} with the server's header and body timeouts. */
  ConnectionGate(String listener, int maxConnections, ServerSettings settings, ScheduledExecutorService timer) {
    this.listener = listener;
    this.maxConnections = maxConnections;
    this.headerTimeout = settings.headerTimeout();
    this.bodyTimeout = settings.bodyTimeout();
    this.timer = timer;
    Http1ConnectionListener phases = new Phases();
    this.http1 =
        Http1ConnectionSelector.builder()
            .config(
                Http1Config.builder()
                    // HTTP/1.0 requests carry no Host header; virtual hosts are not used here.
                    .validateRequestHostHeader(false)
                    .addReceiveListener(phases)
                    .addSendListener(phases)
                    .build())
            .build();
  }

  /** Connections being served now. */
  int open() {
    return open.get();
  }

  @Override
  public int bytesToIdentifyConnection() {
    return http1.bytesToIdentifyConnection();
  }

  @Override
  public Support supports(BufferData request) {
    boolean http10 = isHttp10(request);
    request.rewind();
    return http10 ? Support.SUPPORTED : http1.supports(request);
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return http1.supportedApplicationProtocols();
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    // As the listener's only selector, this runs as soon as a connection is accepted, before its
    // TLS handshake or any byte is read: the first header deadline also bounds a client that never
    // completes the handshake or never sends a request.
    ScheduledFuture<?> opening =
        closeAfter(
            ctx,
            headerTimeout,
            "the TLS handshake and the first request headers were not complete within "
                + headerTimeout.toMillis() + " ms");
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return new Refusal(ctx, listener, maxConnections, opening);
    }
    try {
      Guarded guarded = new Guarded(ctx, http10(ctx.dataReader()), opening);
      guarded.connection = http1.connection(guarded);
      return guarded;
    } catch (RuntimeException | Error e) {
      // The connection ended (or its deadline closed it) before a request started, or the
      // process could not take it (out of memory, out of file descriptors).
      opening.cancel(false);
      open.decrementAndGet();
      throw e;
    }
  }

  /** Closes the connection after this long, unless the returned future is cancelled first. */
  private ScheduledFuture<?> closeAfter(ConnectionContext ctx, Duration after, String why) {
    return timer.schedule(
        () -> {
          ctx.log(LOGGER, System.Logger.Level.DEBUG, "closing the connection: %s", why);
          ctx.serverSocket().close();
        },
        after.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static boolean isHttp10(BufferData request) {
    int lf = request.indexOf((byte) '\n');
    return lf > 0 && request.readString(lf).endsWith(HTTP_10 + "\r");
  }

  /**
   * For an HTTP/1.0 request, a reader that presents its request line as HTTP/1.1 followed by
   * {@code Connection: close}; null for any other request.
   */
  private static DataReader http10(DataReader in) {
    in.ensureAvailable();
    if (!isHttp10(in.getBuffer(in.available()))) {
      return null;
    }
    String line = in.readLine();
    byte[] first =
        (line.substring(0, line.length() - HTTP_10.length()) + " HTTP/1.1\r\nConnection: close\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    AtomicBoolean started = new AtomicBoolean();
    return DataReader.create(
        () -> {
          if (!started.getAndSet(true)) {
            return first;
          }
          if (in.available() == 0) {
            in.pullData();
          }
          return in.readBytes(in.available());
        });
  }

  /** Moves each guarded connection through its request phases. */
  private static final class Phases implements Http1ConnectionListener {
    @Override
    public void data(ConnectionContext ctx, BufferData data) {
      if (ctx instanceof Guarded g) {
        g.bytesArrived();
      }
    }

    @Override
    public void data(ConnectionContext ctx, byte[] bytes, int offset, int length) {
      if (ctx instanceof Guarded g) {
        g.bytesArrived();
      }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
      if (ctx instanceof Guarded g) {
        g.headersRead(
            headers.contains(HeaderNames.CONTENT_LENGTH) || headers.contains(HeaderValues.TRANSFER_ENCODING_CHUNKED));
      }
    }

    @Override
    public void status(ConnectionContext ctx, Status status) {
      if (ctx instanceof Guarded g) {
        g.answering();
      }
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {}
  }

  /**
   * One served connection: Helidon's HTTP/1.1 connection on a context that reports the request
   * phases, with the deadline of the current phase.
   */
  private final class Guarded implements ServerConnection, InterruptableTask<Void>, ConnectionContext {
    private final ConnectionContext ctx;
    private final DataReader reader;
    private final AtomicBoolean released = new AtomicBoolean();
    private ServerConnection connection;
    // IDLE: between requests; HEAD: reading headers; BODY: reading the body; ANSWER: responding.
    private enum Phase { IDLE, HEAD, BODY, ANSWER }
    private Phase phase = Phase.HEAD;
    private ScheduledFuture<?> deadline;

    /** A connection whose first request started; {@code opening} is its first header deadline. */
    Guarded(ConnectionContext ctx, DataReader http10, ScheduledFuture<?> opening) {
      this.ctx = ctx;
      this.reader = http10 != null ? http10 : ctx.dataReader();
      this.deadline = opening;
    }

    synchronized void bytesArrived() {
      if (phase == Phase.IDLE) {
        phase = Phase.HEAD;
        arm(headerTimeout, "the request headers were not complete within " + headerTimeout.toMillis() + " ms");
      }
    }

    synchronized void headersRead(boolean hasBody) {
      disarm();
      phase = Phase.BODY;
      if (hasBody) {
        arm(bodyTimeout, "the request body was not complete within " + bodyTimeout.toMillis() + " ms");
      }
    }

    synchronized void answering() {
      disarm();
      phase = Phase.IDLE;
    }

    private void arm(Duration after, String why) {
      deadline = closeAfter(ctx, after, why);
    }

    private void disarm() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        open.decrementAndGet();
        synchronized (this) {
          disarm();
        }
      }
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
      try {
        connection.handle(limit);
      } finally {
        release();
      }
    }

    @Override
    public Duration idleTime() {
      return connection.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
      try {
        connection.close(interrupt);
      } finally {
        release();
      }
    }

    @Override
    public boolean canInterrupt() {
      return connection instanceof InterruptableTask<?> t && t.canInterrupt();
    }

    @Override
    public DataReader dataReader() {
      return reader;
    }

    @Override
    public ListenerContext listenerContext() {
      return ctx.listenerContext();
    }

    @Override
    public ExecutorService executor() {
      return ctx.executor();
    }

    @Override
    public DataWriter dataWriter() {
      return ctx.dataWriter();
    }

    @Override
    public Router router() {
      return ctx.router();
    }

    @Override
    public java.util.Optional<io.helidon.webserver.ProxyProtocolData> proxyProtocolData() {
      return ctx.proxyProtocolData();
    }

    @Override
    public io.helidon.common.socket.HelidonSocket serverSocket() {
      return ctx.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
      return ctx.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
      return ctx.localPeer();
    }

    @Override
    public boolean isSecure() {
      return ctx.isSecure();
    }

    @Override
    public String socketId() {
      return ctx.socketId();
    }

    @Override
    public String childSocketId() {
      return ctx.childSocketId();
    }
  }

  private static final System.Logger LOGGER = System.getLogger(ConnectionGate.class.getName());

  /**
   * One connection too many: once its request starts (within the opening deadline), a 503 that
   * says why, then the connection closes.
   */
  private record Refusal(ConnectionContext ctx, String listener, int max, ScheduledFuture<?> opening)
      implements ServerConnection {
    @Override
    public void handle(Limit limit) {
      try {
        ctx.dataReader().ensureAvailable();
        answer();
      } finally {
        opening.cancel(false);
      }
    }

    private void answer() {
      byte[] body =
          (listener + " serves at most " + max + " connections at once and all are in use; retry later\n")
              .getBytes(StandardCharsets.UTF_8);
      String head =
          "HTTP/1.1 503 Service Unavailable\r\n"
              + "Connection: close\r\n"
              + "Retry-After: 1\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\n"
              + "Content-Length: " + body.length + "\r\n\r\n";
      BufferData out = BufferData.growing(head.length() + body.length);
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      ctx.dataWriter().writeNow(out);
    }

    @Override
    public Duration idleTime() {
      return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {}
  }
}
