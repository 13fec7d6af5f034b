package dev.signet.server;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The TLS files as the listeners serve them: loaded at start, then checked every interval; when
 * their content changed and the new pair is valid, it is served to new connections.
 */
final class TlsWatch {
  private final ServerTls tls;
  private final JsonLog log;
  private byte[] servedFingerprint;
  private ScheduledExecutorService timer;

  TlsWatch(ServerTls tls, JsonLog log) {
    this.tls = tls;
    this.log = log;
  }

  /**
   * Reads the files the listeners start with.
   *
   * @throws TlsMaterialException when tls.crt, tls.key or the client CA file is missing or unusable
   */
  Tls initial() throws TlsMaterialException {
    byte[] fingerprint;
    try {
      fingerprint = tls.fingerprint();
    } catch (NoSuchFileException e) {
      throw new TlsMaterialException(
          e.getFile() + " does not exist; --cert-dir must hold tls.crt and tls.key (PEM)");
    } catch (IOException e) {
      throw new TlsMaterialException("cannot read the TLS files in " + tls.certDir() + ": " + e.getMessage());
    }
    Tls initial = tls.load();
    servedFingerprint = fingerprint;
    return initial;
  }

  /** Checks the files every {@code interval} from now on, for {@code server}. */
  synchronized void start(WebServer server, Duration interval) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("signet-tls-watch").daemon().factory());
    long every = interval.toMillis();
    timer.scheduleWithFixedDelay(() -> reloadIfChanged(server), every, every, TimeUnit.MILLISECONDS);
  }

  synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Checks the TLS files; serves the new pair to new connections when it changed and is valid. */
  void reloadIfChanged(WebServer server) {
    try {
      byte[] now = tls.fingerprint();
      if (Arrays.equals(now, servedFingerprint)) {
        return;
      }
      // Remember the content even if it fails to load: a half-written pair is retried when the
      // files change again, without a warning every interval.
      servedFingerprint = now;
      Tls next = tls.load();
      server.reloadTls(next);
      log.info("TLS certificate reloaded from " + tls.certDir());
    } catch (IOException | TlsMaterialException e) {
      log.warn("TLS files changed but were not reloaded; still serving the previous certificate: " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("TLS reload failed; still serving the previous certificate: " + e);
    }
  }
}
