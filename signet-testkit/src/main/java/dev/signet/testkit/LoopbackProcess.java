package dev.signet.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What tests need to run a third-party server process on 127.0.0.1 and stop it by its PID. */
public final class LoopbackProcess {
  private LoopbackProcess() {}

  /** A port free on 127.0.0.1 now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits up to 15 s for {@code p} to accept connections on {@code port}; false if it exits. */
  public static boolean waitListening(Process p, int port) throws InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(15));
    while (Instant.now().isBefore(until)) {
      if (!p.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  /** SIGTERM to this PID only, SIGKILL after 10 s. */
  public static void stop(Process p) {
    ProcessHandle h = p.toHandle();
    h.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        h.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      h.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The last 20 lines of a log, for a failure message. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
