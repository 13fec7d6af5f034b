package dev.signet.kubernetes;

import dev.signet.verify.Decisions;
import dev.signet.cache.ResultCache;
import dev.signet.verify.DecisionService;
import dev.signet.result.VerificationResult;
import java.time.Clock;

/**
 * Decisions for images of a namespace, with the engine the controller's resources give that
 * namespace; cached and coalesced as {@link DecisionService} does (each engine has its own
 * generation, so namespaces never share a cached decision unless they share the engine). A
 * decision holds its engine until it finishes, so a change of the resources never closes the
 * stores it is using.
 */
public final class NamespaceDecisions implements Decisions {
  private final ResourceController controller;
  private final DecisionService service;

  public NamespaceDecisions(ResourceController controller, ResultCache cache, Clock clock) {
    this.controller = controller;
    this.service =
        new DecisionService(
            () -> {
              throw new IllegalStateException("a decision needs the namespace of the image");
            },
            cache,
            clock);
  }

  /** The decision for {@code subject} under the cluster-wide resources. */
  @Override
  public VerificationResult verify(String subject) {
    return verify("", subject);
  }

  /** The decision for {@code subject} in {@code namespace} ({@code ""}: cluster-wide resources). */
  @Override
  public VerificationResult verify(String namespace, String subject) {
    return controller.withEngine(
        namespace, (held, config) -> service.decide(subject, held), u -> u.fail(subject));
  }
}
