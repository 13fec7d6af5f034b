package dev.signet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHttpServerTest {
  private static String get(HttpClient client, String url) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void routesByFirstSegmentAndCountsEveryRequest() throws Exception {
    try (LocalHttpServer server = new LocalHttpServer();
        HttpClient client = HttpClient.newHttpClient()) {
      server.serve("/a", "a".getBytes(StandardCharsets.UTF_8));
      server.serve("*", "rest".getBytes(StandardCharsets.UTF_8));

      assertThat(server.origin()).isEqualTo("http://" + server.host());
      assertThat(get(client, server.url("/a/deeper"))).isEqualTo("200 a");
      assertThat(get(client, server.url("/b"))).isEqualTo("200 rest");
      assertThat(server.hits("/a")).isEqualTo(1);
      assertThat(server.requests()).isEqualTo(2);
    }
  }

  @Test
  void servesHttpsToClientsTrustingItsCertificateAndStartsAgainOnItsPort(@TempDir Path dir)
      throws Exception {
    TestTls.Loopback tls = TestTls.loopback(dir, "kit test");
    int port;
    try (HttpClient trusting = HttpClient.newBuilder().sslContext(tls.client()).build();
        HttpClient other = HttpClient.newHttpClient()) {
      try (LocalHttpServer server = new LocalHttpServer(tls.server(), 0)) {
        server.serve("*", "secure".getBytes(StandardCharsets.UTF_8));
        port = server.port();
        assertThat(server.url("/x")).isEqualTo("https://127.0.0.1:" + port + "/x");
        assertThat(get(trusting, server.url("/x"))).isEqualTo("200 secure");
        assertThatThrownBy(() -> get(other, server.url("/x"))).isInstanceOf(IOException.class);
      }
      try (LocalHttpServer again = new LocalHttpServer(tls.server(), port)) {
        again.serve("*", "back".getBytes(StandardCharsets.UTF_8));
        assertThat(get(trusting, "https://127.0.0.1:" + port + "/x")).isEqualTo("200 back");
      }
    }
  }
}
