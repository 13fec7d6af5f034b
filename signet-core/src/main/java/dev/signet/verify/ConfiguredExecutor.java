package dev.signet.verify;

import java.util.UUID;

/**
 * An executor built from one version of the configuration and trust material. The generation grows
 * whenever either changes; the fingerprint names their content, so that cached results are shared
 * by every replica that loaded the same files and never served under another configuration.
 *
 * @param generation 1 for the first load, one more per reload (this process only)
 * @param fingerprint equal for equal configuration and trust material, on every process
 * @param executor the executor of that configuration
 */
public record ConfiguredExecutor(long generation, String fingerprint, Executor executor) {
  /** Unique to this process: fingerprints made by {@link #local} are never shared. */
  private static final String PROCESS = UUID.randomUUID().toString();

  /** An executor whose cached results this process alone may use (tools, tests, benchmarks). */
  public static ConfiguredExecutor local(long generation, Executor executor) {
    return new ConfiguredExecutor(generation, "local-" + PROCESS + "-" + generation, executor);
  }
}
