package dev.signet.engine;

import dev.signet.verify.ConfiguredExecutor;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded configuration in service, and who holds it: its owner (a {@link ConfigReloader}, the
 * Kubernetes resource controller) from creation until it {@link #retire() retires} it, and every
 * decision from {@link #hold()} until it closes the executor it took. When the last holder lets go,
 * the configuration is closed (its stores and their HTTP clients), and it can never be held again:
 * a decision either holds an open configuration for as long as it runs, or gets nothing and takes
 * the owner's newer one.
 */
public final class ConfigGeneration {
  private final VerificationConfig config;
  private final long number;
  private final String fingerprint;
  /** The owner until it retires, plus one per decision holding it; zero means closed. */
  private final AtomicInteger holders = new AtomicInteger(1);

  private final AtomicBoolean retired = new AtomicBoolean();

  /**
   * A generation held by its creator, the owner, until {@link #retire()}.
   *
   * @param number the generation its executor reports (one owner gives each a new number)
   * @param fingerprint names the configuration's content for cached decisions, as {@link
   *     ConfiguredExecutor#fingerprint()} says
   */
  public ConfigGeneration(VerificationConfig config, long number, String fingerprint) {
    this.config = Objects.requireNonNull(config, "config");
    this.number = number;
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /**
   * A generation whose cached decisions this process alone may use ({@link
   * ConfiguredExecutor#local}), held by its creator until {@link #retire()}.
   */
  public static ConfigGeneration local(VerificationConfig config, long number) {
    return new ConfigGeneration(
        config, number, ConfiguredExecutor.local(number, config.executor()).fingerprint());
  }

  /**
   * The executor of this generation, held until it is closed (closing it twice lets go once); empty
   * when the generation is already closed, so a closed configuration is never used.
   */
  public Optional<ConfiguredExecutor> hold() {
    for (int n = holders.get(); n > 0; n = holders.get()) {
      if (holders.compareAndSet(n, n + 1)) {
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(
            new ConfiguredExecutor(
                number,
                fingerprint,
                config.executor(),
                () -> {
                  if (released.compareAndSet(false, true)) {
                    release();
                  }
                }));
      }
    }
    return Optional.empty();
  }

  /**
   * The executor without holding it: for its generation, fingerprint and settings; to run a
   * decision on it, {@link #hold()} it.
   */
  public ConfiguredExecutor unheld() {
    return new ConfiguredExecutor(number, fingerprint, config.executor());
  }

  /**
   * The owner lets go (the generation is superseded, or the owner closes): closed now if no
   * decision holds it, else when the last one lets go. Safe to call more than once.
   */
  public void retire() {
    if (retired.compareAndSet(false, true)) {
      release();
    }
  }

  private void release() {
    if (holders.decrementAndGet() == 0) {
      config.close();
    }
  }

  /**
   * The configuration, without holding it: for its settings (timeouts, warnings, the files it
   * names); to use its stores, {@link #hold()} it.
   */
  public VerificationConfig config() {
    return config;
  }

  public long number() {
    return number;
  }

  public String fingerprint() {
    return fingerprint;
  }

  /** Whether the configuration was closed: retired and let go by every decision. */
  public boolean isClosed() {
    return config.isClosed();
  }
}
