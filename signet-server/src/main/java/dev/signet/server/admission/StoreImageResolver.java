package dev.signet.server.admission;

import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.deadline.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Pins an image to the digest the first store that knows it resolves it to, as {@code <repository
 * as the store names it>@<digest>}: the normalized {@code registry/repository} for registries, the
 * name as written for OCI layouts. The tag is dropped.
 */
public final class StoreImageResolver implements ImageResolver {
  private final dev.signet.verify.ImageResolver resolver;
  private final Clock clock;
  private final Duration timeout;

  public StoreImageResolver(List<ReferrerStore> stores, Clock clock, Duration timeout) {
    if (stores.isEmpty()) {
      throw new IllegalArgumentException("at least one store is needed to resolve images");
    }
    this.resolver = dev.signet.verify.ImageResolver.firstOf(stores, timeout);
    this.clock = clock;
    this.timeout = timeout;
  }

  @Override
  public String pin(String image) throws StoreException, DeadlineExceededException {
    Reference reference;
    try {
      reference = Reference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new StoreException(e.getMessage());
    }
    return resolver.pin(reference, Deadline.after(clock, timeout));
  }
}
