package dev.signet.cache;

import static org.junit.jupiter.api.Assertions.fail;

import dev.signet.testkit.LoopbackProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code redis-server} run by a test on 127.0.0.1 on an ephemeral port, without
 * persistence ({@code --save '' --appendonly no}), stopped by its PID. It can be stopped and started
 * again on the same port, as a Redis that goes away and comes back.
 *
 * <p>When the binary is missing the test is skipped, or fails when {@code CI=true}: CI must install
 * the Debian package {@code redis-server}.
 */
public final class RedisServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final List<String> options;
  private Process process;

  private RedisServer(Path dir, int port, List<String> options) {
    this.dir = dir;
    this.port = port;
    this.options = options;
  }

  /** The binary, from {@code SIGNET_REDIS_SERVER} or {@code /usr/bin/redis-server}. */
  public static Path binary() {
    String configured = System.getenv("SIGNET_REDIS_SERVER");
    Path bin =
        Path.of(
            configured != null && !configured.isBlank() ? configured : "/usr/bin/redis-server");
    if (!Files.isExecutable(bin)) {
      String message =
          "the Redis server binary "
              + bin
              + " is missing: install the Debian package redis-server"
              + " (apt-get install -y --no-install-recommends redis-server) or set"
              + " SIGNET_REDIS_SERVER";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      System.out.println("SKIPPED: " + message);
      Assumptions.abort(message);
    }
    return bin;
  }

  public static RedisServer start(Path dir) throws Exception {
    binary();
    Files.createDirectories(dir);
    int port = LoopbackProcess.freePort();
    RedisServer server = new RedisServer(dir, port, List.of("--port", String.valueOf(port)));
    server.start();
    return server;
  }

  /**
   * A server that speaks TLS only (PEM certificate and PKCS#8 key; clients are not asked for
   * certificates) and requires {@code password}.
   */
  public static RedisServer startTls(Path dir, Path certificate, Path key, String password)
      throws Exception {
    binary();
    Files.createDirectories(dir);
    int port = LoopbackProcess.freePort();
    RedisServer server =
        new RedisServer(
            dir,
            port,
            List.of(
                "--port", "0",
                "--tls-port", String.valueOf(port),
                "--tls-cert-file", certificate.toString(),
                "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", certificate.toString(),
                "--tls-auth-clients", "no",
                "--requirepass", password));
    server.start();
    return server;
  }

  /** Starts the server again (after {@link #stop()}) on the same port. */
  public void start() throws Exception {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server is running");
    }
    Path log = dir.resolve("redis.log");
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      List<String> command = new ArrayList<>(List.of(binary().toString()));
      command.addAll(options);
      command.addAll(
          List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (LoopbackProcess.waitListening(process, port)) {
        return;
      }
      stop();
      // The port may still be held by the connections of the last run: try again for a while.
      if (Instant.now().isAfter(until)) {
        fail("redis-server did not start on 127.0.0.1:" + port + "; log:\n" + LoopbackProcess.tail(log));
      }
      Thread.sleep(200);
    }
  }

  /** Stops the server by its PID (SIGTERM, then SIGKILL after 10 s). */
  public void stop() {
    if (process != null) {
      LoopbackProcess.stop(process);
    }
  }

  public URI url() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    stop();
  }
}
