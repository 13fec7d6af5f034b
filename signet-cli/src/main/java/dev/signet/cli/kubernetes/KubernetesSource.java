package dev.signet.cli.kubernetes;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.cache.ResultCache;
import dev.signet.engine.VerificationConfig;
import dev.signet.kubernetes.Engine;
import dev.signet.kubernetes.NamespaceDecisions;
import dev.signet.kubernetes.ResourceController;
import dev.signet.result.ErrorCode;
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
    Supplier<VerificationConfig> cluster =
        () ->
            controller.generation().cluster() instanceof Engine.Ready ready ? ready.config() : null;
    ImageResolver resolver =
        (image, deadline) -> {
          VerificationConfig now = cluster.get();
          if (now == null) {
            return new ImageResolver.Unresolved(
                Failure.of(
                    Failure.Kind.CONFIGURATION,
                    ErrorCode.REFERRER_STORE_FAILURE,
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
