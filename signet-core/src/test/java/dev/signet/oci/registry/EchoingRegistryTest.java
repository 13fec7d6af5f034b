package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.signet.deadline.Deadline;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.testkit.LocalHttpServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registries that echo what they received in their errors, over real sockets: nothing they send
 * back reaches a store error (and so a report, a log line or a deny message) with a credential.
 */
class EchoingRegistryTest {
  private static final String PASSWORD = "correct-horse-battery-staple";
  private static final String TOKEN = "tok-9f8e7d6c5b4a";

  private LocalHttpServer server;

  private String start(Function<HttpExchange, String> errorMessage) throws Exception {
    server = new LocalHttpServer();
    server.handle(
        "*",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          if (exchange.getRequestURI().getPath().equals("/token")) {
            reply(exchange, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}");
            return;
          }
          if (auth == null) {
            exchange
                .getResponseHeaders()
                .add(
                    "WWW-Authenticate",
                    "Bearer realm=\"" + server.url("/token") + "\",service=\"echo\"");
            reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"login\"}]}");
            return;
          }
          String message = errorMessage.apply(exchange).replace("\"", "'");
          reply(
              exchange,
              403,
              "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"" + message + "\"}]}");
        });
    return server.host();
  }

  private static void reply(HttpExchange exchange, int status, String body) {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private RegistryStore store() throws StoreException {
    RegistryClient client =
        new RegistryClient(
            RegistryOptions.defaults().withRetries(0),
            registry -> new Credential.Basic("alice", PASSWORD),
            Clock.systemUTC(),
            d -> {},
            new Random(1));
    return new RegistryStore(client);
  }

  private String failureOf(String host) throws Exception {
    try (RegistryStore store = store()) {
      Reference image = Reference.parse(host + "/demo/app:v1");
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> store.resolve(image, Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30))));
      assertThat(t).isInstanceOf(RegistryException.class);
      assertThat(((RegistryException) t).status()).isEqualTo(403);
      return t.getMessage();
    }
  }

  @Test
  void an_echoed_authorization_header_is_removed() throws Exception {
    String host =
        start(e -> "you sent Authorization: " + e.getRequestHeaders().getFirst("Authorization"));

    String message = failureOf(host);

    assertThat(message).contains("DENIED").contains("you sent").doesNotContain(TOKEN);
    assertThat(message).contains("<redacted>");
  }

  @Test
  void echoed_basic_credentials_and_the_raw_password_are_removed() throws Exception {
    String basic =
        Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String host = start(e -> "bad pair " + PASSWORD + " (Basic " + basic + ")");

    String message = failureOf(host);

    assertThat(message).doesNotContain(PASSWORD).doesNotContain(basic).contains("bad pair");
  }

  @Test
  void user_info_urls_and_query_tokens_are_removed() throws Exception {
    String host =
        start(
            e ->
                "retry at https://alice:" + PASSWORD + "@mirror.example/v2/?access_token="
                    + TOKEN + "&n=1");

    String message = failureOf(host);

    assertThat(message)
        .doesNotContain(PASSWORD)
        .doesNotContain(TOKEN)
        .contains("https://<redacted>@mirror.example/v2/?access_token=<redacted>&n=1");
  }

  @Test
  void a_host_that_does_not_resolve_says_so() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
          try (RegistryStore store = store()) {
            store.resolve(Reference.parse("no-such-host.invalid/demo/app:v1"),
                Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30)));
          }
        })
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot resolve host no-such-host.invalid")
        .hasMessageContaining("after 1 attempt;")
        .hasMessageNotContaining("attempts")
        .hasMessageNotContaining("ConnectException");
  }
}
