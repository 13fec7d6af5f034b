package dev.signet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.signet.deadline.Deadline;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A remote schema through the HTTP pipeline: no redirect followed, the body bounded. */
class SchemaSourceTest {
  private HttpServer server;
  private final AtomicInteger redirected = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/moved.json", x -> {
      x.getResponseHeaders().add("Location", "/elsewhere.json");
      x.sendResponseHeaders(302, -1);
      x.close();
    });
    server.createContext("/elsewhere.json", x -> {
      redirected.incrementAndGet();
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.createContext("/huge.json", x -> {
      x.sendResponseHeaders(200, 0);
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int written = 0; written <= JsonSchema.MAX_SCHEMA_BYTES; written += chunk.length) {
        x.getResponseBody().write(chunk);
      }
      x.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private SchemaSource.Remote at(String path) {
    return new SchemaSource.Remote(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
  }

  private static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  @Test
  void aRedirectIsNotFollowed() {
    assertThatThrownBy(() -> at("/moved.json").schema(deadline()))
        .isInstanceOf(SchemaUnavailableException.class)
        .hasMessageContaining("answered HTTP 302");
    assertThat(redirected.get()).isZero();
  }

  @Test
  void aSchemaPastTheLimitIsRefusedWhileItIsRead() {
    assertThatThrownBy(() -> at("/huge.json").schema(deadline()))
        .isInstanceOf(SchemaUnavailableException.class)
        .hasMessageContaining("size limit of " + JsonSchema.MAX_SCHEMA_BYTES + " bytes");
  }
}
