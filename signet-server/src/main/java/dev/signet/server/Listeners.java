package dev.signet.server;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The server's listeners: HTTPS for the provider and the webhooks; plain HTTP for health and for
 * metrics, one listener when both have the same address. Each is guarded by a {@link
 * ConnectionGate} and closes idle connections after Ratify's idle timeout.
 */
record Listeners(ServerSettings settings, Routes routes, ScheduledExecutorService deadlines) {
  private static final String OPERATIONS = "ops";
  private static final String HEALTH = "health";
  private static final String METRICS = "metrics";
  /** Connections of the plain-HTTP health and metrics listeners served at once. */
  private static final int OPERATIONS_MAX_CONNECTIONS = 64;

  /**
   * Starts every listener, the HTTPS one with {@code tls}.
   *
   * @throws ListenException when an address cannot be listened on
   */
  WebServer start(Tls tls) throws ListenException {
    preparePoller();
    HostPort health = settings.healthAddress();
    HostPort metrics = settings.metricsAddress();
    for (HostPort a : new HostPort[] {settings.http(), health, metrics}) {
      ListenException.checkFree(a);
    }
    WebServerConfig.Builder web =
        WebServer.builder()
            .shutdownHook(false)
            .host(settings.http().host())
            .port(settings.http().port())
            .tls(tls)
            .maxPayloadSize(Math.max(settings.maxBodyBytes(), settings.admissionMaxBodyBytes()))
            .shutdownGracePeriod(settings.shutdownGrace())
            .routing(routes::main);
    guard(web, "https://" + settings.http(), settings.maxConnections());
    if (shared()) {
      web.putSocket(OPERATIONS, l -> plain(l, health, true, true));
    } else {
      if (health != null) {
        web.putSocket(HEALTH, l -> plain(l, health, true, false));
      }
      if (metrics != null) {
        web.putSocket(METRICS, l -> plain(l, metrics, false, true));
      }
    }
    try {
      return web.build().start();
    } catch (RuntimeException e) {
      throw new ListenException("cannot start the listeners: " + ListenException.reason(e));
    }
  }

  /**
   * Sets up the JDK's poller, with which virtual threads (one per connection) wait for their
   * sockets. The JDK does so when the first connection waits; if the process is out of file
   * descriptors at that moment the poller never comes up, and every later connection fails even
   * once descriptors are free again. A JDK without that class is left as it is.
   */
  private static void preparePoller() {
    try {
      Class.forName("sun.nio.ch.Poller", true, null);
    } catch (ClassNotFoundException e) {
      // another JDK: it sets its I/O up its own way
    }
  }

  /** The address of a listener of {@code server} that is not listening, or null when all are. */
  String notListening(WebServer server) {
    Map<String, String> addresses = new LinkedHashMap<>();
    addresses.put(WebServer.DEFAULT_SOCKET_NAME, "https://" + settings.http());
    if (shared()) {
      addresses.put(OPERATIONS, "http://" + settings.healthAddress());
    } else {
      if (settings.healthAddress() != null) {
        addresses.put(HEALTH, "http://" + settings.healthAddress());
      }
      if (settings.metricsAddress() != null) {
        addresses.put(METRICS, "http://" + settings.metricsAddress());
      }
    }
    return addresses.entrySet().stream()
        .filter(a -> server.port(a.getKey()) < 0)
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** The health listener's port, or -1 when there is none. */
  int healthPort(WebServer server) {
    return settings.healthAddress() == null ? -1 : server.port(shared() ? OPERATIONS : HEALTH);
  }

  /** The metrics listener's port, or -1 when there is none. */
  int metricsPort(WebServer server) {
    return settings.metricsAddress() == null ? -1 : server.port(shared() ? OPERATIONS : METRICS);
  }

  /** Health and metrics on one listener. */
  private boolean shared() {
    return settings.healthAddress() != null && settings.healthAddress().equals(settings.metricsAddress());
  }

  /**
   * The connection cap, request deadlines and HTTP/1.0 handling of a listener ({@link
   * ConnectionGate}) and Ratify's idle timeout.
   */
  private void guard(ListenerConfig.BuilderBase<?, ?> l, String name, int maxConnections) {
    Duration idle = settings.idleTimeout();
    // The gate is the only selector, so that it sees each connection before its TLS handshake.
    l.protocolsDiscoverServices(false)
        .addConnectionSelector(new ConnectionGate(name, maxConnections, settings, deadlines))
        // Beyond this, connections wait in the kernel's backlog instead of taking descriptors.
        .maxTcpConnections(maxConnections + 64)
        // Answers go out at once: with Nagle's algorithm the last segment of a larger answer
        // waits for the client's delayed acknowledgement (about 40 ms).
        .connectionOptions(o -> o.tcpNoDelay(true))
        .idleConnectionTimeout(idle)
        .idleConnectionPeriod(Duration.ofSeconds(Math.max(1, Math.min(10, idle.toSeconds() / 3))));
  }

  private void plain(ListenerConfig.Builder l, HostPort address, boolean health, boolean metrics) {
    guard(l, "http://" + address, OPERATIONS_MAX_CONNECTIONS);
    l.host(address.host())
        .port(address.port())
        .maxPayloadSize(64 * 1024)
        .shutdownGracePeriod(settings.shutdownGrace())
        .routing(r -> routes.operations(r, health, metrics));
  }
}
