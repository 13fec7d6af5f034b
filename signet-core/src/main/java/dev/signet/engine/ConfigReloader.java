package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.verify.ConfiguredExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The executor of a configuration file that may change while the process runs (a server, a
 * Kubernetes ConfigMap). {@link #get()} returns the executor of the newest good configuration;
 * at most once per interval it checks the file and the trust material it names ({@link
 * VerificationConfig#referencedFiles()}) by content, and when they changed, loads them again and
 * raises the generation, so that no decision cached under the old configuration or certificates is
 * served. A new file that does not load (invalid JSON, a missing certificate, a CEL policy that does
 * not compile) changes nothing: the last good configuration keeps serving and {@link #lastError()}
 * says why, until the files are fixed or put back.
 *
 * <p>Polling rather than a file-system watch: it sees a ConfigMap's symbolic-link swap, works on
 * every file system, and costs one hash of a few small files per interval. The check runs on the
 * calling thread; while one thread reloads, the others keep getting the current executor.
 *
 * <p><b>Lifecycle.</b> The reloader owns every configuration it loads, each a {@link
 * ConfigGeneration}. A decision holds the generation it started on ({@link #get()}: closing the executor lets go); a superseded generation
 * is closed (its stores and their HTTP clients) when the last decision holding it lets go. A load
 * that is rejected, or discarded because the files changed while loading, is closed at once. {@link
 * #close()} closes the current generation once no decision holds it; nothing can be taken after.
 */
public final class ConfigReloader implements Supplier<ConfiguredExecutor>, AutoCloseable {
  /** How often {@link #get()} looks at the files by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  private static final System.Logger LOG = System.getLogger(ConfigReloader.class.getName());

  /** Loads to try while the set of referenced files keeps changing under us. */
  private static final int MAX_LOAD_ATTEMPTS = 3;

  private final Path file;
  private final VerificationConfig.Runtime runtime;
  private final Duration interval;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();

  /** The configuration serving now; replaced, never mutated. */
  private volatile Serving current;

  private volatile boolean closed;

  private volatile Instant nextCheck;
  private volatile String lastError;

  /** The files last rejected, so that a broken file is reported once, not parsed on every check. */
  private FileFingerprint rejected;

  /** A generation and the content of the files it was loaded from. */
  private record Serving(ConfigGeneration generation, FileFingerprint fingerprint) {}

  private record Attempt(VerificationConfig config, FileFingerprint fingerprint) {}

  private ConfigReloader(
      Path file, VerificationConfig.Runtime runtime, Duration interval, Serving first) {
    this.file = file;
    this.runtime = runtime;
    this.interval = interval;
    this.clock = runtime.clock();
    this.current = first;
    this.nextCheck = clock.instant().plus(interval);
  }

  /**
   * Loads the configuration; it must be good now (a process should not start on a broken one).
   *
   * @param interval the least time between two looks at the files; zero looks on every call
   * @throws ConfigException as {@link VerificationConfig#load} does
   */
  public static ConfigReloader load(Path file, VerificationConfig.Runtime runtime, Duration interval)
      throws ConfigException {
    Objects.requireNonNull(runtime, "runtime");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("the reload interval must not be negative");
    }
    Path absolute = file.toAbsolutePath().normalize();
    Attempt first = attempt(absolute, runtime, List.of());
    return new ConfigReloader(
        absolute,
        runtime,
        interval,
        new Serving(generation(first, 1), first.fingerprint()));
  }

  /** {@link #load(Path, VerificationConfig.Runtime, Duration)} with {@link #DEFAULT_INTERVAL}. */
  public static ConfigReloader load(Path file, VerificationConfig.Runtime runtime)
      throws ConfigException {
    return load(file, runtime, DEFAULT_INTERVAL);
  }

  /**
   * The executor of the newest good configuration, after looking at the files if the interval has
   * passed. The caller holds its generation until it closes the executor.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public ConfiguredExecutor get() {
    lookIfDue();
    while (true) {
      Serving s = current;
      if (closed) {
        throw new IllegalStateException("the configuration " + file + " was closed");
      }
      Optional<ConfiguredExecutor> held = s.generation().hold();
      if (held.isPresent()) {
        return held.get();
      }
      // Superseded and closed between the read and the hold: the next read sees its successor.
      Thread.onSpinWait();
    }
  }

  /**
   * Stops reloading and closes the current configuration once no decision holds it. Safe to call
   * more than once.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        current.generation().retire();
      }
    } finally {
      lock.unlock();
    }
  }

  private void lookIfDue() {
    Instant now = clock.instant();
    if (!now.isBefore(nextCheck) && lock.tryLock()) {
      try {
        if (!now.isBefore(nextCheck)) {
          checkSafely();
          nextCheck = clock.instant().plus(interval);
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Looks at the files now, whatever the interval, and reloads if they changed.
   *
   * @return true when a new configuration was installed (a new generation)
   */
  public boolean reloadIfChanged() {
    lock.lock();
    try {
      boolean reloaded = checkSafely();
      nextCheck = clock.instant().plus(interval);
      return reloaded;
    } finally {
      lock.unlock();
    }
  }

  /** Whatever goes wrong while looking, the configuration in use keeps serving. Under the lock. */
  private boolean checkSafely() {
    if (closed) {
      return false;
    }
    try {
      return check();
    } catch (RuntimeException e) {
      lastError = "cannot check " + file + " for changes: " + e;
      LOG.log(System.Logger.Level.WARNING, lastError);
      return false;
    }
  }

  /** Runs under the lock. */
  private boolean check() {
    Serving serving = current;
    FileFingerprint now = FileFingerprint.of(file, serving.generation().config().referencedFiles());
    if (now.equals(serving.fingerprint())) {
      if (lastError != null) {
        LOG.log(System.Logger.Level.INFO, "{0} is back to the configuration in use", file);
      }
      lastError = null;
      rejected = null;
      return false;
    }
    if (now.equals(rejected)) {
      return false;
    }
    Attempt next;
    try {
      next = attempt(file, runtime, serving.generation().config().referencedFiles());
    } catch (ConfigException | RuntimeException e) {
      rejected = now;
      lastError = e.getMessage();
      LOG.log(
          System.Logger.Level.WARNING,
          "keeping the configuration of generation {0}: the changed files do not load: {1}",
          String.valueOf(serving.generation().number()),
          e.getMessage());
      return false;
    }
    long generation = serving.generation().number() + 1;
    current = new Serving(generation(next, generation), next.fingerprint());
    // Closed now if no decision holds it, else when the last one lets go.
    serving.generation().retire();
    lastError = null;
    rejected = null;
    LOG.log(
        System.Logger.Level.INFO, "loaded {0} as generation {1}", file, String.valueOf(generation));
    for (String warning : next.config().warnings()) {
      LOG.log(System.Logger.Level.WARNING, "{0}: {1}", file, warning);
    }
    return true;
  }

  private static ConfigGeneration generation(Attempt loaded, long number) {
    return new ConfigGeneration(
        loaded.config(), number, "sha256:" + loaded.fingerprint().sha256());
  }

  /**
   * Loads the file with a fingerprint taken before reading it and again after, over the files this
   * very version names: when both agree, the fingerprint names exactly what was loaded (it is shared
   * with other replicas through the decision cache). When the version names other files than the
   * last one, or a file changed while loading, that takes another load.
   */
  private static Attempt attempt(
      Path file, VerificationConfig.Runtime runtime, List<Path> referenced) throws ConfigException {
    List<Path> expected = referenced;
    VerificationConfig config = null;
    for (int i = 0; i < MAX_LOAD_ATTEMPTS; i++) {
      FileFingerprint before = FileFingerprint.of(file, expected);
      if (config != null) {
        config.close(); // superseded by the load below, never served
      }
      config = VerificationConfig.load(file, runtime);
      if (config.referencedFiles().equals(expected)
          && FileFingerprint.of(file, expected).equals(before)) {
        return new Attempt(config, before);
      }
      expected = config.referencedFiles();
    }
    // The files keep changing: serve this load under a fingerprint no other process has, and let
    // the next check load again.
    return new Attempt(config, new FileFingerprint("unsettled-" + UUID.randomUUID()));
  }

  /**
   * The executor and generation in use, without looking at the files and without holding it: for
   * reading its settings; to run decisions on it, take it with {@link #get()}.
   */
  public ConfiguredExecutor current() {
    return current.generation().unheld();
  }

  /**
   * The configuration in use (its warnings, its timeout, the files it names), without holding it:
   * to use its stores, take it with {@link #get()}.
   */
  public VerificationConfig config() {
    return current.generation().config();
  }

  /** The generation in use: 1 for the first load, one more for each reload. */
  public long generation() {
    return current.generation().number();
  }

  /**
   * Why the files as they are now are not in use, or empty when the configuration in use is the
   * one on disk.
   */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** The configuration file, as an absolute path. */
  public Path file() {
    return file;
  }

  public Duration interval() {
    return interval;
  }
}
