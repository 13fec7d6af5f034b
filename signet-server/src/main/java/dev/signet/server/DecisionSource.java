package dev.signet.server;

import dev.signet.verify.Decisions;
import dev.signet.verify.ImageResolver;
import dev.signet.engine.VerificationConfig;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the server's decisions come from: a reloading config.json ({@link
 * DecisionServer#builder(dev.signet.engine.ConfigReloader, dev.signet.cache.ResultCache,
 * dev.signet.server.admission.AdmissionMode, java.time.Clock)}) or, in Kubernetes mode, Ratify's
 * custom resources (built where the controller lives).
 *
 * @param decisions the decision for each image
 * @param config the configuration whose timeouts and stores apply now; it may return null (no
 *     configuration applies yet), and is asked again for every request, so a reload takes effect
 *     at the next one
 * @param resolver resolves tags to digests for the mutation endpoints
 */
public record DecisionSource(
    Decisions decisions, Supplier<VerificationConfig> config, ImageResolver resolver) {
  public DecisionSource {
    Objects.requireNonNull(decisions);
    Objects.requireNonNull(config);
    Objects.requireNonNull(resolver);
  }
}
