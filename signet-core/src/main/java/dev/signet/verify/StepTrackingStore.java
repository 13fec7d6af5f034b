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
  private final Executor.StepTracker step;

  StepTrackingStore(ReferrerStore store, Executor.StepTracker step) {
    this.store = store;
    this.step = step;
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
    step.set(Step.RESOLVE);
    Descriptor d = store.resolve(reference, deadline);
    step.set(Step.VERIFY);
    return d;
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    step.set(Step.LIST_REFERRERS);
    List<Descriptor> list = store.referrers(repository, subject, artifactType, deadline);
    step.set(Step.VERIFY);
    return list;
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    step.set(Step.FETCH);
    // Left at FETCH when the call throws, so a deadline there is reported as a fetch.
    byte[] bytes = store.fetchManifest(repository, descriptor, deadline);
    step.set(Step.VERIFY);
    return bytes;
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    step.set(Step.FETCH);
    byte[] bytes = store.fetchBlob(repository, descriptor, deadline);
    step.set(Step.VERIFY);
    return bytes;
  }
}
