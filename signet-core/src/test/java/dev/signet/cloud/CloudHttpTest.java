package dev.signet.cloud;

import dev.signet.http.HttpPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.signet.deadline.Deadline;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipeline's concerns as the cloud clients (and Rekor) meet them, against loopback servers. */
class CloudHttpTest {
  private HttpServer service;
  private HttpServer elsewhere;
  private final AtomicInteger elsewhereRequests = new AtomicInteger();
  private final CloudHttp http = CloudHttp.create(null, Clock.systemUTC());

  @BeforeEach
  void start() throws Exception {
    elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    elsewhere.createContext("/", x -> {
      elsewhereRequests.incrementAndGet();
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    elsewhere.start();
    service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    service.createContext("/moved", x -> {
      x.getResponseHeaders().add("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/token");
      x.sendResponseHeaders(302, -1);
      x.close();
    });
    service.createContext("/big", x -> {
      byte[] body = new byte[4096];
      x.sendResponseHeaders(200, 0); // streamed: no declared length
      x.getResponseBody().write(body);
      x.close();
    });
    service.start();
  }

  @AfterEach
  void stop() {
    service.stop(0);
    elsewhere.stop(0);
  }

  private URI at(String path) {
    return URI.create("http://127.0.0.1:" + service.getAddress().getPort() + path);
  }

  private static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  @Test
  void aRedirectIsAnAnswerSoCredentialsNeverFollowItElsewhere() throws Exception {
    HttpPipeline.Response r = http.send(HttpRequest.newBuilder(at("/moved"))
        .header("Authorization", "Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl").GET(), "token request", 1024, deadline());
    assertThat(r.status()).isEqualTo(302);
    assertThat(elsewhereRequests.get()).isZero();
  }

  @Test
  void aBodyPastTheLimitIsAnErrorNotATruncatedAnswer() {
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(at("/big")).GET(), "secret read", 1024, deadline()))
        .isInstanceOf(CloudException.class)
        .hasMessageStartingWith("secret read: ")
        .hasMessageContaining("size limit of 1024 bytes");
  }
}
