package dev.signet.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A JDK HTTP server on 127.0.0.1 and an ephemeral port, for CRL distribution points, OCSP responders,
 * registries, cloud services and other small HTTP services tests stand up; over HTTPS when given a
 * server context (see {@link TestTls#loopback}). Requests are routed by their first path segment
 * ("/leaf.crl", "/ocsp"); "*" catches the rest; every request is counted per route. Each request
 * runs on its own virtual thread. Slow handlers wait on a latch that {@link #close()} releases.
 */
public final class LocalHttpServer implements AutoCloseable {
  private static final int BACKLOG = 1024;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** Plain HTTP on an ephemeral port. */
  public LocalHttpServer() {
    this(null, 0);
  }

  /**
   * HTTPS presenting {@code tls}'s certificate when it is not null, plain HTTP otherwise, on {@code
   * port} (0: an ephemeral one; a given one to start again where a closed server was).
   */
  public LocalHttpServer(SSLContext tls, int port) {
    // A deep accept backlog: benchmarks open many connections at once.
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try {
      if (tls == null) {
        server = HttpServer.create(address, BACKLOG);
      } else {
        HttpsServer https = HttpsServer.create(address, BACKLOG);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind a test HTTP server on " + address, e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:<port>}, as the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:<port>} or {@code https://...}, without a trailing slash. */
  public String origin() {
    return (server instanceof HttpsServer ? "https://" : "http://") + host();
  }

  public String url(String path) {
    return origin() + path;
  }

  /** Answers {@code route} with 200 and {@code body}. */
  public void serve(String route, byte[] body) {
    byte[] copy = body.clone();
    routes.put(route, ex -> respond(ex, 200, copy));
  }

  /** Answers {@code route} with 200, {@code body} and its {@code Content-Type}. */
  public void serve(String route, String contentType, byte[] body) {
    byte[] copy = body.clone();
    routes.put(
        route,
        ex -> {
          ex.getResponseHeaders().set("Content-Type", contentType);
          respond(ex, 200, copy);
        });
  }

  /** All requests answered so far, on every route. */
  public int requests() {
    return hits.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public void handle(String route, HttpHandler handler) {
    routes.put(route, handler);
  }

  /** Answers only after the test ends. */
  public void slow(String route) {
    routes.put(
        route,
        ex -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(ex, 200, new byte[0]);
        });
  }

  public int hits(String route) {
    AtomicInteger n = hits.get(route);
    return n == null ? 0 : n.get();
  }

  public static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private void dispatch(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    int next = path.indexOf('/', 1);
    String route = next < 0 ? path : path.substring(0, next);
    HttpHandler h = routes.get(route);
    if (h == null) {
      route = "*";
      h = routes.get(route);
    }
    hits.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();
    try {
      if (h == null) {
        respond(ex, 404, new byte[0]);
      } else {
        h.handle(ex);
      }
    } finally {
      ex.close();
    }
  }

  /** Maps a host:port to this server, and {@code closedHost} to a port nobody listens on. */
  public java.util.function.UnaryOperator<URI> rewriter(String host, int hostPort, String closedHost)
      throws IOException {
    int closed = LoopbackProcess.freePort();
    return uri -> {
      if (host.equals(uri.getHost()) && (hostPort < 0 || uri.getPort() == hostPort)) {
        return withAuthority(uri, port());
      }
      if (closedHost != null && closedHost.equals(uri.getHost())) {
        return withAuthority(uri, closed);
      }
      return uri;
    };
  }

  public static URI withAuthority(URI uri, int port) {
    String raw = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return URI.create("http://127.0.0.1:" + port + raw + query);
  }


  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
