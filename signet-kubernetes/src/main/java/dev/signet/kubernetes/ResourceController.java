package dev.signet.kubernetes;

import dev.signet.engine.ConfigGeneration;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.CertificateStore;
import dev.signet.kubernetes.resource.KeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedKeyManagementProvider;
import dev.signet.kubernetes.resource.NamespacedPolicy;
import dev.signet.kubernetes.resource.NamespacedStore;
import dev.signet.kubernetes.resource.NamespacedVerifier;
import dev.signet.kubernetes.resource.Policy;
import dev.signet.kubernetes.resource.Store;
import dev.signet.kubernetes.resource.Verifier;
import dev.signet.reference.Digest;
import dev.signet.verify.ConfiguredExecutor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code signet serve} as a controller of Ratify's custom resources: watches every kind of
 * {@code config.ratify.deislabs.io}, builds the engines they describe on one thread after each
 * change, publishes them as a new {@link Generation} in one volatile write, and writes each
 * resource's status. Decisions take their engine with {@link #withEngine} and finish on it.
 *
 * <p><b>Lifecycle.</b> The controller owns the configuration of every engine it builds ({@link
 * ConfigGeneration}): it holds those of the generation in use, and after publishing a new one
 * retires the engines the new one does not reuse, each closed (stores and HTTP clients) once the
 * last decision holding it finishes. An engine that is built but not published (a build that
 * fails, or one that changes nothing) is retired at once; {@link #close()} retires the rest.
 */
public final class ResourceController implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ResourceController.class.getName());
  private static final int MAX_BASE_CONFIG_BYTES = 4 * 1024 * 1024;

  /**
   * What the controller needs besides the API server.
   *
   * @param baseConfig Ratify's config.json (the ConfigMap): used for what resources do not set;
   *     may be null
   * @param workDir where the trust material fetched by key management providers and each scope's
   *     generated config.json are kept (private to this process)
   * @param baseConfigInterval how often the base file is looked at for changes
   */
  public record Settings(
      Path baseConfig,
      Path workDir,
      VerificationConfig.Runtime runtime,
      ProviderTypes providerTypes,
      Duration baseConfigInterval) {
    public Settings {
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(runtime, "runtime");
      Objects.requireNonNull(providerTypes, "providerTypes");
      Objects.requireNonNull(baseConfigInterval, "baseConfigInterval");
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Translator translator;
  private final StatusWriter statuses;
  private final ScheduledExecutorService worker;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final List<SharedIndexInformer<? extends HasMetadata>> informers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Set once every kind is watched; builds wait for it. */
  private volatile boolean watching;
  private final List<Consumer<Generation>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Written on the worker thread, and by {@link #close()}, under the controller's lock. */
  private volatile Generation current;

  /** Set by {@link #close()} under the controller's lock: nothing is published or held after. */
  private volatile boolean closed;
  /** The build that refreshes the key management providers next; on the worker thread only. */
  private java.util.concurrent.ScheduledFuture<?> refreshTimer;
  private ObjectNode base;
  private String baseHash = "";

  private ResourceController(KubernetesClient client, Settings settings) {
    this.client = client;
    this.settings = settings;
    this.translator =
        new Translator(
            settings.workDir(), settings.runtime(), settings.providerTypes(), new AtomicLong());
    this.statuses = new StatusWriter(client);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "signet-resources");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the watches, waits for their first listing, and builds the first generation.
   *
   * @throws IllegalArgumentException when the base config.json is not a JSON object
   */
  public static ResourceController start(KubernetesClient client, Settings settings) {
    ResourceController c = new ResourceController(client, settings);
    try {
      c.readBase(true);
      c.watchAll();
      c.watching = true;
      c.worker.submit(c::build).get();
    } catch (java.util.concurrent.ExecutionException e) {
      c.close();
      throw new IllegalStateException("the first build failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    long every = settings.baseConfigInterval().toMillis();
    if (settings.baseConfig() != null && every > 0) {
      c.worker.scheduleWithFixedDelay(c::checkBase, every, every, TimeUnit.MILLISECONDS);
    }
    return c;
  }

  /**
   * The engines in use now, not held: for their settings (timeouts) and generation number; to run
   * a decision on an engine, take it with {@link #withEngine}.
   */
  public Generation generation() {
    return current;
  }

  /**
   * Applies {@code ready} to the engine of {@code namespace} ({@code ""}: the cluster's), held for
   * the call: its configuration stays open until {@code ready} returns, even when a new generation
   * replaces it meanwhile. A configuration closed before it could be held is never used; the newer
   * generation is. A scope without an engine, and every scope once the controller is closed, goes
   * to {@code unavailable}.
   *
   * @param ready gets the held executor and its configuration (for settings; its stores are open
   *     while the executor is held)
   */
  public <T> T withEngine(
      String namespace,
      BiFunction<ConfiguredExecutor, VerificationConfig, T> ready,
      Function<Engine.Unavailable, T> unavailable) {
    while (true) {
      Generation g = current;
      if (closed || g == null) {
        String scope =
            namespace == null || namespace.isEmpty() ? "the cluster" : "namespace " + namespace;
        return unavailable.apply(
            new Engine.Unavailable(
                scope,
                closed
                    ? "the resource controller is stopped"
                    : "the resources have not been loaded yet"));
      }
      switch (g.engine(namespace)) {
        case Engine.Unavailable u -> {
          return unavailable.apply(u);
        }
        case Engine.Ready r -> {
          Optional<ConfiguredExecutor> held = r.configuration().hold();
          if (held.isPresent()) {
            try (ConfiguredExecutor executor = held.get()) {
              return ready.apply(executor, r.configuration().config());
            }
          }
          // Replaced and closed between the read and the hold (or the controller closed): the
          // next read sees the generation that replaced it.
          Thread.onSpinWait();
        }
      }
    }
  }

  /** Called on the controller's thread after each new generation is published. */
  public void onGeneration(Consumer<Generation> listener) {
    listeners.add(listener);
  }

  private void watchAll() {
    watch(Store.class);
    watch(NamespacedStore.class);
    watch(Verifier.class);
    watch(NamespacedVerifier.class);
    watch(Policy.class);
    watch(NamespacedPolicy.class);
    watch(KeyManagementProvider.class);
    watch(NamespacedKeyManagementProvider.class);
    watch(CertificateStore.class);
  }

  private <T extends CustomResource<?, ?>> void watch(Class<T> kind) {
    ResourceEventHandler<T> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            requestBuild();
          }

          @Override
          public void onUpdate(T before, T after) {
            // Status writes (ours) and resyncs change no spec: nothing to build.
            if (!sameSpec(before, after)) {
              requestBuild();
            }
          }

          @Override
          public void onDelete(T obj, boolean finalStateUnknown) {
            requestBuild();
          }
        };
    SharedIndexInformer<T> informer =
        Namespaced.class.isAssignableFrom(kind)
            ? client.resources(kind).inAnyNamespace().inform(handler, 0)
            : client.resources(kind).inform(handler, 0);
    informers.add(informer);
  }

  private static boolean sameSpec(CustomResource<?, ?> a, CustomResource<?, ?> b) {
    return Objects.equals(
        StrictJson.MAPPER.valueToTree(a.getSpec()), StrictJson.MAPPER.valueToTree(b.getSpec()));
  }

  /** Coalesces events: one build runs after any number of changes that arrive while one waits. */
  private void requestBuild() {
    if (pending.compareAndSet(false, true) && !worker.isShutdown()) {
      worker.execute(this::build);
    }
  }

  private void checkBase() {
    try {
      if (readBase(false)) {
        requestBuild();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot check {0}: {1}", settings.baseConfig(), e);
    }
  }

  /** Reads the base file when it changed; a broken file keeps the last good one (logged). */
  private boolean readBase(boolean first) {
    if (settings.baseConfig() == null) {
      base = StrictJson.MAPPER.createObjectNode();
      return false;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(settings.baseConfig());
    } catch (IOException e) {
      if (first) {
        throw new IllegalArgumentException(
            "cannot read the configuration file " + settings.baseConfig() + ": " + e.getMessage(), e);
      }
      LOG.log(System.Logger.Level.WARNING, "cannot read {0}: {1}", settings.baseConfig(), e);
      return false;
    }
    String hash = Digest.sha256(bytes).hex();
    if (hash.equals(baseHash)) {
      return false;
    }
    try {
      base = (ObjectNode) StrictJson.parseObject(bytes, MAX_BASE_CONFIG_BYTES, "configuration");
      baseHash = hash;
      return true;
    } catch (JsonFormatException e) {
      if (first) {
        throw new IllegalArgumentException(
            "invalid configuration " + settings.baseConfig() + ": " + e.getMessage(), e);
      }
      baseHash = hash;
      LOG.log(
          System.Logger.Level.WARNING,
          "keeping the last good {0}: {1}",
          settings.baseConfig(),
          e.getMessage());
      return false;
    }
  }

  /** Runs on the worker thread only. */
  private void build() {
    if (!watching) {
      return; // an event during start-up: the first build follows
    }
    pending.set(false);
    try {
      Snapshot snapshot = snapshot();
      Translator.Build b = translator.translate(snapshot, base);
      Generation published = publish(b);
      if (published != null) {
        LOG.log(System.Logger.Level.INFO, "resources loaded as generation {0}", published.number());
        listeners.forEach(l -> l.accept(published));
      }
      writeStatuses(snapshot, b.outcomes());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot apply the resources; the engines in use stay: {0}", e);
    }
    scheduleRefresh();
  }

  /**
   * Makes the build's engines the ones in use when they differ from them, then retires every
   * configuration the generation in use does not have: the replaced ones, and the built ones that
   * are not published (nothing changed, or the controller is closed).
   *
   * @return the generation published, or null
   */
  private synchronized Generation publish(Translator.Build b) {
    Generation before = current;
    Generation built =
        new Generation(before == null ? 1 : before.number() + 1, b.cluster(), b.namespaces());
    boolean publish = !closed && (before == null || changed(before, b));
    if (publish) {
      current = built;
    }
    Set<ConfigGeneration> inUse =
        closed ? Set.of() : new HashSet<>(current.configurations());
    Stream.concat(
            before == null ? Stream.empty() : before.configurations().stream(),
            built.configurations().stream())
        .filter(c -> !inUse.contains(c))
        .forEach(ConfigGeneration::retire);
    return publish ? built : null;
  }

  /** Schedules a build for when the next provider refresh is due by the runtime's clock. */
  private void scheduleRefresh() {
    if (refreshTimer != null) {
      refreshTimer.cancel(false);
      refreshTimer = null;
    }
    java.time.Instant next = translator.nextRefresh();
    if (next != null && !worker.isShutdown()) {
      long delay =
          Math.max(0, Duration.between(settings.runtime().clock().instant(), next).toMillis());
      refreshTimer = worker.schedule(this::requestBuild, delay, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Refreshes now, on the controller's thread, the key management providers whose {@code
   * refreshInterval} has passed by the runtime's clock, publishes the generation that follows and
   * writes the statuses; returns when done. The controller does this by itself when a refresh is
   * due; tests with their own clock call it after moving the clock.
   */
  public void refreshDue() {
    try {
      worker.submit(this::build).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the refresh failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while refreshing", e);
    }
  }

  /**
   * Key management provider fetches so far (the first one and each refresh), counted by {@code
   * [provider, type, outcome]}, where the provider is {@code NAME} or {@code NAMESPACE/NAME} and
   * the outcome {@code success} or {@code failure}.
   */
  public Map<List<String>, Long> providerFetches() {
    return translator.fetchCounts();
  }

  private static boolean changed(Generation before, Translator.Build b) {
    if (!same(before.cluster(), b.cluster()) || !before.namespaces().keySet().equals(b.namespaces().keySet())) {
      return true;
    }
    for (Map.Entry<String, Engine> e : b.namespaces().entrySet()) {
      if (!same(before.namespaces().get(e.getKey()), e.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(Engine a, Engine b) {
    return a instanceof Engine.Ready ? a == b : Objects.equals(a, b);
  }

  private Snapshot snapshot() {
    return new Snapshot(
        list(Store.class),
        list(NamespacedStore.class),
        list(Verifier.class),
        list(NamespacedVerifier.class),
        list(Policy.class),
        list(NamespacedPolicy.class),
        list(KeyManagementProvider.class),
        list(NamespacedKeyManagementProvider.class),
        list(CertificateStore.class));
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> list(Class<T> kind) {
    for (SharedIndexInformer<? extends HasMetadata> i : informers) {
      if (i.getApiTypeClass().equals(kind)) {
        return (List<T>)
            i.getStore().list().stream()
                .sorted(
                    java.util.Comparator.comparing(
                        (HasMetadata r) -> ResourceId.of(r).reference()))
                .toList();
      }
    }
    throw new IllegalStateException("no watch for " + kind.getSimpleName());
  }

  private void writeStatuses(Snapshot s, Map<ResourceId, Outcome> outcomes) {
    java.util.stream.Stream.of(
            s.stores(), s.namespacedStores(), s.verifiers(), s.namespacedVerifiers(),
            s.policies(), s.namespacedPolicies(), s.providers(), s.namespacedProviders(),
            s.certificateStores())
        .flatMap(List::stream)
        .forEach(
            r -> {
              Outcome o = outcomes.get(ResourceId.of(r));
              if (o != null) {
                statuses.write((CustomResource<?, ?>) r, o);
              }
            });
  }

  /**
   * Stops the watches and builds and retires the engines in use: each is closed once no decision
   * holds it. Decisions taken after this fail ({@link #withEngine}).
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (current != null) {
        current.configurations().forEach(ConfigGeneration::retire);
      }
    }
    informers.forEach(SharedIndexInformer::close);
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
