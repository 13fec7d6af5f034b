package dev.signet.cli.kubernetes;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.ResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.Engine;
import dev.signet.kubernetes.Generation;
import dev.signet.kubernetes.NamespaceDecisions;
import dev.signet.kubernetes.ResourceController;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.verify.Failure;
import dev.signet.verify.ImageResolver;
import dev.signet.server.DecisionServer;
import dev.signet.server.DecisionSource;
import dev.signet.server.SignetServer;
import dev.signet.server.admission.AdmissionMode;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The decisions of {@code signet serve --kubernetes} (and of the Kubernetes demo): Ratify's custom
 * resources as the controller applies them, per namespace; tags are resolved, and timeouts taken,
 * from the cluster-wide configuration. Its own package, as both {@code cli} and {@code cli.demo}
 * use it.
 */
public final class KubernetesSource {
  private KubernetesSource() {}

  /**
   * A server deciding from {@code controller}'s resources, with its own in-memory result cache, and
   * reporting the controller's provider fetches; the caller adds addresses, TLS and logging.
   */
  public static SignetServer.Builder server(
      ResourceController controller, AdmissionMode mode, Clock clock) {
    ResultCache cache = new CaffeineResultCache();
    return DecisionServer.builder(of(controller, cache, clock), cache, mode, clock)
        .providerFetches(controller::providerFetches);
  }

  private static DecisionSource of(ResourceController controller, ResultCache cache, Clock clock) {
    // Settings only (timeouts): read unheld, for each request.
    Supplier<VerificationConfig> cluster =
        () ->
            controller.generation() instanceof Generation g
                    && g.cluster() instanceof Engine.Ready ready
                ? ready.configuration().config()
                : null;
    // The stores are used while the cluster's engine is held, so a change of the resources does
    // not close them under a resolution.
    ImageResolver resolver =
        (image, deadline) ->
            controller.withEngine(
                "",
                (held, config) ->
                    ImageResolver.firstOf(held.executor().stores(), config.mutationTimeout())
                        .resolve(image, deadline),
                unavailable ->
                    new ImageResolver.Unresolved(
                        Failure.of(
                            FailureKind.CONFIGURATION,
                            ErrorCode.CONFIG_INVALID,
                            "no configuration with a store applies to the cluster, so "
                                + image
                                + " cannot be resolved",
                            unavailable.reason(),
                            "Check the status of the Store and Verifier resources.")));
    return new DecisionSource(new NamespaceDecisions(controller, cache, clock), cluster, resolver);
  }
}
