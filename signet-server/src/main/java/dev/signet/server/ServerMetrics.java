package dev.signet.server;

// Ratify's metric names (ratify-reference.md §6, pkg/metrics/stats_reporter.go).

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics in their own registry, with Ratify's names so that dashboards and alerts
 * carry over. Durations are in milliseconds, as Ratify reports them.
 */
final class ServerMetrics {
  // Ratify's millisecond buckets for request durations.
  private static final double[] MS_BUCKETS = {
    0, 10, 50, 100, 200, 300, 400, 600, 800, 1100, 1500, 2000, 3000, 4000, 5000
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram verificationRequest;
  private final Histogram mutationRequest;
  private final Histogram verifierDuration;
  private final Counter systemErrors;

  ServerMetrics(
      LongSupplier registryRequests,
      Supplier<Map<String, Long>> cacheEvents,
      Supplier<Map<List<String>, Long>> providerFetches) {
    verificationRequest =
        Histogram.builder()
            .name("ratify_verification_request")
            .help("Duration of verification requests (external data provider), in milliseconds")
            .classicOnly()
            .classicUpperBounds(MS_BUCKETS)
            .withoutExemplars()
            .register(registry);
    mutationRequest =
        Histogram.builder()
            .name("ratify_mutation_request")
            .help("Duration of mutation requests (external data provider), in milliseconds")
            .classicOnly()
            .classicUpperBounds(MS_BUCKETS)
            .withoutExemplars()
            .register(registry);
    verifierDuration =
        Histogram.builder()
            .name("ratify_verifier_duration")
            .help("Duration of one subject's verification, in milliseconds")
            .labelNames("verifier", "success")
            .classicOnly()
            .classicUpperBounds(MS_BUCKETS)
            .withoutExemplars()
            .register(registry);
    systemErrors =
        Counter.builder()
            .name("ratify_system_error_count")
            .help("Requests answered with a system error (timeout or failure of the whole request)")
            .withoutExemplars()
            .register(registry);
    if (registryRequests != null) {
      CounterWithCallback.builder()
          .name("ratify_registry_request_count")
          .help("Requests sent to registries")
          .callback(cb -> cb.call(registryRequests.getAsLong()))
          .register(registry);
    }
    if (cacheEvents != null) {
      CounterWithCallback.builder()
          .name("signet_decision_cache_events")
          .help(
              "Decision cache events: hits, misses, shared entries rejected (by reason), lock waits"
                  + " and Redis failures")
          .labelNames("event")
          .callback(cb -> cacheEvents.get().forEach((event, n) -> cb.call(n, event)))
          .register(registry);
    }
    if (providerFetches != null) {
      CounterWithCallback.builder()
          .name("signet_key_management_provider_fetch")
          .help(
              "Fetches of key management provider material (the first one and each refresh), by"
                  + " provider, type and outcome (success, or failure: the last good material"
                  + " stays in use)")
          .labelNames("provider", "type", "outcome")
          .callback(
              cb ->
                  providerFetches
                      .get()
                      .forEach((labels, n) -> cb.call(n, labels.toArray(String[]::new))))
          .register(registry);
    }
  }

  void verificationRequest(long millis) {
    verificationRequest.observe(millis);
  }

  void mutationRequest(long millis) {
    mutationRequest.observe(millis);
  }

  void verifier(String verifier, boolean success, long millis) {
    verifierDuration.labelValues(verifier, Boolean.toString(success)).observe(millis);
  }

  void systemError() {
    systemErrors.inc();
  }

  /** The Prometheus text exposition (format 0.0.4). */
  byte[] exposition() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
