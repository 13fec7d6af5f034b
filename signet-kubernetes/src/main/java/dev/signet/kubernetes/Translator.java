package dev.signet.kubernetes;

import dev.signet.artifact.AgeLimit;
import dev.signet.config.ConfigException;
import dev.signet.cosign.PublicKeys;
import dev.signet.engine.ConfigGeneration;
import dev.signet.engine.VerificationConfig;
import dev.signet.json.StrictJson;
import dev.signet.kubernetes.kmp.KeyManagementException;
import dev.signet.kubernetes.kmp.KeyMaterial;
import dev.signet.kubernetes.kmp.KeySource;
import dev.signet.kubernetes.kmp.ProviderType;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.kubernetes.resource.PluginSpec;
import dev.signet.kubernetes.resource.PolicySpec;
import dev.signet.kubernetes.resource.VerifierSpec;
import dev.signet.notation.truststore.NamedTrustStore;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.reference.Digest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
 * <p>A resource that does not translate or load gets a status error and is left out; when an earlier
 * version of it was accepted, that version stays in use, so a bad edit never half-applies. Runs on the
 * controller's one thread; not thread-safe.
 */
final class Translator {
  static final String POLICY_NAME = "ratify-policy";
  private static final Pattern PLUGIN = Pattern.compile("\\b(store|verifier)\\.plugins\\[(\\d+)]");
  private static final Set<String> STORE_TYPES = Set.of("ca", "tsa", "signingAuthority");
  /** The shortest refresh interval used: a shorter one would only load the vault. */
  static final Duration MIN_REFRESH = Duration.ofSeconds(10);
  /** When a provider whose fetch failed is tried again (at most its refresh interval). */
  static final Duration RETRY = Duration.ofMinutes(1);

  private final Path workDir;
  private final VerificationConfig.Runtime runtime;
  private final ProviderTypes types;
  private final Clock clock;
  private final AtomicLong generations;

  /** Plugin trees last accepted, per resource (with its uid: a re-created resource starts anew). */
  private final Map<ResourceId, Accepted> lastGood = new HashMap<>();
  /** What each provider fetched, with the spec it was fetched for. */
  private final Map<ResourceId, Fetched> fetched = new HashMap<>();
  /** Fetches by provider, type and outcome, for the metrics. */
  private final Map<List<String>, Long> fetches = new java.util.concurrent.ConcurrentHashMap<>();
  /** The engine of each scope and the config.json text it was built from, for reuse. */
  private final Map<String, Built> built = new HashMap<>();

  /**
   * What a provider gave: its source (null when it could not be opened), when to fetch again (null:
   * only when its spec changes), its certificates' file (or null), its public keys as PEM, when
   * that material was fetched, and its status.
   */
  private record Fetched(
      String spec,
      KeySource source,
      Instant next,
      Path pem,
      List<String> keyPems,
      Instant materialAt,
      Outcome outcome) {
    boolean usable() {
      return pem != null || !keyPems.isEmpty();
    }
  }

  private record Accepted(String uid, ObjectNode plugin) {}

  private record Built(String configText, Engine.Ready engine) {}

  /** One resource's part of a scope's configuration. */
  private record Part(ResourceId id, String uid, ObjectNode plugin, boolean current) {}

  /** A resource that cannot be used, and why. */
  static class InvalidResource extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidResource(String message) {
      super(message);
    }
  }

  /**
   * A verifier naming a provider that holds nothing (its certificates were removed from the vault,
   * or it never fetched any), or a cosign verifier naming one that holds no keys: the verifier's
   * last good version does not stand in, because that would keep trusting what the provider no
   * longer has.
   */
  static final class EmptyProvider extends InvalidResource {
    private static final long serialVersionUID = 1L;

    EmptyProvider(String message) {
      super(message);
    }
  }

  /** The engines of a snapshot and the outcome of each resource. */
  record Build(Engine cluster, Map<String, Engine> namespaces, Map<ResourceId, Outcome> outcomes) {}

  Translator(
      Path workDir,
      VerificationConfig.Runtime runtime,
      ProviderTypes types,
      AtomicLong generations) {
    this.workDir = workDir;
    this.runtime = runtime;
    this.types = types;
    this.clock = runtime.clock();
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
    Map<String, Fetched> providers = providers(s, outcomes);
    Engine cluster =
        scope("the cluster", "", s.stores(), s.verifiers(), s.policies(), base, providers, outcomes);
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
              providers,
              outcomes));
    }
    built.keySet().retainAll(Stream.concat(Stream.of(""), namespaces.stream()).toList());
    Set<ResourceId> present = new HashSet<>(outcomes.keySet());
    lastGood.keySet().retainAll(present);
    fetched.keySet().retainAll(present);
    removeUnusedPemFiles();
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

  // ---- key management providers

  /** Fetches what changed and returns every provider by the name verifiers use for it. */
  private Map<String, Fetched> providers(Snapshot s, Map<ResourceId, Outcome> outcomes) {
    Map<String, Fetched> byReference = new LinkedHashMap<>();
    Stream.of(s.providers(), s.namespacedProviders())
        .flatMap(List::stream)
        .forEach(
            r -> {
              Fetched f = fetch(r, r.getSpec() == null ? null : r.getSpec().type,
                  r.getSpec() == null ? null : r.getSpec().parameters,
                  r.getSpec() == null ? null : r.getSpec().refreshInterval);
              outcomes.put(ResourceId.of(r), f.outcome());
              byReference.put(ResourceId.of(r).reference(), f);
            });
    for (var r : s.certificateStores()) {
      Fetched f = fetch(r, r.getSpec() == null ? null : r.getSpec().provider,
          r.getSpec() == null ? null : r.getSpec().parameters, null);
      ResourceId id = ResourceId.of(r);
      outcomes.put(id, f.outcome());
      byReference.put(id.reference(), f);
      // Ratify's CertificateStore was named without its namespace; a provider of that name wins.
      byReference.putIfAbsent(id.name(), f);
    }
    return byReference;
  }

  /**
   * The provider's material: what was fetched before while its spec is the same and no refresh is
   * due, otherwise fetched now. A fetch that fails keeps the material fetched before (status: the
   * error, and since when the material is kept).
   */
  private Fetched fetch(
      CustomResource<?, ?> resource,
      String type,
      Map<String, Object> parameters,
      String refreshInterval) {
    ResourceId id = ResourceId.of(resource);
    String spec = StrictJson.MAPPER.writeValueAsString(resource.getSpec());
    Instant now = clock.instant();
    Fetched cached = fetched.get(id);
    boolean sameSpec = cached != null && cached.spec().equals(spec);
    if (sameSpec && (cached.next() == null || now.isBefore(cached.next()))) {
      return cached;
    }
    KeySource source = sameSpec ? cached.source() : null;
    Duration interval = null;
    Fetched result;
    try {
      interval = refreshInterval(refreshInterval);
      if (source == null) {
        source = type(type).open(id.reference(), parameters);
      }
      KeyMaterial material = source.fetch();
      List<X509Certificate> anchors = anchors(material.certificates());
      Path pem = anchors.isEmpty() ? null : writePem(anchors);
      List<String> keys = material.keys().stream().map(PublicKeys::pem).toList();
      String problem = material.problem();
      if (anchors.isEmpty() && !material.certificates().isEmpty() && problem.isEmpty()) {
        problem = NamedTrustStore.NO_VALID_CERTIFICATES + " (none of the "
            + material.certificates().size() + " certificates fetched is one)";
      }
      result =
          new Fetched(spec, source, next(source, interval, now), pem, keys, now,
              new Outcome(problem, material.properties(), now));
    } catch (KeyManagementException | RuntimeException e) {
      String error = e.getMessage() == null ? e.toString() : e.getMessage();
      Instant retry = source == null ? null : now.plus(min(RETRY, interval));
      result =
          cached != null && cached.usable()
              ? new Fetched(spec, source, retry, cached.pem(), cached.keyPems(), cached.materialAt(),
                  new Outcome(error + "; the certificates and keys fetched at " + cached.materialAt()
                      + " stay in use", cached.outcome().properties(), now))
              : new Fetched(spec, source, retry, null, List.of(), null,
                  new Outcome(error, Map.of(), now));
    }
    fetched.put(id, result);
    String outcome = result.outcome().success() ? "success" : "failure";
    fetches.merge(List.of(id.reference(), String.valueOf(type), outcome), 1L, Long::sum);
    return result;
  }

  /**
   * Ratify's trust store rule for provider certificates: only CA certificates and self-signed
   * signing certificates are trust anchors; the leaf of a chain read from a vault is left out.
   */
  private static List<X509Certificate> anchors(List<X509Certificate> certificates) {
    return certificates.stream()
        .filter(c -> CertificateChains.isCa(c) || CertificateChains.isSelfSigned(c))
        .toList();
  }

  private ProviderType type(String type) throws KeyManagementException {
    return types
        .find(type)
        .orElseThrow(
            () ->
                new KeyManagementException(
                    "key management provider type \""
                        + type
                        + "\" is not supported; supported types: "
                        + types.names()));
  }

  /** Ratify's {@code spec.refreshInterval}: a Go duration; empty or absent: no refresh. */
  private static Duration refreshInterval(String text) throws KeyManagementException {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      Duration d = AgeLimit.parse(text);
      return d.compareTo(MIN_REFRESH) < 0 ? MIN_REFRESH : d;
    } catch (IllegalArgumentException e) {
      throw new KeyManagementException("spec.refreshInterval: " + e.getMessage());
    }
  }

  private static Instant next(KeySource source, Duration interval, Instant now) {
    return source.refreshable() && interval != null ? now.plus(interval) : null;
  }

  private static Duration min(Duration a, Duration b) {
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }

  /** When the next provider refresh (or retry of a failed fetch) is due; null when none is. */
  Instant nextRefresh() {
    return fetched.values().stream()
        .map(Fetched::next)
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .orElse(null);
  }

  /** Fetches so far by {@code [provider, type, outcome]}; safe to read from any thread. */
  Map<List<String>, Long> fetchCounts() {
    return Map.copyOf(fetches);
  }

  /**
   * The cosign verifier's {@code trustPolicies[].keys[]} entries that name a provider ({@code
   * {"provider": "NAME"}}) become the provider's public keys, inline ({@code "pem"}).
   */
  private static void cosignKeys(ObjectNode plugin, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    JsonNode policies = plugin.get("trustPolicies");
    if (policies == null || !policies.isArray()) {
      return;
    }
    int i = 0;
    for (JsonNode policy : policies) {
      String at = "spec.parameters.trustPolicies[" + i++ + "].keys";
      if (!(policy instanceof ObjectNode p) || !(p.get("keys") instanceof ArrayNode keys)) {
        continue;
      }
      ArrayNode resolved = StrictJson.MAPPER.createArrayNode();
      for (JsonNode key : keys) {
        String ref = key.path("provider").asString("");
        if (ref.isEmpty()) {
          resolved.add(key);
          continue;
        }
        if (key.has("name") || key.has("version")) {
          // Trusting every key of the provider instead of the one named would trust too much.
          throw new InvalidResource(at + ": choosing one key of provider \"" + ref + "\" by name"
              + " or version is not supported; list only that key in a KeyManagementProvider of"
              + " its own and name the provider alone");
        }
        Fetched f = provider(ref, at, namespace, providers);
        if (f.keyPems().isEmpty()) {
          // Its keys were disabled or removed: the verifier's earlier keys must not stand in.
          throw new EmptyProvider(at + " names key management provider \"" + ref + "\", which"
              + " holds no public keys" + (f.outcome().error().isEmpty() ? ""
                  : ": " + f.outcome().error()));
        }
        for (String pem : f.keyPems()) {
          resolved.addObject().put("provider", ref).put("pem", pem);
        }
      }
      p.set("keys", resolved);
    }
  }

  /** Certificates in a file named by their content, so equal material gives equal configuration. */
  private Path writePem(List<X509Certificate> certificates) {
    StringBuilder pem = new StringBuilder();
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    for (X509Certificate c : certificates) {
      try {
        pem.append("-----BEGIN CERTIFICATE-----\n")
            .append(b64.encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("a parsed certificate does not encode: " + e.getMessage(), e);
      }
    }
    byte[] bytes = pem.toString().getBytes(StandardCharsets.US_ASCII);
    Path file = workDir.resolve("certs").resolve(Digest.sha256(bytes).hex() + ".pem");
    if (!Files.exists(file)) {
      write(file, bytes);
    }
    return file;
  }

  private void removeUnusedPemFiles() {
    Set<Path> used = new HashSet<>();
    fetched.values().forEach(f -> used.add(f.pem()));
    Path dir = workDir.resolve("certs");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (!used.contains(f)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
  }

  // ---- scopes

  private Engine scope(
      String label,
      String namespace,
      List<? extends HasMetadata> stores,
      List<? extends HasMetadata> verifiers,
      List<? extends HasMetadata> policies,
      ObjectNode base,
      Map<String, Fetched> providers,
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
              () -> verifierPlugin(r, (VerifierSpec) spec(r), namespace, providers))
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
    ObjectNode plugin() throws InvalidResource;
  }

  /** The resource's plugin tree; if it is invalid, its status says why and the last good one stands in. */
  private java.util.Optional<Part> part(
      HasMetadata r, boolean own, Map<ResourceId, Outcome> outcomes, Translation translation) {
    ResourceId id = ResourceId.of(r);
    String uid = r.getMetadata().getUid();
    try {
      return java.util.Optional.of(new Part(id, uid, translation.plugin(), true));
    } catch (InvalidResource | RuntimeException e) {
      if (own) {
        outcomes.put(id, Outcome.failed(e.getMessage()));
      }
      Accepted good = e instanceof EmptyProvider ? null : lastGood.get(id);
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
      absent.add("Policy (named " + POLICY_NAME + ")");
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

  // ---- one resource to one plugin tree

  private static Object spec(HasMetadata r) {
    return ((CustomResource<?, ?>) r).getSpec();
  }

  private static ObjectNode parameters(Map<String, Object> parameters) {
    return parameters == null
        ? StrictJson.MAPPER.createObjectNode()
        : (ObjectNode) StrictJson.MAPPER.valueToTree(parameters);
  }

  private static void noDownloads(PluginSpec spec) throws InvalidResource {
    if (spec.source != null || (spec.address != null && !spec.address.isEmpty())) {
      throw new InvalidResource(
          "spec.source and spec.address name a plugin to download; Signet runs only its built-in"
              + " plugins (stores: oras, ocilayout; verifiers: notation, cosign, sbom, licensechecker,"
              + " vulnerabilityreport, schemavalidator): remove them");
    }
  }

  private static ObjectNode storePlugin(PluginSpec spec) throws InvalidResource {
    if (spec == null || spec.name == null || spec.name.isBlank()) {
      throw new InvalidResource("spec.name is required: the store plugin, such as oras");
    }
    noDownloads(spec);
    ObjectNode plugin = parameters(spec.parameters);
    plugin.put("name", spec.name);
    return plugin;
  }

  private static ObjectNode verifierPlugin(
      HasMetadata r, VerifierSpec spec, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    if (spec == null || spec.name == null || spec.name.isBlank()) {
      throw new InvalidResource("spec.name is required: the verifier plugin, such as notation");
    }
    if (spec.artifactTypes == null || spec.artifactTypes.isBlank()) {
      throw new InvalidResource(
          "spec.artifactTypes is required, such as application/vnd.cncf.notary.signature");
    }
    noDownloads(spec);
    ObjectNode plugin = parameters(spec.parameters);
    // Ratify reports the resource's name as the verifier's name and spec.name as its type.
    plugin.put("name", r.getMetadata().getName());
    plugin.put("type", spec.name);
    plugin.put("artifactTypes", spec.artifactTypes);
    JsonNode stores = plugin.get("verificationCertStores");
    if (stores != null) {
      if (!stores.isObject()) {
        throw new InvalidResource("spec.parameters.verificationCertStores must be an object");
      }
      plugin.set("verificationCertStores", certStores((ObjectNode) stores, namespace, providers));
    }
    if ("cosign".equals(spec.name)) {
      cosignKeys(plugin, namespace, providers);
    }
    return plugin;
  }

  /**
   * {@code {"ca": {"STORE": ["PROVIDER", "NS/PROVIDER"]}}} (or the legacy {@code {"STORE": [...]}})
   * with each provider replaced by the file of its certificates.
   */
  private static ObjectNode certStores(
      ObjectNode stores, String namespace, Map<String, Fetched> providers) throws InvalidResource {
    boolean typed = stores.propertyNames().stream().anyMatch(STORE_TYPES::contains);
    if (!typed) {
      return named(stores, "verificationCertStores", namespace, providers);
    }
    ObjectNode out = StrictJson.MAPPER.createObjectNode();
    for (String type : stores.propertyNames()) {
      JsonNode named = stores.get(type);
      if (!named.isObject()) {
        throw new InvalidResource(
            "spec.parameters.verificationCertStores." + type + " must be an object of named stores");
      }
      out.set(
          type,
          named((ObjectNode) named, "verificationCertStores." + type, namespace, providers));
    }
    return out;
  }

  private static ObjectNode named(
      ObjectNode stores, String path, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    ObjectNode out = StrictJson.MAPPER.createObjectNode();
    for (String store : stores.propertyNames()) {
      JsonNode refs = stores.get(store);
      String at = "spec.parameters." + path + "." + store;
      if (!refs.isArray()) {
        throw new InvalidResource(at + " must be a list of key management provider names");
      }
      ArrayNode files = out.putArray(store);
      for (JsonNode ref : refs) {
        files.add(providerFile(ref.asString(""), at, namespace, providers).toString());
      }
    }
    return out;
  }

  private static Path providerFile(
      String ref, String at, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    Fetched f = provider(ref, at, namespace, providers);
    if (f.pem() == null) {
      throw new EmptyProvider(
          at + " names key management provider \"" + ref + "\", which holds no certificates"
              + (f.outcome().success() ? "" : ": " + f.outcome().error()));
    }
    return f.pem();
  }

  /** The ready provider a verifier names, from its own namespace or the cluster. */
  private static Fetched provider(
      String ref, String at, String namespace, Map<String, Fetched> providers)
      throws InvalidResource {
    int slash = ref.indexOf('/');
    if (!namespace.isEmpty() && slash >= 0 && !ref.substring(0, slash).equals(namespace)) {
      throw new InvalidResource(
          at + " names \"" + ref + "\", a provider of another namespace; a namespaced verifier may"
              + " name the providers of its own namespace (" + namespace + "/NAME) and cluster-wide"
              + " ones (NAME)");
    }
    Fetched f = providers.get(ref);
    if (f == null) {
      throw new InvalidResource(
          at + " names key management provider \"" + ref + "\", which does not exist (name a"
              + " cluster-wide KeyManagementProvider as NAME, a NamespacedKeyManagementProvider as"
              + " NAMESPACE/NAME)");
    }
    if (!f.usable()) {
      throw new EmptyProvider(
          at + " names key management provider \"" + ref + "\", which holds no certificates or"
              + " keys: " + f.outcome().error());
    }
    return f;
  }

  private static ObjectNode policyPlugin(HasMetadata r, PolicySpec spec) throws InvalidResource {
    if (!POLICY_NAME.equals(r.getMetadata().getName())) {
      throw new InvalidResource(
          "a policy is used only when named " + POLICY_NAME + "; this one is named \""
              + r.getMetadata().getName() + "\"");
    }
    if (spec == null || spec.type == null || spec.type.isBlank()) {
      throw new InvalidResource("spec.type is required: config-policy (or cel-policy)");
    }
    ObjectNode plugin = parameters(spec.parameters);
    plugin.put("name", spec.type);
    return plugin;
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
