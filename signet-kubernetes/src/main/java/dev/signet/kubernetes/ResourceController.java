package dev.signet.kubernetes;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code signet serve} as a controller of Ratify's custom resources: watches every kind of
 * {@code config.ratify.deislabs.io}, builds the engines they describe on one thread after each
 * change, publishes them as a new {@link Generation} in one volatile write, and writes each
 * resource's status. Decisions read {@link #generation()} once and finish on what they read.
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

  private volatile Generation current;
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

  /** The engines in use now. */
  public Generation generation() {
    return current;
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
      Generation before = current;
      if (before == null || changed(before, b)) {
        current = new Generation(before == null ? 1 : before.number() + 1, b.cluster(), b.namespaces());
        LOG.log(System.Logger.Level.INFO, "resources loaded as generation {0}", current.number());
        listeners.forEach(l -> l.accept(current));
      }
      writeStatuses(snapshot, b.outcomes());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot apply the resources; the engines in use stay: {0}", e);
    }
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

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
