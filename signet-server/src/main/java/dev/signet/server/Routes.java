package dev.signet.server;

import dev.signet.result.VerificationResult;
import dev.signet.verify.Decisions;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * What each path answers: the Gatekeeper provider and the admission webhooks on the HTTPS
 * listener, health on every listener that serves it, metrics on the metrics listener. Each request
 * gets a trace id, its body is read within the route's limit, and a failure is answered, never
 * thrown to Helidon.
 */
record Routes(
    ServerSettings settings,
    ServerMetrics metrics,
    Health health,
    ObservedDecisions decisions,
    GatekeeperProvider provider,
    TraceIds traceIds) {
  private static final String JSON = "application/json";

  /** The routes of a server with these settings, metrics and health. */
  static Routes of(ServerSettings settings, ServerMetrics metrics, Health health) {
    ObservedDecisions decisions = new ObservedDecisions(settings.decisions(), settings.log(), metrics);
    return new Routes(
        settings,
        metrics,
        health,
        decisions,
        new GatekeeperProvider(decisions, settings, metrics),
        new TraceIds(settings.traceIdHeaders()));
  }

  /** The HTTPS listener: provider, admission webhooks when plugged in, health. */
  void main(HttpRouting.Builder r) {
    r.addFilter(Routes::closeWhenAsked);
    r.post(SignetServer.VERIFY_PATH, (req, res) -> providerRoute(req, res, false));
    r.post(SignetServer.MUTATE_PATH, (req, res) -> providerRoute(req, res, true));
    if (settings.admission() != null) {
      r.post(SignetServer.ADMISSION_VALIDATE_PATH, (req, res) -> admissionRoute(req, res, false));
      r.post(SignetServer.ADMISSION_MUTATE_PATH, (req, res) -> admissionRoute(req, res, true));
    }
    healthRoutes(r);
  }

  /** A plain-HTTP listener: health, metrics, or both. */
  void operations(HttpRouting.Builder r, boolean withHealth, boolean withMetrics) {
    r.addFilter(Routes::closeWhenAsked);
    if (withHealth) {
      healthRoutes(r);
    }
    if (withMetrics) {
      r.get("/metrics", this::metricsRoute);
    }
  }

  /**
   * Closes the connection after the answer when the request or the answer says {@code Connection:
   * close} (also every answer to an HTTP/1.0 request, see {@link ConnectionGate}), so that nothing
   * sent after it on that connection is read as a request; Helidon alone would keep reading.
   */
  private static void closeWhenAsked(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    chain.proceed();
    if (req.headers().contains(HeaderValues.CONNECTION_CLOSE) || res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
      throw new CloseConnectionException("Connection: close");
    }
  }

  private void healthRoutes(HttpRouting.Builder r) {
    r.get(
        "/healthz",
        (req, res) -> {
          String failed = health.failed();
          text(res, failed == null ? 200 : 503, failed == null ? "ok" : failed);
        });
    r.get(
        "/readyz",
        (req, res) -> {
          String failed = health.failed();
          boolean ok = health.ready() && failed == null;
          text(res, ok ? 200 : 503, ok ? "ok" : failed != null ? failed : "not ready");
        });
  }

  private void metricsRoute(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, ServerMetrics.contentType());
    res.send(metrics.exposition());
  }

  private void providerRoute(ServerRequest req, ServerResponse res, boolean mutate) {
    String traceId = traceIds.of(req);
    ProviderMessages.Reply reply;
    try {
      byte[] body = RequestBody.read(req, settings.maxBodyBytes());
      reply = mutate ? provider.mutate(body, traceId) : provider.verify(body, traceId);
    } catch (RejectedRequestException e) {
      // The body may be partly unread: close rather than read what follows as a request.
      res.header(HeaderValues.CONNECTION_CLOSE);
      reply = ProviderMessages.error(ProviderMessages.V1BETA1, e.status(), e.getMessage(), mutate);
    } catch (RuntimeException e) {
      metrics.systemError();
      settings.log().write(settings.log().line("error", traceId, "request failed: " + e));
      reply =
          ProviderMessages.error(
              ProviderMessages.V1BETA1, 500, "operation failed with error " + e.getMessage(), mutate);
    }
    res.status(reply.status());
    res.header(HeaderNames.CONTENT_TYPE, JSON);
    res.send(reply.body());
  }

  private void admissionRoute(ServerRequest req, ServerResponse res, boolean mutate) {
    String traceId = traceIds.of(req);
    try {
      byte[] out =
          settings
              .admission()
              .handle(RequestBody.read(req, settings.admissionMaxBodyBytes()), mutate, traced(traceId));
      res.status(200);
      res.header(HeaderNames.CONTENT_TYPE, JSON);
      res.send(out);
    } catch (RejectedRequestException e) {
      res.header(HeaderValues.CONNECTION_CLOSE);
      text(res, e.status(), e.getMessage());
    } catch (RuntimeException e) {
      settings.log().write(settings.log().line("error", traceId, "admission request failed: " + e));
      text(res, 500, "admission request failed: " + e.getMessage());
    }
  }

  /** The server's decisions, each logged under {@code traceId}. */
  private Decisions traced(String traceId) {
    return new Decisions() {
      @Override
      public VerificationResult verify(String subject) {
        return decisions.verify(subject, traceId);
      }

      @Override
      public VerificationResult verify(String namespace, String subject) {
        return decisions.verify(namespace, subject, traceId);
      }
    };
  }

  private static void text(ServerResponse res, int status, String message) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.send((message + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
