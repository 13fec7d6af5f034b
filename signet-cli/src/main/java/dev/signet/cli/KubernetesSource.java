package dev.signet.cli;

import dev.signet.cache.ResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.Engine;
import dev.signet.kubernetes.NamespaceDecisions;
import dev.signet.kubernetes.ResourceController;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import dev.signet.verify.Failure;
import dev.signet.verify.ImageResolver;
import dev.signet.server.DecisionSource;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The decisions of {@code signet serve --kubernetes}: Ratify's custom resources as the controller
 * applies them, per namespace; tags are resolved, and timeouts taken, from the cluster-wide
 * configuration.
 */
public final class KubernetesSource {
  private KubernetesSource() {}

  public static DecisionSource of(ResourceController controller, ResultCache cache, Clock clock) {
    Supplier<VerificationConfig> cluster =
        () ->
            controller.generation().cluster() instanceof Engine.Ready ready ? ready.config() : null;
    ImageResolver resolver =
        (image, deadline) -> {
          VerificationConfig now = cluster.get();
          if (now == null) {
            return new ImageResolver.Unresolved(
                Failure.of(
                    FailureKind.CONFIGURATION,
                    ErrorCode.CONFIG_INVALID,
                    "no configuration with a store applies to the cluster, so "
                        + image
                        + " cannot be resolved",
                    "the cluster's verification resources do not load",
                    "Check the status of the Store and Verifier resources."));
          }
          return ImageResolver.firstOf(now.stores(), now.mutationTimeout()).resolve(image, deadline);
        };
    return new DecisionSource(new NamespaceDecisions(controller, cache, clock), cluster, resolver);
  }
}
