package dev.signet.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.signet.testkit.LocalHttpServer;
import dev.signet.testkit.LoopbackProcess;
import dev.signet.testkit.TestTls;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.testkit.SettableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The concerns of the pipeline against real loopback servers (no mocks). */
class HttpPipelineTest {
  private final List<LocalHttpServer> servers = new ArrayList<>();
  private final List<HttpPipeline> pipelines = new ArrayList<>();
  /** The Authorization header each server saw, by request ("-" when none). */
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    pipelines.forEach(HttpPipeline::close);
    servers.forEach(LocalHttpServer::close);
  }

  private URI serve(HttpHandler handler) {
    return serve(null, handler);
  }

  /** Over HTTPS with {@code tls}'s server context, plain HTTP when it is null. */
  private URI serve(SSLContext tls, HttpHandler handler) {
    LocalHttpServer s = new LocalHttpServer(tls, 0);
    s.handle("*", handler);
    servers.add(s);
    return URI.create(s.origin());
  }

  private HttpPipeline pipeline(HttpPipeline.Builder b) {
    HttpPipeline p = b.build();
    pipelines.add(p);
    return p;
  }

  private static void answer(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
    x.close();
  }

  private HttpHandler recording(HttpHandler then) {
    return x -> {
      seen.add(x.getRequestURI().getPath() + " " + String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
      then.handle(x);
    };
  }

  /** Basic credentials for {@code origin}, answering a challenge with the same. */
  private static Authentication basic(URI origin, AtomicInteger rejected) {
    return new Authentication() {
      @Override
      public URI origin() {
        return origin;
      }

      @Override
      public String preemptive(Deadline deadline) {
        return "Basic dXNlcjpzM2NyZXQtcGFzcw==";
      }

      @Override
      public String challenged(List<String> wwwAuthenticate, Deadline deadline) {
        return "Basic dXNlcjpzM2NyZXQtcGFzcw==";
      }

      @Override
      public void rejected() {
        rejected.incrementAndGet();
      }
    };
  }

  private static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  @Test
  void credentialsGoOnlyToTheirOriginAndAreDroppedForAndAfterACrossOriginRedirect() throws Exception {
    URI home = serve(recording(x -> {
      if (x.getRequestURI().getPath().equals("/final")) {
        answer(x, 200, "home again");
        return;
      }
      x.getResponseHeaders().add("Location", x.getRequestURI().getQuery());
      answer(x, 307, "");
    }));
    URI cdn = serve(recording(x -> {
      x.getResponseHeaders().add("Location", home + "/final");
      answer(x, 302, "");
    }));
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC()).redirects(Redirects.WEB));
    HttpPipeline.Response r = p.send(HttpPipeline.Request.get("blob", URI.create(home + "/start?" + cdn + "/blob"))
        .followingRedirects().authenticatedBy(basic(home, new AtomicInteger())), deadline());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("home again");
    // Sent at home; not to the CDN; and not when the CDN sends the request back home either.
    assertThat(seen).containsExactly(
        "/start Basic dXNlcjpzM2NyZXQtcGFzcw==", "/blob null", "/final null");
    assertThat(p.exchanges()).isEqualTo(3);
  }

  @Test
  void redirectsAreFollowedOnlyWhenAskedForAndOnlyAsFarAsAllowed() throws Exception {
    URI loop = serve(recording(x -> {
      x.getResponseHeaders().add("Location", "/again");
      answer(x, 302, "");
    }));
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC()).redirects(new Redirects(2, java.util.Set.of("http"))));
    assertThat(p.send(HttpPipeline.Request.get("x", URI.create(loop + "/a")), deadline()).status()).isEqualTo(302);
    assertThatThrownBy(() -> p.send(HttpPipeline.Request.get("x", URI.create(loop + "/a")).followingRedirects(), deadline()))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.kind()).isEqualTo(HttpException.Kind.REDIRECT))
        .hasMessage("more than 2 redirects");
    assertThat(seen).hasSize(4);
  }

  @Test
  void aRedirectFromHttpsDownToPlainHttpIsRefused(@TempDir Path dir) throws Exception {
    URI plain = serve(recording(x -> answer(x, 200, "plain")));
    TestTls.Loopback tls = TestTls.loopback(dir, "pipeline");
    URI secure = URI.create(serve(tls.server(), x -> {
      x.getResponseHeaders().add("Location", plain + "/blob");
      answer(x, 307, "");
    }) + "/blob");
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC()).ssl(tls.client()).redirects(Redirects.WEB));
    assertThatThrownBy(() -> p.send(HttpPipeline.Request.get("blob", secure).followingRedirects(), deadline()))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.kind()).isEqualTo(HttpException.Kind.REDIRECT))
        .hasMessageContaining("refusing a redirect from HTTPS to plain HTTP (" + plain + ")");
    assertThat(seen).isEmpty();
  }

  @Test
  void aSuccessfulBodyPastItsLimitFailsWhetherDeclaredOrStreamed() throws Exception {
    String big = "x".repeat(10_000);
    URI server = serve(x -> {
      byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
      boolean chunked = x.getRequestURI().getPath().equals("/chunked");
      x.sendResponseHeaders(200, chunked ? 0 : bytes.length);
      x.getResponseBody().write(bytes);
      x.close();
    });
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC()));
    for (String path : List.of("/declared", "/chunked")) {
      assertThatThrownBy(() -> p.send(HttpPipeline.Request.get("doc", URI.create(server + path)).maxBody(1000), deadline()))
          .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.kind()).isEqualTo(HttpException.Kind.TOO_LARGE))
          .hasMessageContaining("size limit of 1000 bytes");
    }
    assertThat(p.send(HttpPipeline.Request.get("doc", URI.create(server + "/declared")).maxBody(10_000), deadline()).body())
        .hasSize(10_000);
  }

  @Test
  void anErrorBodyIsCutAtItsLimitAndStillAnswered() throws Exception {
    URI server = serve(x -> answer(x, 404, "e".repeat(HttpPipeline.MAX_ERROR_BODY * 2)));
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC()));
    HttpPipeline.Response r = p.send(HttpPipeline.Request.get("doc", URI.create(server + "/x")).maxBody(10), deadline());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).hasSize(HttpPipeline.MAX_ERROR_BODY);
  }

  @Test
  void aRetryNeverOutlivesTheDeadline() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI server = serve(x -> {
      requests.incrementAndGet();
      x.getResponseHeaders().add("Retry-After", "2");
      answer(x, 503, "busy");
    });
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<Duration> sleeps = new ArrayList<>();
    HttpPipeline p = pipeline(HttpPipeline.builder(clock).retry(new Retry(10, clock, d -> {
      sleeps.add(d);
      clock.advance(d);
    }, new Random(1))));
    Deadline deadline = Deadline.after(clock, Duration.ofSeconds(5));
    HttpPipeline.Response r = p.send(HttpPipeline.Request.get("doc", URI.create(server + "/x")), deadline);
    // Waited 2 s twice (4 s of 5); a third wait would pass the deadline: the last answer, marked.
    assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.refusedRetry()).isEqualTo(Duration.ofSeconds(2));
    assertThat(requests.get()).isEqualTo(3);
    assertThat(clock.instant()).isBefore(deadline.at());
  }

  @Test
  void aRetryAfterDateIsHonouredAndARequestThatIsNotRepeatableIsSentOnce() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    URI server = serve(x -> {
      if (requests.incrementAndGet() == 1) {
        x.getResponseHeaders().add("Retry-After", "Thu, 01 Jan 2026 00:00:03 GMT");
        answer(x, 429, "");
      } else {
        answer(x, 200, "ok");
      }
    });
    List<Duration> sleeps = new ArrayList<>();
    HttpPipeline p = pipeline(HttpPipeline.builder(clock).retry(new Retry(3, clock, d -> {
      sleeps.add(d);
      clock.advance(d);
    }, new Random(1))));
    assertThat(p.send(HttpPipeline.Request.get("doc", URI.create(server + "/x")), Deadline.after(clock, Duration.ofSeconds(30))).text())
        .isEqualTo("ok");
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    requests.set(0);
    HttpPipeline.Response posted = p.send(HttpPipeline.Request.of("change", "POST", URI.create(server + "/x"))
        .body("text/plain", new byte[] {1}), Deadline.after(clock, Duration.ofSeconds(30)));
    assertThat(posted.status()).isEqualTo(429);
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void aSlowAnswerEndsAtTheDeadline() throws Exception {
    URI server = serve(x -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(x, 200, "late");
    });
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC()));
    assertThatThrownBy(() -> p.send(HttpPipeline.Request.get("slow", URI.create(server + "/x")),
        Deadline.after(Clock.systemUTC(), Duration.ofMillis(500))))
        .isInstanceOf(DeadlineExceededException.class);
  }

  @Test
  void whatAServerEchoesIsScrubbedOfTheCredentialsSent() throws Exception {
    URI server = serve(x -> answer(x, 401, "{\"errors\":[{\"message\":\"bad credentials s3cret-pass for "
        + x.getRequestHeaders().getFirst("Authorization") + "\"}]}"));
    AtomicInteger rejected = new AtomicInteger();
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC()));
    HttpPipeline.Response r = p.send(HttpPipeline.Request.get("doc", URI.create(server + "/x"))
        .authenticatedBy(basic(server, rejected)), deadline());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.text()).contains("s3cret-pass");
    String quoted = p.scrub(r.text());
    assertThat(quoted).doesNotContain("s3cret-pass").doesNotContain("dXNlcjpzM2NyZXQtcGFzcw").contains(Scrubber.REDACTED);
    assertThat(rejected.get()).isZero(); // no challenge (no WWW-Authenticate) to answer
  }

  @Test
  void anUnreachableHostIsNamedWithoutItsUserInfoAfterEveryAttempt() throws Exception {
    int port = LoopbackProcess.freePort(); // nobody listens there: refused at once
    List<Duration> sleeps = new ArrayList<>();
    HttpPipeline p = pipeline(HttpPipeline.builder(Clock.systemUTC())
        .retry(new Retry(2, Clock.systemUTC(), sleeps::add, new Random(3))));
    assertThatThrownBy(() -> p.send(HttpPipeline.Request.get("doc",
        URI.create("http://user:pw-secret@127.0.0.1:" + port + "/x?token=abcdef")), deadline()))
        .isInstanceOfSatisfying(HttpException.class, e -> {
          assertThat(e.kind()).isEqualTo(HttpException.Kind.UNREACHABLE);
          assertThat(e.attempts()).isEqualTo(3);
        })
        .hasMessageContaining("cannot reach http://127.0.0.1:" + port)
        .hasMessageContaining("after 3 attempts")
        .hasMessageNotContaining("pw-secret")
        .hasMessageNotContaining("abcdef");
    assertThat(sleeps).hasSize(2);
  }
}
