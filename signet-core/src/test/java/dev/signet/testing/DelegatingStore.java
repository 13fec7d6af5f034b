package dev.signet.testing;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.util.List;

/** A store that passes every call to another; tests override the calls they watch or change. */
public abstract class DelegatingStore implements ReferrerStore {
  private final ReferrerStore store;

  protected DelegatingStore(ReferrerStore store) {
    this.store = store;
  }

  @Override
  public Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return store.resolve(reference, deadline);
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return store.referrers(repository, subject, artifactType, deadline);
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return store.fetchManifest(repository, descriptor, deadline);
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return store.fetchBlob(repository, descriptor, deadline);
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
  public void close() {
    store.close();
  }
}
