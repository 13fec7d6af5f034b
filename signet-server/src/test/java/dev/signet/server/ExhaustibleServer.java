package dev.signet.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A server in its own JVM for {@link DescriptorExhaustionTest}: HTTPS and health on ephemeral
 * ports of 127.0.0.1, TLS files from the directory in {@code args[0]}. Prints {@code ports <https>
 * <health>} on stdout, serves until stdin closes, then stops and exits.
 */
public final class ExhaustibleServer {
  private ExhaustibleServer() {}

  public static void main(String[] args) throws Exception {
    SignetServer server =
        SignetServer.builder()
            .http(new HostPort("127.0.0.1", 0))
            .healthAddress(new HostPort("127.0.0.1", 0))
            .certDir(Path.of(args[0]))
            .decisions(SignetServerTest::fakeDecision)
            .shutdownGrace(java.time.Duration.ofMillis(500))
            .build()
            .start();
    System.out.println("ports " + server.port() + " " + server.healthPort());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // serve until the parent closes stdin
      }
    } catch (IOException e) {
      // the parent went away
    }
    server.stop();
    // As signet serve does: the thread of a listener that failed never ends (Helidon's listener
    // waits for its own end), so the JVM would not exit by itself.
    System.exit(0);
  }
}
