package dev.signet.server.admission;

import dev.signet.result.VerificationResult;

/**
 * Decides whether one image may run; {@code Executor::verify} is the production implementation.
 * Implementations must not throw for a failed verification (they return a failed result), but a
 * thrown exception is treated as a failure too.
 */
@FunctionalInterface
public interface ImageVerifier {
  VerificationResult verify(String image);

  /** The decision for an image of a pod in {@code namespace}; by default the namespace does not matter. */
  default VerificationResult verify(String namespace, String image) {
    return verify(image);
  }
}
