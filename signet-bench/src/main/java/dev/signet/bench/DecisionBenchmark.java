package dev.signet.bench;

import dev.signet.cache.CachePolicy;
import dev.signet.cache.CaffeineResultCache;
import dev.signet.notation.NotationVerifier;
import dev.signet.notation.revocation.CertificateStatus;
import dev.signet.notation.revocation.RevocationStatus;
import dev.signet.notation.timestamp.TimestampException;
import dev.signet.notation.trustpolicy.TrustPolicyDocument;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.registry.CredentialProvider;
import dev.signet.oci.registry.FakeRegistry;
import dev.signet.oci.registry.RegistryOptions;
import dev.signet.oci.registry.RegistryStore;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.TestPki;
import dev.signet.policy.ConfigPolicy;
import dev.signet.verify.ConfiguredExecutor;
import dev.signet.verify.DecisionService;
import dev.signet.verify.Executor;
import dev.signet.verify.NotationReferenceVerifier;
import dev.signet.result.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decisions through {@link DecisionService} against the in-process registry ({@code FakeRegistry}
 * on 127.0.0.1, plain HTTP, no auth): a cached decision by digest (no registry request), a decision
 * by tag (one resolve request, then the cache), and cold decisions (a new configuration generation
 * each time, so the result cache never answers) with the registry's content cache off and on. The
 * empty benchmark is the baseline of the harness itself. The registry request count per cold
 * decision is printed at the end of each trial.
 */
@State(Scope.Benchmark)
public class DecisionBenchmark {
  private FakeRegistry registry;
  private RegistryStore coldStore;
  private RegistryStore warmStore;
  private RegistryStore contentCachedStore;
  private final AtomicLong contentCachedDecisions = new AtomicLong();
  private DecisionService cached;
  private DecisionService cold;
  private DecisionService coldWarmStore;
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong coldDecisions = new AtomicLong();
  private String byDigest;
  private String byTag;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Clock clock = Clock.systemUTC();
    TestPki.Issued root = TestPki.root("CN=Bench Root").keyType(TestPki.KeyType.EC_P256).selfSigned();
    TestPki.Issued leaf = TestPki.leaf("CN=Bench Signer").keyType(TestPki.KeyType.EC_P256).issuedBy(root);
    registry = new FakeRegistry();
    Digest empty = registry.putBlob("{}".getBytes(StandardCharsets.UTF_8));
    Digest layer = registry.putBlob("bench layer".getBytes(StandardCharsets.UTF_8));
    byte[] image = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptor(MediaTypes.OCI_EMPTY, empty, 2) + ",\"layers\":["
        + descriptor("application/vnd.oci.image.layer.v1.tar", layer, 11) + "]}")
        .getBytes(StandardCharsets.UTF_8);
    Digest imageDigest = registry.putManifest("bench/app", "v1", image, MediaTypes.OCI_MANIFEST);
    byte[] envelope = JwsTestSigner.of(leaf, root.certificate())
        .payloadDescriptor(MediaTypes.OCI_MANIFEST, imageDigest.toString(), image.length)
        .sign()
        .bytes();
    Digest envelopeDigest = registry.putBlob(envelope);
    byte[] signature = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"artifactType\":\"" + MediaTypes.NOTARY_SIGNATURE + "\",\"config\":"
        + descriptor(MediaTypes.OCI_EMPTY, empty, 2) + ",\"layers\":["
        + descriptor(MediaTypes.JWS_ENVELOPE, envelopeDigest, envelope.length) + "],\"subject\":"
        + descriptor(MediaTypes.OCI_MANIFEST, imageDigest, image.length) + "}")
        .getBytes(StandardCharsets.UTF_8);
    registry.putManifest("bench/app", null, signature, MediaTypes.OCI_MANIFEST);
    byDigest = registry.host() + "/bench/app@" + imageDigest;
    byTag = registry.host() + "/bench/app:v1";

    String policy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"all\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
        + "\"trustedIdentities\":[\"*\"]}]}";
    NotationVerifier notation = new NotationVerifier(
        TrustPolicyDocument.parse(policy.getBytes(StandardCharsets.UTF_8)),
        (type, name) -> List.of(root.certificate()),
        (token, sig, roots) -> {
          throw new TimestampException("no timestamps here");
        },
        // Revocation is answered in process: the benchmark measures the decision, not OCSP.
        (chain, purpose, time, deadline) ->
            chain.stream().map(c -> new CertificateStatus(c, RevocationStatus.GOOD, "")).toList(),
        clock);
    NotationReferenceVerifier verifier =
        new NotationReferenceVerifier("notation", Set.of(MediaTypes.NOTARY_SIGNATURE), notation);

    warmStore = RegistryStore.create(RegistryOptions.defaults(), CredentialProvider.anonymous(), clock);
    coldStore = RegistryStore.create(
        RegistryOptions.defaults().withCacheMaxBytes(0), CredentialProvider.anonymous(), clock);
    Executor warm = executor(warmStore, verifier, clock);
    Executor coldExecutor = executor(coldStore, verifier, clock);
    contentCachedStore = RegistryStore.create(RegistryOptions.defaults(), CredentialProvider.anonymous(), clock);
    Executor contentCached = executor(contentCachedStore, verifier, clock);

    // A TTL far longer than the run, so every cached call is a hit.
    cached = new DecisionService(() -> ConfiguredExecutor.local(1, warm),
        new CaffeineResultCache(10_000, new CachePolicy(Duration.ofHours(1), Duration.ofHours(1)),
            System::nanoTime), clock);
    check(cached.decide(byDigest));
    check(cached.decide(byTag));
    cold = new DecisionService(
        () -> ConfiguredExecutor.local(generation.incrementAndGet(), coldExecutor), new CaffeineResultCache(), clock);
    coldWarmStore = new DecisionService(
        () -> ConfiguredExecutor.local(generation.incrementAndGet(), contentCached), new CaffeineResultCache(), clock);
    check(cold.decide(byDigest));
    check(coldWarmStore.decide(byDigest));
  }

  private static Executor executor(RegistryStore store, NotationReferenceVerifier verifier, Clock clock) {
    return new Executor(List.of(store), List.of(verifier), new ConfigPolicy(Map.of()),
        Duration.ofMillis(4900), clock);
  }

  private static String descriptor(String mediaType, Digest digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  private static void check(VerificationResult r) {
    if (!r.isSuccess()) {
      throw new IllegalStateException("the benchmark subject does not verify: " + r);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    // +1: the decision made in setUp to check the subject verifies.
    report("coldByDigest", coldDecisions.get() + 1, coldStore.requestCount());
    report("coldByDigestContentCached", contentCachedDecisions.get() + 1, contentCachedStore.requestCount());
    coldStore.close();
    warmStore.close();
    contentCachedStore.close();
    registry.close();
  }

  private static void report(String name, long decisions, long requests) {
    System.out.printf(
        "%n[decisions] %s: %d decisions, %d registry requests, %.2f per decision%n",
        name, decisions, requests, (double) requests / decisions);
  }

  /** The harness alone: what an empty call costs. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void baseline() {}

  /** A decision by digest served from the result cache: no registry request. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public VerificationResult cachedByDigest() {
    return cached.decide(byDigest);
  }

  /** A decision by tag: one resolve request to the registry, then the result cache. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public VerificationResult cachedByTag() {
    return cached.decide(byTag);
  }

  /** A cold decision: every registry request and the signature verification. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public VerificationResult coldByDigest() {
    coldDecisions.incrementAndGet();
    return cold.decide(byDigest);
  }

  /** A decision after the result expired: resolve and referrers from the registry, content from the store's cache. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public VerificationResult coldByDigestContentCached() {
    contentCachedDecisions.incrementAndGet();
    return coldWarmStore.decide(byDigest);
  }
}
