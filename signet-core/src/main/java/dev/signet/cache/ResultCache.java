package dev.signet.cache;

import dev.signet.verify.VerificationResult;
import java.util.Optional;

/**
 * Decisions remembered for a short while, so that admission requests for the same image do not
 * each cost a round of registry requests (Ratify's verify-handler cache, ratify-reference.md §1.7).
 * Implementations decide how long to keep a result with {@link CachePolicy}; they must not keep
 * results the policy says are not cacheable. An in-process Caffeine cache is provided; a shared
 * cache (Redis, ...) can implement the same interface.
 */
public interface ResultCache {
  /** The cached result for the key, if present and not expired. */
  Optional<VerificationResult> get(ResultKey key);

  /** Remembers a result, for as long as the cache's {@link CachePolicy} allows (maybe not at all). */
  void put(ResultKey key, VerificationResult result);
}
