package dev.signet.oci.registry;

import com.sun.net.httpserver.HttpExchange;
import dev.signet.testkit.LocalHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP proxy (a {@link LocalHttpServer}) in front of a real registry (for benchmarks): every answer waits {@code
 * latency} first, as a registry far away would, and with a limit, requests beyond {@code
 * perSecond} in one clock second are answered 429 with {@code Retry-After: 1} instead of being
 * forwarded. Counts what it answered; stopped on {@link #close()}.
 */
public final class RegistryProxy implements AutoCloseable {
  private static final Set<String> REQUEST_HEADERS = Set.of("authorization", "accept", "content-type");
  private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "docker-content-digest",
      "www-authenticate", "location", "link", "docker-distribution-api-version");

  private final LocalHttpServer server = new LocalHttpServer();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();
  private final String upstream;
  private final Duration latency;
  private final int perSecond;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private long second = -1;
  private int inSecond;
  private int seconds;

  private RegistryProxy(String upstream, Duration latency, int perSecond) {
    this.upstream = upstream;
    this.latency = latency;
    this.perSecond = perSecond;
    server.handle("*", this::handle);
  }

  /** A proxy to {@code upstreamHost} (plain HTTP); {@code perSecond} 0 means no limit. */
  public static RegistryProxy start(String upstreamHost, Duration latency, int perSecond) {
    return new RegistryProxy(upstreamHost, latency, perSecond);
  }

  /** {@code 127.0.0.1:<port>}, the registry part of references through the proxy. */
  public String host() {
    return server.host();
  }

  /** Requests answered, 429s included. */
  public long requests() {
    return answered.get();
  }

  /** Requests answered 429 without being forwarded. */
  public long throttled() {
    return throttled.get();
  }

  /** Clock seconds in which requests came (each one a fresh throttling window). */
  public synchronized int seconds() {
    return seconds;
  }

  /** {@code METHOD /path STATUS} per answer, in the order answered. */
  public List<String> log() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  @Override
  public void close() {
    server.close();
    http.close();
  }

  private synchronized boolean admit() {
    long now = System.currentTimeMillis() / 1000;
    if (now != second) {
      second = now;
      inSecond = 0;
      seconds++;
    }
    return perSecond == 0 || ++inSecond <= perSecond;
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      Thread.sleep(latency);
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      if (!admit()) {
        throttled.incrementAndGet();
        ex.getResponseHeaders().set("Retry-After", "1");
        byte[] body = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}"
            .getBytes(StandardCharsets.UTF_8);
        answer(ex, method, path, 429, body);
        return;
      }
      String query = ex.getRequestURI().getRawQuery();
      HttpRequest.Builder b = HttpRequest.newBuilder(
          URI.create("http://" + upstream + path + (query == null ? "" : "?" + query)));
      ex.getRequestHeaders().forEach((k, values) -> {
        if (REQUEST_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT))) {
          values.forEach(v -> b.header(k, v));
        }
      });
      byte[] in = ex.getRequestBody().readAllBytes();
      b.method(method, in.length == 0 ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(in));
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers().map().forEach((k, values) -> {
        if (RESPONSE_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT))) {
          values.forEach(v -> ex.getResponseHeaders().add(k, v));
        }
      });
      if (method.equals("HEAD")) {
        r.headers().firstValue("content-length")
            .ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
      }
      answer(ex, method, path, r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void answer(HttpExchange ex, String method, String path, int status, byte[] body)
      throws IOException {
    answered.incrementAndGet();
    log.add(method + " " + path + " " + status);
    boolean empty = body.length == 0 || method.equals("HEAD");
    ex.sendResponseHeaders(status, empty ? -1 : body.length);
    if (!empty) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
