package dev.signet.cli;

// The wiring `signet serve` and `signet demo` share (ratify-reference.md §3 to §5): one cached
// decision service on a reloading configuration behind both the Gatekeeper provider and the
// Kubernetes admission webhooks.

import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.RedisResultCache;
import dev.signet.cache.ResultCache;
import dev.signet.cache.TagCache;
import dev.signet.engine.ConfigReloader;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.Engine;
import dev.signet.kubernetes.NamespaceDecisions;
import dev.signet.kubernetes.ResourceController;
import dev.signet.oci.registry.RegistryStore;
import dev.signet.reference.Reference;
import dev.signet.server.AdmissionHandler;
import dev.signet.server.Decisions;
import dev.signet.server.Decisions;
import dev.signet.server.RejectedRequestException;
import dev.signet.server.SignetServer;
import dev.signet.server.admission.AdmissionMode;
import dev.signet.server.admission.AdmissionReviewException;
import dev.signet.server.admission.AdmissionWebhook;
import dev.signet.server.admission.ImageVerifier;
import dev.signet.verify.ConfiguredExecutor;
import dev.signet.verify.Failure;
import dev.signet.verify.ImageResolver;
import dev.signet.result.ErrorCode;
import dev.signet.deadline.Deadline;
import dev.signet.verify.DecisionService;
import dev.signet.result.VerificationResult;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

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
    return builder(reloader, CaffeineResultCache.bounded(reloader.config().cacheBounds()), mode, clock);
  }

  /** {@link #builder(ConfigReloader, AdmissionMode, Clock)} with decisions kept in {@code cache}. */
  public static SignetServer.Builder builder(
      ConfigReloader reloader, ResultCache cache, AdmissionMode mode, Clock clock) {
    // Cached decisions are keyed by the fingerprint of the configuration and trust material, so a
    // reload never serves an old answer.
    // Tags: one short-lived cache for decisions and mutation, so that a mutation pins the digest
    // the decision saw.
    TagCache tags = TagCache.bounded(reloader.config().cacheBounds());
    DecisionService decisions = new DecisionService(reloader, cache, tags, clock);
    Duration mutationTimeout = reloader.config().mutationTimeout();
    // Tags resolve in the stores of the generation held for that resolution.
    ImageResolver resolver =
        (image, deadline) -> {
          try (ConfiguredExecutor held = reloader.get()) {
            return ImageResolver.firstOf(held.executor().stores(), tags, mutationTimeout)
                .resolve(image, deadline);
          }
        };
    Decisions served =
        new Decisions() {
          @Override
          public VerificationResult verify(String subject) {
            return decisions.decide(subject);
          }

          @Override
          public VerificationResult cached(String namespace, String subject) {
            return decisions.cachedDecision(subject);
          }
        };
    return builder(served, reloader::config, resolver, cache, mode, clock)
        .onStop(reloader::close);
  }

  /**
   * A builder whose decisions come from Ratify's custom resources as {@code controller} applies
   * them, per namespace; tags are resolved, and timeouts taken, from the cluster-wide configuration.
   */
  public static SignetServer.Builder builder(
      ResourceController controller, AdmissionMode mode, Clock clock) {
    ResultCache cache = new CaffeineResultCache();
    NamespaceDecisions perNamespace = new NamespaceDecisions(controller, cache, clock);
    Decisions decisions =
        new Decisions() {
          @Override
          public VerificationResult verify(String subject) {
            return perNamespace.verify("", subject);
          }

          @Override
          public VerificationResult verify(String namespace, String subject) {
            return perNamespace.verify(namespace, subject);
          }
        };
    Supplier<VerificationConfig> cluster =
        () ->
            controller.generation().cluster() instanceof Engine.Ready ready ? ready.config() : null;
    Duration mutationTimeout = mutationTimeout(cluster.get());
    ImageResolver resolver =
        (image, deadline) -> {
          VerificationConfig now = cluster.get();
          if (now == null) {
            return new ImageResolver.Unresolved(Failure.of(
                Failure.Kind.CONFIGURATION,
                ErrorCode.REFERRER_STORE_FAILURE,
                "no configuration with a store applies to the cluster, so "
                    + image
                    + " cannot be resolved",
                "the cluster's verification resources do not load",
                "Check the status of the Store and Verifier resources."));
          }
          return ImageResolver.firstOf(now.stores(), mutationTimeout).resolve(image, deadline);
        };
    return builder(decisions, cluster, resolver, cache, mode, clock)
        .providerFetches(controller::providerFetches);
  }

  /**
   * The server on {@code decisions}; {@code config} gives the configuration whose timeouts apply
   * (null when there is none), {@code resolver} resolves tags.
   */
  private static SignetServer.Builder builder(
      Decisions decisions,
      Supplier<VerificationConfig> config,
      ImageResolver resolver,
      ResultCache cache,
      AdmissionMode mode,
      Clock clock) {
    VerificationConfig loaded = config.get();
    Duration timeout = loaded == null ? VerificationConfig.DEFAULT_TIMEOUT : loaded.timeout();
    Duration mutationTimeout = mutationTimeout(loaded);
    SignetServer.Builder builder = SignetServer.builder();
    if (cache instanceof RedisResultCache shared) {
      builder.cacheEvents(shared::counts);
    }
    return builder
        .decisions(decisions)
        .resolver(resolver)
        .verifyTimeout(timeout)
        .mutateTimeout(mutationTimeout)
        .admission(d -> admission(d, resolver, mode, timeout, mutationTimeout, clock))
        .registryRequests(
            () -> {
              VerificationConfig now = config.get();
              return now == null
                  ? 0
                  : now.stores().stream()
                      .filter(RegistryStore.class::isInstance)
                      .mapToLong(st -> ((RegistryStore) st).requestCount())
                      .sum();
            })
        .clock(clock);
  }

  private static Duration mutationTimeout(VerificationConfig loaded) {
    return loaded == null ? VerificationConfig.DEFAULT_MUTATION_TIMEOUT : loaded.mutationTimeout();
  }

  /** The Kubernetes admission webhooks on the server's decisions. */
  private static AdmissionHandler admission(
      Decisions decisions,
      ImageResolver resolver,
      AdmissionMode mode,
      Duration timeout,
      Duration mutationTimeout,
      Clock clock) {
    ImageVerifier verifier =
        new ImageVerifier() {
          @Override
          public VerificationResult verify(String image) {
            return decisions.verify(image);
          }

          @Override
          public VerificationResult verify(String namespace, String image) {
            return decisions.verify(namespace, image);
          }
        };
    AdmissionWebhook webhook =
        new AdmissionWebhook(
            verifier,
            image -> resolver.pin(Reference.parse(image), Deadline.after(clock, mutationTimeout)),
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
