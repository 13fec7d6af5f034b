package dev.signet.server;

// The composition root of `signet serve` and `signet demo` (ratify-reference.md §3 to §5): one
// cached decision service behind both the Gatekeeper provider and the Kubernetes admission
// webhooks. Where decisions come from is a DecisionSource: a reloading config.json here, Ratify's
// custom resources in Kubernetes mode (built by the command, which sees the controller).

import dev.signet.verify.Decisions;
import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.RedisResultCache;
import dev.signet.cache.ResultCache;
import dev.signet.cache.TagCache;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.oci.registry.RegistryStore;
import dev.signet.reference.Reference;
import dev.signet.result.VerificationResult;
import dev.signet.server.admission.AdmissionMode;
import dev.signet.server.admission.AdmissionReviewException;
import dev.signet.server.admission.AdmissionWebhook;
import dev.signet.verify.ConfiguredExecutor;
import dev.signet.verify.DecisionService;
import dev.signet.verify.ImageResolver;
import dev.signet.deadline.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** A {@link SignetServer} builder with the decision side wired; the caller adds the listeners. */
public final class DecisionServer {
  private DecisionServer() {}

  /**
   * A builder whose decisions, digest resolver, timeouts, admission webhooks, registry request
   * count and clock come from {@code reloader}; the listen address and TLS files are left to the
   * caller. Stopping the server closes the reloader.
   */
  public static SignetServer.Builder builder(
      ConfigReloader reloader, AdmissionMode mode, Clock clock) {
    return builder(reloader, CaffeineResultCache.bounded(reloader.config().cacheBounds()), mode, clock);
  }

  /** {@link #builder(ConfigReloader, AdmissionMode, Clock)} with decisions kept in {@code cache}. */
  public static SignetServer.Builder builder(
      ConfigReloader reloader, ResultCache cache, AdmissionMode mode, Clock clock) {
    return builder(source(reloader, cache, clock), cache, mode, clock).onStop(reloader::close);
  }

  /**
   * The decisions of a reloading configuration: cached in {@code cache} by the fingerprint of the
   * configuration and trust material (a reload never serves an old answer), tags resolved in the
   * stores of the generation held for that resolution.
   */
  static DecisionSource source(ConfigReloader reloader, ResultCache cache, Clock clock) {
    // One short-lived tag cache for decisions and mutation, so that a mutation pins the digest the
    // decision saw.
    TagCache tags = TagCache.bounded(reloader.config().cacheBounds());
    DecisionService service = new DecisionService(reloader, cache, tags, clock);
    Decisions decisions =
        new Decisions() {
          @Override
          public VerificationResult verify(String subject) {
            return service.decide(subject);
          }

          @Override
          public Optional<VerificationResult> cached(String namespace, String subject) {
            return service.cachedDecision(subject);
          }
        };
    ImageResolver resolver =
        (image, deadline) -> {
          try (ConfiguredExecutor held = reloader.get()) {
            return ImageResolver.firstOf(
                    held.executor().stores(), tags, reloader.config().mutationTimeout())
                .resolve(image, deadline);
          }
        };
    return new DecisionSource(decisions, reloader::config, resolver);
  }

  /** The server on the decisions of {@code source}, with decisions kept in {@code cache}. */
  public static SignetServer.Builder builder(
      DecisionSource source, ResultCache cache, AdmissionMode mode, Clock clock) {
    // Read for each request, so that a reload changing them applies to the next one.
    Supplier<Duration> timeout =
        () -> {
          VerificationConfig now = source.config().get();
          return now == null ? VerificationConfig.DEFAULT_TIMEOUT : now.timeout();
        };
    Supplier<Duration> mutationTimeout =
        () -> {
          VerificationConfig now = source.config().get();
          return now == null ? VerificationConfig.DEFAULT_MUTATION_TIMEOUT : now.mutationTimeout();
        };
    SignetServer.Builder builder = SignetServer.builder();
    if (cache instanceof RedisResultCache shared) {
      builder.cacheEvents(shared::counts);
    }
    return builder
        .decisions(source.decisions())
        .resolver(source.resolver())
        .verifyTimeout(timeout)
        .mutateTimeout(mutationTimeout)
        .admission(admission(source, mode, timeout, mutationTimeout, clock))
        .registryRequests(
            () -> {
              VerificationConfig now = source.config().get();
              return now == null
                  ? 0
                  : now.stores().stream()
                      .filter(RegistryStore.class::isInstance)
                      .mapToLong(st -> ((RegistryStore) st).requestCount())
                      .sum();
            })
        .clock(clock);
  }

  /** The Kubernetes admission webhooks on the server's decisions. */
  private static AdmissionHandler admission(
      DecisionSource source,
      AdmissionMode mode,
      Supplier<Duration> timeout,
      Supplier<Duration> mutationTimeout,
      Clock clock) {
    ImageResolver resolver = source.resolver();
    AdmissionWebhook webhook =
        new AdmissionWebhook(
            source.decisions(),
            image -> resolver.pin(Reference.parse(image), Deadline.after(clock, mutationTimeout.get())),
            timeout,
            AdmissionWebhook.DEFAULT_MAX_BODY_BYTES);
    return (body, mutate, decisions) -> {
      try {
        return mutate ? webhook.handleMutate(body) : webhook.validate(body, mode, decisions).body();
      } catch (AdmissionReviewException e) {
        throw new RejectedRequestException(e.httpStatus(), e.getMessage());
      }
    };
  }
}
