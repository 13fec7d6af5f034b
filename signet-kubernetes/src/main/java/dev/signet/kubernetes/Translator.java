package dev.signet.kubernetes;

import static dev.signet.kubernetes.PluginTrees.policyPlugin;
import static dev.signet.kubernetes.PluginTrees.spec;
import static dev.signet.kubernetes.PluginTrees.storePlugin;
import static dev.signet.kubernetes.PluginTrees.verifierPlugin;

import dev.signet.config.ConfigException;
import dev.signet.engine.ConfigGeneration;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.kubernetes.KeyProviders.Fetched;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.PluginSpec;
import dev.signet.kubernetes.resource.PolicySpec;
import dev.signet.kubernetes.resource.VerifierSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a {@link Snapshot} of resources into an engine per scope, the way Ratify applies them: a
 * namespace with namespaced resources of a kind uses those, otherwise the cluster-scoped ones of that
 * kind. Each scope becomes a config.json tree (the ConfigMap's file for what resources do not set)
 * that {@link VerificationConfig} loads, so resources mean exactly what config.json means.
 *
 * <p>{@link KeyProviders} fetches the providers' material and {@link PluginTrees} turns each
 * resource into its plugin tree; this class puts the trees of a scope together and loads them. A
 * resource that does not translate or load gets a status error and is left out; when an earlier
 * version of it was accepted, that version stays in use, so a bad edit never half-applies. Runs on the
 * controller's one thread; not thread-safe.
 */
final class Translator {
  private static final Pattern PLUGIN = Pattern.compile("\\b(store|verifier)\\.plugins\\[(\\d+)]");

  private final Path workDir;
  private final VerificationConfig.Runtime runtime;
  private final KeyProviders providers;
  private final AtomicLong generations;

  /** Plugin trees last accepted, per resource (with its uid: a re-created resource starts anew). */
  private final Map<ResourceId, Accepted> lastGood = new HashMap<>();
  /** The engine of each scope and the config.json text it was built from, for reuse. */
  private final Map<String, Built> built = new HashMap<>();

  private record Accepted(String uid, ObjectNode plugin) {}

  private record Built(String configText, Engine.Ready engine) {}

  /** One resource's part of a scope's configuration. */
  private record Part(ResourceId id, String uid, ObjectNode plugin, boolean current) {}

  /** The engines of a snapshot and the outcome of each resource. */
  record Build(Engine cluster, Map<String, Engine> namespaces, Map<ResourceId, Outcome> outcomes) {}

  Translator(
      Path workDir,
      VerificationConfig.Runtime runtime,
      ProviderTypes types,
      AtomicLong generations) {
    this.workDir = workDir;
    this.runtime = runtime;
    this.providers = new KeyProviders(workDir, types, runtime.clock());
    this.generations = generations;
  }

  /**
   * The engines of {@code s}. An engine whose configuration text did not change since the last
   * build is reused; the others are loaded anew and belong to the caller, who retires the ones it
   * does not publish. When the translation fails, the engines it loaded are retired here and the
   * engines of the last build stay the ones to reuse.
   */
  Build translate(Snapshot s, ObjectNode base) {
    Map<String, Built> before = new HashMap<>(built);
    try {
      return translateAll(s, base);
    } catch (RuntimeException e) {
      Set<Built> kept = new HashSet<>(before.values());
      built.values().stream()
          .filter(b -> !kept.contains(b))
          .forEach(b -> b.engine().configuration().retire());
      built.clear();
      built.putAll(before);
      throw e;
    }
  }

  private Build translateAll(Snapshot s, ObjectNode base) {
    Map<ResourceId, Outcome> outcomes = new LinkedHashMap<>();
    Map<String, Fetched> fetched = providers.fetchAll(s, outcomes);
    Engine cluster =
        scope("the cluster", "", s.stores(), s.verifiers(), s.policies(), base, fetched, outcomes);
    Set<String> namespaces = new TreeSet<>();
    Stream.of(s.namespacedStores(), s.namespacedVerifiers(), s.namespacedPolicies())
        .flatMap(List::stream)
        .forEach(r -> namespaces.add(r.getMetadata().getNamespace()));
    Map<String, Engine> engines = new LinkedHashMap<>();
    for (String ns : namespaces) {
      engines.put(
          ns,
          scope(
              "namespace " + ns,
              ns,
              orCluster(inNamespace(s.namespacedStores(), ns), s.stores()),
              orCluster(inNamespace(s.namespacedVerifiers(), ns), s.verifiers()),
              orCluster(inNamespace(s.namespacedPolicies(), ns), s.policies()),
              base,
              fetched,
              outcomes));
    }
    built.keySet().retainAll(Stream.concat(Stream.of(""), namespaces.stream()).toList());
    Set<ResourceId> present = new HashSet<>(outcomes.keySet());
    lastGood.keySet().retainAll(present);
    providers.keepOnly(present);
    return new Build(cluster, engines, outcomes);
  }

  private static <T extends HasMetadata> List<? extends HasMetadata> inNamespace(
      List<T> resources, String namespace) {
    return resources.stream().filter(r -> namespace.equals(r.getMetadata().getNamespace())).toList();
  }

  private static List<? extends HasMetadata> orCluster(
      List<? extends HasMetadata> own, List<? extends HasMetadata> cluster) {
    return own.isEmpty() ? cluster : own;
  }

  /** When the next provider refresh (or retry of a failed fetch) is due; null when none is. */
  Instant nextRefresh() {
    return providers.nextRefresh();
  }

  /** Fetches so far by {@code [provider, type, outcome]}; safe to read from any thread. */
  Map<List<String>, Long> fetchCounts() {
    return providers.fetchCounts();
  }

  // ---- scopes

  private Engine scope(
      String label,
      String namespace,
      List<? extends HasMetadata> stores,
      List<? extends HasMetadata> verifiers,
      List<? extends HasMetadata> policies,
      ObjectNode base,
      Map<String, Fetched> fetched,
      Map<ResourceId, Outcome> outcomes) {
    Function<HasMetadata, Boolean> own =
        r -> Objects.equals(r.getMetadata().getNamespace(), namespace.isEmpty() ? null : namespace);
    List<Part> storeParts = new ArrayList<>();
    for (HasMetadata r : stores) {
      part(r, own.apply(r), outcomes, () -> storePlugin((PluginSpec) spec(r)))
          .ifPresent(storeParts::add);
    }
    List<Part> verifierParts = new ArrayList<>();
    for (HasMetadata r : verifiers) {
      part(r, own.apply(r), outcomes,
              () -> verifierPlugin(r, (VerifierSpec) spec(r), namespace, fetched))
          .ifPresent(verifierParts::add);
    }
    List<Part> policyParts = new ArrayList<>();
    for (HasMetadata r : policies) {
      part(r, own.apply(r), outcomes, () -> policyPlugin(r, (PolicySpec) spec(r)))
          .ifPresent(policyParts::add);
    }
    for (int attempt = 0; ; attempt++) {
      String missing = missing(label, base, storeParts, verifierParts, policyParts);
      if (missing != null) {
        built.remove(namespace);
        return new Engine.Unavailable(label, missing);
      }
      ObjectNode root = base.deepCopy();
      if (!storeParts.isEmpty()) {
        root.set("store", section("plugins", plugins(storeParts)));
      }
      if (!verifierParts.isEmpty()) {
        root.set("verifier", section("plugins", plugins(verifierParts)));
      }
      if (!policyParts.isEmpty()) {
        root.set("policy", section("plugin", policyParts.getFirst().plugin()));
      }
      String text = StrictJson.MAPPER.writeValueAsString(root);
      Built previous = built.get(namespace);
      Engine.Ready engine;
      try {
        engine =
            previous != null && previous.configText().equals(text)
                ? previous.engine()
                : load(namespace, text);
      } catch (ConfigException e) {
        Part culprit = culprit(e.getMessage(), storeParts, verifierParts, policyParts);
        if (culprit == null || attempt > stores.size() + verifiers.size() + policies.size()) {
          built.remove(namespace);
          return new Engine.Unavailable(label, e.getMessage());
        }
        if (own.apply(resourceOf(culprit, stores, verifiers, policies))) {
          outcomes.put(culprit.id(), Outcome.failed(clean(e.getMessage())));
        }
        replace(culprit, storeParts, verifierParts, policyParts);
        continue;
      }
      built.put(namespace, new Built(text, engine));
      for (Part p : concat(storeParts, verifierParts, policyParts)) {
        if (p.current()) {
          lastGood.put(p.id(), new Accepted(p.uid(), p.plugin()));
          if (own.apply(resourceOf(p, stores, verifiers, policies))) {
            outcomes.putIfAbsent(p.id(), Outcome.ok());
          }
        }
      }
      return engine;
    }
  }

  private interface Translation {
    ObjectNode plugin() throws PluginTrees.InvalidResource;
  }

  /** The resource's plugin tree; if it is invalid, its status says why and the last good one stands in. */
  private java.util.Optional<Part> part(
      HasMetadata r, boolean own, Map<ResourceId, Outcome> outcomes, Translation translation) {
    ResourceId id = ResourceId.of(r);
    String uid = r.getMetadata().getUid();
    try {
      return java.util.Optional.of(new Part(id, uid, translation.plugin(), true));
    } catch (PluginTrees.InvalidResource | RuntimeException e) {
      if (own) {
        outcomes.put(id, Outcome.failed(e.getMessage()));
      }
      Accepted good = e instanceof PluginTrees.EmptyProvider ? null : lastGood.get(id);
      return java.util.Optional.ofNullable(
          good == null || !Objects.equals(good.uid(), uid)
              ? null
              : new Part(id, uid, good.plugin(), false));
    }
  }

  /** Why the scope has no engine at all, or null when it has every section. */
  private static String missing(
      String label, ObjectNode base, List<Part> stores, List<Part> verifiers, List<Part> policies) {
    List<String> absent = new ArrayList<>();
    if (stores.isEmpty() && !base.has("store")) {
      absent.add("Store");
    }
    if (verifiers.isEmpty() && !base.has("verifier")) {
      absent.add("Verifier");
    }
    if (policies.isEmpty() && !base.has("policy")) {
      absent.add("Policy (named " + PluginTrees.POLICY_NAME + ")");
    }
    if (absent.isEmpty()) {
      return null;
    }
    return "no valid "
        + String.join(", ", absent)
        + " applies to "
        + label
        + ", so every image there fails verification; create one (or fix the one whose status"
        + " shows an error)";
  }

  private Engine.Ready load(String namespace, String text) throws ConfigException {
    Path file =
        workDir.resolve("scopes").resolve((namespace.isEmpty() ? "cluster" : "ns-" + namespace) + ".json");
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    write(temp, text.getBytes(StandardCharsets.UTF_8));
    try {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    VerificationConfig config = VerificationConfig.load(file, runtime);
    return new Engine.Ready(ConfigGeneration.local(config, generations.incrementAndGet()));
  }

  /** The part a load error names ({@code verifier.plugins[1]...}, {@code policy...}), or null. */
  private static Part culprit(
      String message, List<Part> stores, List<Part> verifiers, List<Part> policies) {
    Matcher m = PLUGIN.matcher(message);
    if (m.find()) {
      List<Part> parts = m.group(1).equals("store") ? stores : verifiers;
      int i = Integer.parseInt(m.group(2));
      return i < parts.size() ? parts.get(i) : null;
    }
    if (message.contains("policy.plugin") && !policies.isEmpty()) {
      return policies.getFirst();
    }
    return null;
  }

  /** Puts the last good version in place of a failing part, or drops it. */
  private void replace(Part culprit, List<Part> stores, List<Part> verifiers, List<Part> policies) {
    Accepted good = lastGood.get(culprit.id());
    for (List<Part> parts : List.of(stores, verifiers, policies)) {
      int i = parts.indexOf(culprit);
      if (i >= 0) {
        if (culprit.current() && good != null && Objects.equals(good.uid(), culprit.uid())) {
          parts.set(i, new Part(culprit.id(), culprit.uid(), good.plugin(), false));
        } else {
          parts.remove(i);
          lastGood.remove(culprit.id());
        }
      }
    }
  }

  private static HasMetadata resourceOf(
      Part part,
      List<? extends HasMetadata> stores,
      List<? extends HasMetadata> verifiers,
      List<? extends HasMetadata> policies) {
    return Stream.of(stores, verifiers, policies)
        .flatMap(List::stream)
        .filter(r -> ResourceId.of(r).equals(part.id()))
        .findFirst()
        .orElseThrow();
  }

  /** The load error without the temporary file's name. */
  private static String clean(String message) {
    int i = message.indexOf(".json: ");
    return i >= 0 && message.startsWith("invalid configuration ") ? message.substring(i + 7) : message;
  }

  @SafeVarargs
  private static List<Part> concat(List<Part>... lists) {
    return Stream.of(lists).flatMap(List::stream).toList();
  }

  private static ArrayNode plugins(List<Part> parts) {
    ArrayNode array = StrictJson.MAPPER.createArrayNode();
    parts.forEach(p -> array.add(p.plugin().deepCopy()));
    return array;
  }

  private static ObjectNode section(String key, JsonNode value) {
    ObjectNode s = StrictJson.MAPPER.createObjectNode();
    s.put("version", "1.0.0");
    s.set(key, value);
    return s;
  }

  /** Writes a file of the work directory, creating its directory. */
  static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
