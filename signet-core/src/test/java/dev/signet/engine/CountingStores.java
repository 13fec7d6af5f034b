package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The standard store plugins, counting the stores they open and the ones closed: a store that is
 * never closed keeps its HTTP client (connections, threads) for the life of the process.
 */
public final class CountingStores implements StorePlugins {
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();

  @Override
  public ReferrerStore open(ConfigNode plugin, Path baseDir, Clock clock) throws ConfigException {
    ReferrerStore real = StorePlugins.standard().open(plugin, baseDir, clock);
    opened.incrementAndGet();
    return new Counted(real);
  }

  public int opened() {
    return opened.get();
  }

  public int closed() {
    return closed.get();
  }

  /** Stores opened and not closed. */
  public int open() {
    return opened.get() - closed.get();
  }

  private final class Counted implements ReferrerStore {
    private final ReferrerStore store;
    private final AtomicBoolean done = new AtomicBoolean();

    Counted(ReferrerStore store) {
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
      if (done.compareAndSet(false, true)) {
        closed.incrementAndGet();
        store.close();
      }
    }
  }
}
