package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.testkit.TestTls;
import dev.signet.testkit.Eventually;
import dev.signet.testkit.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproduces descriptor exhaustion: a server in a child JVM whose open-file limit is lowered (with
 * {@code prlimit}) to a few more than it holds, then connections until accepting one fails with
 * "Too many open files". Helidon stops that listener for good; the server must say so in its log
 * and turn {@code /healthz} and {@code /readyz} red. Bounded by hang guards; measures no time.
 */
class DescriptorExhaustionTest {
  private static final long GUARD_SECONDS = 60;

  @TempDir Path dir;

  @Test
  void a_listener_killed_by_descriptor_exhaustion_turns_health_red() throws Exception {
    Path prlimit = Path.of("/usr/bin/prlimit");
    if (!Files.isExecutable(prlimit) || !Files.isDirectory(Path.of("/proc/self/fd"))) {
      String why = "SKIPPED: needs /usr/bin/prlimit and /proc (Linux) to lower a child's descriptor limit";
      System.out.println(why);
      Assumptions.abort(why);
    }
    TestPki.Issued ca = TestTls.ca("Exhaustion CA");
    Path certs = dir.resolve("certs");
    TestTls.write(certs, TestTls.server(ca), ca, false);
    Path stderr = dir.resolve("child-stderr.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            ExhaustibleServer.class.getName(), certs.toString());
    pb.redirectError(stderr.toFile());
    Process child = pb.start();
    List<Socket> held = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String ports = out.readLine();
      assertThat(ports).as(Files.readString(stderr)).startsWith("ports ");
      int https = Integer.parseInt(ports.split(" ")[1]);
      int health = Integer.parseInt(ports.split(" ")[2]);

      // Green before, as the kubelet sees it from the start.
      assertThat(get(health, "/healthz")).as(childLog(stderr)).startsWith("HTTP/1.1 200");
      assertThat(get(health, "/readyz")).as(childLog(stderr)).startsWith("HTTP/1.1 200");

      long open;
      try (var fds = Files.list(Path.of("/proc", Long.toString(child.pid()), "fd"))) {
        open = fds.count();
      }
      long limit = open + 24;
      Process p = new ProcessBuilder(prlimit.toString(), "--pid", Long.toString(child.pid()), "--nofile=" + limit)
          .redirectErrorStream(true).start();
      assertThat(p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

      // Connections that never start TLS each hold a descriptor in the child until it runs out.
      String failure = "a listener stopped accepting connections";
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
      boolean listening = true;
      while (!Files.readString(stderr).contains(failure)) {
        assertThat(System.nanoTime()).as("the child reported the listener failure; stderr:\n" + Files.readString(stderr))
            .isLessThan(end);
        if (listening && held.size() < 4 * limit) {
          Socket s = new Socket();
          held.add(s);
          try {
            s.connect(new InetSocketAddress("127.0.0.1", https), 10_000);
          } catch (java.net.SocketException e) {
            // Refused or reset: the listener is gone already; its report may still be on its way.
            listening = false;
          }
        } else {
          Thread.sleep(50);
        }
      }
      for (Socket s : held) {
        s.close();
      }
      held.clear();

      String log = Files.readString(stderr);
      String line = log.lines().filter(l -> l.contains(failure)).findFirst().orElseThrow();
      assertThat(line).startsWith("{").contains("\"level\":\"error\"").contains("Too many open files");

      // With the connections closed the child has descriptors again; its health listener answers red.
      // Probe only once the child has closed its side: a probe accepted while it still has no
      // descriptor left would take the health listener down too.
      Path fdDir = Path.of("/proc", Long.toString(child.pid()), "fd");
      long freed =
          Eventually.until(
              Duration.ofSeconds(GUARD_SECONDS),
              () -> {
                try (var fds = Files.list(fdDir)) {
                  return fds.count();
                }
              },
              n -> n < limit - 8);
      assertThat(freed).as("descriptors the child holds once the connections are closed").isLessThan(limit - 8);
      String healthz =
          Eventually.until(
              Duration.ofSeconds(GUARD_SECONDS), () -> get(health, "/healthz"), h -> h.startsWith("HTTP/1.1 503"));
      String readyz = get(health, "/readyz");
      assertThat(healthz).as(childLog(stderr)).startsWith("HTTP/1.1 503").contains(failure).contains("Too many open files");
      assertThat(readyz).as(childLog(stderr)).startsWith("HTTP/1.1 503").contains(failure);
    } finally {
      for (Socket s : held) {
        s.close();
      }
      child.getOutputStream().close();
      if (!child.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  private static String childLog(Path stderr) throws IOException {
    return "the server's log:\n" + Files.readString(stderr);
  }

  /** A GET over a fresh plain connection; empty when the child cannot take the connection yet. */
  private static String get(int port, String path) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
