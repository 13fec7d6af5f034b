package dev.signet.verify;

import dev.signet.cache.TagCache;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ImageResolver#firstOf}: each store in configuration order, each asked on a virtual thread
 * that is abandoned at the deadline (a store that ignores its deadline cannot hold the caller).
 */
final class FirstStoreResolver implements ImageResolver {
  private final List<ReferrerStore> stores;
  private final TagCache tags;
  private final Duration budget;

  FirstStoreResolver(List<ReferrerStore> stores, TagCache tags, Duration budget) {
    this.stores = List.copyOf(stores);
    this.tags = tags;
    this.budget = budget;
  }

  @Override
  public Resolution resolve(Reference image, Deadline deadline) {
    List<String> errors = new ArrayList<>();
    for (ReferrerStore store : stores) {
      Descriptor descriptor = tags.get(store, image);
      if (descriptor != null) {
        return new Resolved(store, descriptor);
      }
      FutureTask<Descriptor> task = new FutureTask<>(() -> store.resolve(image, deadline));
      Thread.ofVirtual().name("signet-resolve").start(task);
      try {
        // remaining() is capped (a year for Deadline.none), so this cannot overflow.
        descriptor = task.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        task.cancel(true);
        return unresolved(Failure.deadline(Step.RESOLVE, budget, "the step was abandoned at the deadline"));
      } catch (InterruptedException e) {
        task.cancel(true);
        Thread.currentThread().interrupt();
        return unresolved(Failure.interrupted(
            "verification was interrupted while " + Step.RESOLVE.doing, "the caller stopped waiting"));
      } catch (ExecutionException e) {
        switch (e.getCause()) {
          case StoreException s -> errors.add(s.getMessage());
          case DeadlineExceededException d -> {
            return unresolved(Failure.deadline(Step.RESOLVE, budget, d.getMessage()));
          }
          default ->
              errors.add("unexpected error while " + Step.RESOLVE.doing + ": " + e.getCause());
        }
        continue;
      }
      tags.put(store, image, descriptor);
      if (image.digest() != null && !image.digest().equals(descriptor.digest())) {
        return unresolved(Failure.of(FailureKind.DENIED,
            ErrorCode.GET_SUBJECT_DESCRIPTOR_FAILURE,
            "the store resolved the subject to another digest",
            "requested " + image.digest() + " but the store resolved " + descriptor.digest(),
            "Check the store's content; the digest given must be the artifact's."));
      }
      return new Resolved(store, descriptor);
    }
    return unresolved(Failure.of(FailureKind.TRANSIENT,
        ErrorCode.REFERRER_STORE_FAILURE,
        "could not resolve the image in any store",
        stores.isEmpty() ? "no store is configured" : String.join("; ", errors),
        "Check the image reference and that the store (registry or OCI layout) holds it."));
  }

  private static Unresolved unresolved(Failure failure) {
    return new Unresolved(failure);
  }

  @Override
  public Optional<Descriptor> cached(Reference tag) {
    return stores.isEmpty() ? Optional.empty() : Optional.ofNullable(tags.get(stores.get(0), tag));
  }
}
