package dev.signet.server;

// Helidon stops a listener for good when accepting a connection fails (for example "Too many
// open files") and reports it only in its log; this turns that report into a server failure.

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Watches Helidon's listener log for "this server socket is terminating" and tells every running
 * {@link SignetServer} of this JVM (a process runs one server) that a listener failed.
 */
final class ListenerWatch extends Handler {
  // Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses handlers.
  private static final Logger HELIDON_LISTENER = Logger.getLogger("io.helidon.webserver.ServerListener");
  private static final Set<SignetServer> SERVERS = ConcurrentHashMap.newKeySet();

  static {
    HELIDON_LISTENER.addHandler(new ListenerWatch());
  }

  private ListenerWatch() {}

  static void watch(SignetServer server) {
    if (!HELIDON_LISTENER.isLoggable(Level.SEVERE)) {
      HELIDON_LISTENER.setLevel(Level.SEVERE);
    }
    SERVERS.add(server);
  }

  static void unwatch(SignetServer server) {
    SERVERS.remove(server);
  }

  @Override
  public void publish(LogRecord record) {
    String msg = record.getMessage();
    if (record.getLevel().intValue() < Level.SEVERE.intValue() || msg == null || !msg.contains("terminating")) {
      return;
    }
    String reason = record.getThrown() != null ? ListenException.reason(record.getThrown()) : msg;
    SERVERS.forEach(s -> s.listenerFailed(reason));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
