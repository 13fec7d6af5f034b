package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.oci.ReferrerStore;
import dev.signet.testing.DelegatingStore;
import java.nio.file.Path;
import java.time.Clock;
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

  private final class Counted extends DelegatingStore {
    private final AtomicBoolean done = new AtomicBoolean();

    Counted(ReferrerStore store) {
      super(store);
    }

    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        closed.incrementAndGet();
        super.close();
      }
    }
  }
}
