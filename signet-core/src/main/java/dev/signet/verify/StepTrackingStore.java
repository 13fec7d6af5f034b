package dev.signet.verify;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.util.List;

/**
 * The store as a verifier sees it: records which step the verifier is in (fetching content or
 * verifying), so that a verification abandoned at the deadline can say where it stood.
 */
final class StepTrackingStore implements ReferrerStore {
  private final ReferrerStore store;
  private final Executor.StepTracker tracker;

  StepTrackingStore(ReferrerStore store, Executor.StepTracker tracker) {
    this.store = store;
    this.tracker = tracker;
  }

  @Override
  public String policyRepository(Reference reference) {
    return store.policyRepository(reference);
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return during(Step.RESOLVE, () -> store.resolve(reference, deadline));
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return during(
        Step.LIST_REFERRERS, () -> store.referrers(repository, subject, artifactType, deadline));
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return during(Step.FETCH, () -> store.fetchManifest(repository, descriptor, deadline));
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return during(Step.FETCH, () -> store.fetchBlob(repository, descriptor, deadline));
  }

  /** One store call. */
  @FunctionalInterface
  private interface StoreCall<T> {
    T run() throws StoreException, DeadlineExceededException;
  }

  /**
   * Runs {@code call} in {@code step}, then returns to verifying. The step is left as it is when
   * the call throws, so a deadline there is reported as that step.
   */
  private <T> T during(Step step, StoreCall<T> call)
      throws StoreException, DeadlineExceededException {
    tracker.set(step);
    T value = call.run();
    tracker.set(Step.VERIFY);
    return value;
  }
}
