package dev.signet.kubernetes;

import dev.signet.artifact.AgeLimit;
import dev.signet.cosign.PublicKeys;
import dev.signet.json.StrictJson;
import dev.signet.kubernetes.kmp.KeyManagementException;
import dev.signet.kubernetes.kmp.KeyMaterial;
import dev.signet.kubernetes.kmp.KeySource;
import dev.signet.kubernetes.kmp.ProviderType;
import dev.signet.kubernetes.kmp.ProviderTypes;
import dev.signet.notation.truststore.NamedTrustStore;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.reference.Digest;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The key management providers of the resources: what each fetched (kept while its spec stays the
 * same and no refresh is due), its certificates written to a file of the work directory named by
 * their content, and when the next refresh is due. Runs on the controller's one thread, except
 * {@link #fetchCounts()}.
 */
final class KeyProviders {
  /** The shortest refresh interval used: a shorter one would only load the vault. */
  private static final Duration MIN_REFRESH = Duration.ofSeconds(10);
  /** When a provider whose fetch failed is tried again (at most its refresh interval). */
  private static final Duration RETRY = Duration.ofMinutes(1);

  private final Path workDir;
  private final ProviderTypes types;
  private final Clock clock;
  /** What each provider fetched, with the spec it was fetched for. */
  private final Map<ResourceId, Fetched> fetched = new HashMap<>();
  /** Fetches by provider, type and outcome, for the metrics. */
  private final Map<List<String>, Long> fetches = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * What a provider gave: its source (null when it could not be opened), when to fetch again (null:
   * only when its spec changes), its certificates' file (or null), its public keys as PEM, when
   * that material was fetched, and its status.
   */
  record Fetched(
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

  KeyProviders(Path workDir, ProviderTypes types, Clock clock) {
    this.workDir = workDir;
    this.types = types;
    this.clock = clock;
  }

  /** Fetches what changed and returns every provider by the name verifiers use for it. */
  Map<String, Fetched> fetchAll(Snapshot s, Map<ResourceId, Outcome> outcomes) {
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
      Translator.write(file, bytes);
    }
    return file;
  }

  /** Forgets the providers not in {@code present} and deletes the files no provider uses. */
  void keepOnly(Set<ResourceId> present) {
    fetched.keySet().retainAll(present);
    removeUnusedPemFiles();
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
}
