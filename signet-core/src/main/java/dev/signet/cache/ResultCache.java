package dev.signet.cache;

import dev.signet.deadline.Deadline;
import dev.signet.result.VerificationResult;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decisions remembered for a short while, so that admission requests for the same image do not
 * each cost a round of registry requests (Ratify's verify-handler cache, ratify-reference.md §1.7).
 * Implementations decide how long to keep a result with {@link CachePolicy}; they must not keep
 * results the policy says are not cacheable. {@link CaffeineResultCache} keeps them in this
 * process, {@link RedisResultCache} shares them between replicas.
 */
public interface ResultCache {
  /** The cached result for the key, if present and not expired. */
  Optional<VerificationResult> get(ResultKey key);

  /**
   * The cached result for the key when this process holds it, without waiting on anything outside
   * the process (a shared cache answers from its in-process part only).
   */
  default Optional<VerificationResult> getInProcess(ResultKey key) {
    return get(key);
  }

  /** Remembers a result, for as long as the cache's {@link CachePolicy} allows (maybe not at all). */
  void put(ResultKey key, VerificationResult result);

  /**
   * The cached result for the key, else the result of {@code verify}, remembered as {@link
   * #put} does. A shared cache may first wait, within {@code deadline}, for another process that is
   * verifying the same key.
   */
  default VerificationResult getOrVerify(
      ResultKey key, Deadline deadline, Supplier<VerificationResult> verify) {
    Optional<VerificationResult> hit = get(key);
    if (hit.isPresent()) {
      return hit.get();
    }
    VerificationResult result = verify.get();
    put(key, result);
    return result;
  }
}
