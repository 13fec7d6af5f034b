package dev.signet.verify;

import dev.signet.cache.TagCache;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds an image: the store that knows it and the descriptor it resolves to. {@link #firstOf} is
 * the one rule Signet resolves by, for verifications, mutations and the command line alike: the
 * first store, in configuration order, that knows the image.
 */
@FunctionalInterface
public interface ImageResolver {

  /** The outcome of resolving an image: where it was found, or why not. */
  sealed interface Resolution permits Resolved, Unresolved {}

  /** The image was found in {@code store}. */
  record Resolved(ReferrerStore store, Descriptor descriptor) implements Resolution {
    /**
     * The image pinned to its digest as {@code <repository as the store names it>@<digest>}: the
     * normalized {@code registry/repository} for registries, the name as written for OCI layouts.
     */
    public String pinned(Reference image) {
      return store.policyRepository(image) + "@" + descriptor.digest();
    }
  }

  /** The image could not be resolved. */
  record Unresolved(Failure failure) implements Resolution {}

  /**
   * Resolves {@code image} within {@code deadline}. A digest given in the image must be the one
   * the store resolves.
   */
  Resolution resolve(Reference image, Deadline deadline);

  /**
   * The descriptor a tag resolved to within the tag cache's lifetime, when it can be had without
   * asking a store; empty by default.
   */
  default Optional<Descriptor> cached(Reference tag) {
    return Optional.empty();
  }

  /**
   * The image pinned to its digest ({@link Resolved#pinned}).
   *
   * @throws DeadlineExceededException when the deadline passed first
   * @throws StoreException when the image cannot be resolved for another reason
   */
  default String pin(Reference image, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return switch (resolve(image, deadline)) {
      case Resolved r -> r.pinned(image);
      case Unresolved u when u.failure().code() == ErrorCode.DEADLINE_EXCEEDED ->
          throw new DeadlineExceededException(u.failure().message());
      case Unresolved u -> throw new StoreException(u.failure().message() + ": " + u.failure().reason());
    };
  }

  /**
   * Asks each of {@code stores} in turn; the first that knows the image resolves it. {@code budget}
   * is the time the deadlines given are made of (reports name it).
   */
  static ImageResolver firstOf(List<ReferrerStore> stores, Duration budget) {
    return firstOf(stores, TagCache.off(), budget);
  }

  /**
   * {@link #firstOf(List, Duration)}, taking a tag's digest from {@code tags} when a store resolved
   * it within the cache's lifetime, and remembering new resolutions there.
   */
  static ImageResolver firstOf(List<ReferrerStore> stores, TagCache tags, Duration budget) {
    return new FirstStoreResolver(stores, tags, budget);
  }
}
