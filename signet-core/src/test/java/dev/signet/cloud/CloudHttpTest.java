package dev.signet.cloud;

import dev.signet.http.HttpPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.testkit.LocalHttpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipeline's concerns as the cloud clients (and Rekor) meet them, against loopback servers. */
class CloudHttpTest {
  private LocalHttpServer service;
  private LocalHttpServer elsewhere;
  private final CloudHttp http = CloudHttp.create(null, Clock.systemUTC());

  @BeforeEach
  void start() throws Exception {
    elsewhere = new LocalHttpServer();
    elsewhere.serve("*", new byte[0]);
    service = new LocalHttpServer();
    service.handle("/moved", x -> {
      x.getResponseHeaders().add("Location", elsewhere.url("/token"));
      x.sendResponseHeaders(302, -1);
    });
    service.handle("/big", x -> {
      byte[] body = new byte[4096];
      x.sendResponseHeaders(200, 0); // streamed: no declared length
      x.getResponseBody().write(body);
    });
  }

  @AfterEach
  void stop() {
    service.close();
    elsewhere.close();
  }

  private URI at(String path) {
    return URI.create(service.url(path));
  }

  private static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  @Test
  void aRedirectIsAnAnswerSoCredentialsNeverFollowItElsewhere() throws Exception {
    HttpPipeline.Response r = http.send(HttpRequest.newBuilder(at("/moved"))
        .header("Authorization", "Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl").GET(), "token request", 1024, deadline());
    assertThat(r.status()).isEqualTo(302);
    assertThat(elsewhere.requests()).isZero();
  }

  @Test
  void aBodyPastTheLimitIsAnErrorNotATruncatedAnswer() {
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(at("/big")).GET(), "secret read", 1024, deadline()))
        .isInstanceOf(CloudException.class)
        .hasMessageStartingWith("secret read: ")
        .hasMessageContaining("size limit of 1024 bytes");
  }
}
