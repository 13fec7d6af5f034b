package dev.signet.verify;

import dev.signet.result.VerificationResult;
import java.util.Optional;

/**
 * Decides whether one image may run: what the Gatekeeper provider and the admission webhooks ask.
 * {@code Executor::verify} is the plain implementation; a caching, coalescing {@link
 * DecisionService} takes its place in the server. Implementations return a failed result for every
 * failure (they should not throw; a thrown exception is answered as an error for that image, never
 * as an allow) and must be safe to call from many threads.
 */
@FunctionalInterface
public interface Decisions {
  VerificationResult verify(String subject);

  /**
   * The decision for an image of a Kubernetes namespace ({@code ""} when the request names none), for
   * configurations that differ per namespace; by default the namespace does not matter.
   */
  default VerificationResult verify(String namespace, String subject) {
    return verify(subject);
  }

  /**
   * The decision {@link #verify(String, String)} would give when it is at hand in this process
   * without any request to a store or another process (a cached decision); by default none is.
   */
  default Optional<VerificationResult> cached(String namespace, String subject) {
    return Optional.empty();
  }
}
