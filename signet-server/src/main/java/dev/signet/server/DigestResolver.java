package dev.signet.server;

import dev.signet.cache.TagCache;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Pins an image to the digest its tag names now, for the mutation provider. */
@FunctionalInterface
public interface DigestResolver {

  /**
   * Resolves {@code image} ({@code host[:port]/repo:tag}) to {@code host[:port]/repo@sha256:<hex>}.
   *
   * @throws IllegalArgumentException when the image is not a valid reference
   * @throws StoreException when no store knows the image
   * @throws DeadlineExceededException when the budget ran out
   */
  String pin(Reference image) throws StoreException, DeadlineExceededException;

  /**
   * Asks each store in turn, within {@code timeout} in all; the first that knows the image names
   * the repository ({@link ReferrerStore#policyRepository}, normalized for registries).
   */
  static DigestResolver firstOf(List<ReferrerStore> stores, Duration timeout, Clock clock) {
    return firstOf(stores, TagCache.off(), timeout, clock);
  }

  /**
   * {@link #firstOf(List, Duration, Clock)}, taking a tag's digest from {@code tags} when a store
   * resolved it within the cache's lifetime (the digest the decisions saw), and remembering new
   * resolutions there.
   */
  static DigestResolver firstOf(
      List<ReferrerStore> stores, TagCache tags, Duration timeout, Clock clock) {
    List<ReferrerStore> copy = List.copyOf(stores);
    return image -> {
      Deadline deadline = Deadline.after(clock, timeout);
      List<String> errors = new ArrayList<>();
      for (ReferrerStore store : copy) {
        try {
          Descriptor d = tags.get(store, image);
          if (d == null) {
            d = store.resolve(image, deadline);
            tags.put(store, image, d);
          }
          return store.policyRepository(image) + "@" + d.digest();
        } catch (StoreException e) {
          errors.add(e.getMessage());
        }
        deadline.check("resolving " + image);
      }
      throw new StoreException(
          errors.isEmpty()
              ? "no store is configured"
              : "could not resolve the image in any store: " + String.join("; ", errors));
    };
  }
}
