package dev.signet.verify;

import dev.signet.deadline.Deadline;
import dev.signet.reference.Reference;
import dev.signet.result.VerificationResult;

/**
 * Verifies one subject within a deadline: the seam between deciding (caching, coalescing, the
 * current configuration: {@link DecisionService}) and verifying ({@link Executor}). Decorators such
 * as {@link CachingVerifier} wrap it. Every failure is a failed result, never an exception.
 */
public interface SubjectVerifier {

  /** Verifies {@code subject}, resolving it first. */
  VerificationResult verify(Reference subject, Deadline deadline);

  /** Verifies {@code subject}, already resolved (by the executor's {@link ImageResolver}). */
  VerificationResult verify(Reference subject, ImageResolver.Resolved resolved, Deadline deadline);
}
