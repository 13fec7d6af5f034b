package dev.signet.cli;

import dev.signet.cache.ResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.Engine;
import dev.signet.kubernetes.NamespaceDecisions;
import dev.signet.kubernetes.ResourceController;
import dev.signet.oci.StoreException;
import dev.signet.server.DecisionSource;
import dev.signet.server.DigestResolver;
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
    DigestResolver resolver =
        image -> {
          VerificationConfig now = cluster.get();
          if (now == null) {
            throw new StoreException(
                "no configuration with a store applies to the cluster, so "
                    + image
                    + " cannot be resolved");
          }
          return DigestResolver.firstOf(now.stores(), now.mutationTimeout(), clock).pin(image);
        };
    return new DecisionSource(new NamespaceDecisions(controller, cache, clock), cluster, resolver);
  }
}
