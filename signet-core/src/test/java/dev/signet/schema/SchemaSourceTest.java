package dev.signet.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.testkit.LocalHttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A remote schema through the HTTP pipeline: no redirect followed, the body bounded. */
class SchemaSourceTest {
  private LocalHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = new LocalHttpServer();
    server.handle("/moved.json", x -> {
      x.getResponseHeaders().add("Location", "/elsewhere.json");
      x.sendResponseHeaders(302, -1);
    });
    server.serve("/elsewhere.json", new byte[0]);
    server.handle("/huge.json", x -> {
      x.sendResponseHeaders(200, 0);
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int written = 0; written <= JsonSchema.MAX_SCHEMA_BYTES; written += chunk.length) {
        x.getResponseBody().write(chunk);
      }
    });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SchemaSource.Remote at(String path) {
    return new SchemaSource.Remote(URI.create(server.url(path)));
  }

  private static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  @Test
  void aRedirectIsNotFollowed() {
    assertThatThrownBy(() -> at("/moved.json").schema(deadline()))
        .isInstanceOf(SchemaUnavailableException.class)
        .hasMessageContaining("answered HTTP 302");
    assertThat(server.hits("/elsewhere.json")).isZero();
  }

  @Test
  void aSchemaPastTheLimitIsRefusedWhileItIsRead() {
    assertThatThrownBy(() -> at("/huge.json").schema(deadline()))
        .isInstanceOf(SchemaUnavailableException.class)
        .hasMessageContaining("size limit of " + JsonSchema.MAX_SCHEMA_BYTES + " bytes");
  }
}
