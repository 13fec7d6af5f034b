package dev.signet.verify;

import java.util.UUID;

/**
 * An executor built from one version of the configuration and trust material. The generation grows
 * whenever either changes; the fingerprint names their content, so that cached results are shared
 * by every replica that loaded the same files and never served under another configuration.
 *
 * <p>It is held, not owned: {@link #close()} says the decision that took it is done with it, so
 * that the configuration behind it can be closed once it is superseded and no decision holds it.
 *
 * @param generation 1 for the first load, one more per reload (this process only)
 * @param fingerprint equal for equal configuration and trust material, on every process
 * @param executor the executor of that configuration
 * @param release called by {@link #close()}
 */
public record ConfiguredExecutor(
    long generation, String fingerprint, Executor executor, Runnable release)
    implements AutoCloseable {
  /** Unique to this process: fingerprints made by {@link #local} are never shared. */
  private static final String PROCESS = UUID.randomUUID().toString();

  /** An executor that nothing needs to be told about when a decision is done with it. */
  public ConfiguredExecutor(long generation, String fingerprint, Executor executor) {
    this(generation, fingerprint, executor, () -> {});
  }

  /** An executor whose cached results this process alone may use (tools, tests, benchmarks). */
  public static ConfiguredExecutor local(long generation, Executor executor) {
    return new ConfiguredExecutor(generation, "local-" + PROCESS + "-" + generation, executor);
  }

  @Override
  public void close() {
    release.run();
  }
}
