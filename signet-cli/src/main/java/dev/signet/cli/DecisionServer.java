package dev.signet.cli;

// The wiring `signet serve` and `signet demo` share (ratify-reference.md §3 to §5): one cached
// decision service on a reloading configuration behind both the Gatekeeper provider and the
// Kubernetes admission webhooks.

import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.RedisResultCache;
import dev.signet.cache.ResultCache;
import dev.signet.config.ConfigReloader;
import dev.signet.config.VerificationConfig;
import dev.signet.oci.registry.RegistryStore;
import dev.signet.reference.Reference;
import dev.signet.server.AdmissionHandler;
import dev.signet.server.Decisions;
import dev.signet.server.DigestResolver;
import dev.signet.server.RejectedRequestException;
import dev.signet.server.SignetServer;
import dev.signet.server.admission.AdmissionMode;
import dev.signet.server.admission.AdmissionReviewException;
import dev.signet.server.admission.AdmissionWebhook;
import dev.signet.verify.DecisionService;
import java.time.Clock;
import java.time.Duration;

/** A {@link SignetServer} builder with the decision side wired; the caller adds the listeners. */
public final class DecisionServer {
  private DecisionServer() {}

  /**
   * A builder whose decisions, digest resolver, timeouts, admission webhooks, registry request
   * count and clock come from {@code reloader}; the listen address and TLS files are left to the
   * caller.
   */
  public static SignetServer.Builder builder(
      ConfigReloader reloader, AdmissionMode mode, Clock clock) {
    return builder(reloader, new CaffeineResultCache(), mode, clock);
  }

  /** {@link #builder(ConfigReloader, AdmissionMode, Clock)} with decisions kept in {@code cache}. */
  public static SignetServer.Builder builder(
      ConfigReloader reloader, ResultCache cache, AdmissionMode mode, Clock clock) {
    VerificationConfig loaded = reloader.config();
    // Cached decisions are keyed by the fingerprint of the configuration and trust material, so a
    // reload never serves an old answer.
    DecisionService decisions = new DecisionService(reloader, cache, clock);
    Duration mutationTimeout = loaded.mutationTimeout();
    DigestResolver resolver =
        image ->
            DigestResolver.firstOf(reloader.config().stores(), mutationTimeout, clock).pin(image);
    SignetServer.Builder builder = SignetServer.builder();
    if (cache instanceof RedisResultCache shared) {
      builder.cacheEvents(shared::counts);
    }
    return builder
        .decisions(decisions::decide)
        .resolver(resolver)
        .verifyTimeout(loaded.timeout())
        .mutateTimeout(mutationTimeout)
        .admission(d -> admission(d, resolver, mode, loaded.timeout()))
        .registryRequests(
            () ->
                reloader.config().stores().stream()
                    .filter(RegistryStore.class::isInstance)
                    .mapToLong(s -> ((RegistryStore) s).requestCount())
                    .sum())
        .clock(clock);
  }

  /** The Kubernetes admission webhooks on the server's decisions. */
  private static AdmissionHandler admission(
      Decisions decisions, DigestResolver resolver, AdmissionMode mode, Duration timeout) {
    AdmissionWebhook webhook =
        new AdmissionWebhook(
            decisions::verify,
            image -> resolver.pin(Reference.parse(image)),
            timeout,
            AdmissionWebhook.DEFAULT_MAX_BODY_BYTES);
    return (body, mutate) -> {
      try {
        return mutate ? webhook.handleMutate(body) : webhook.handle(body, mode);
      } catch (AdmissionReviewException e) {
        throw new RejectedRequestException(e.httpStatus(), e.getMessage());
      }
    };
  }
}
