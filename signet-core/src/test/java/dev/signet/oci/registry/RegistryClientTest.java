package dev.signet.oci.registry;

import dev.signet.testkit.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.ContentMismatchException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryClientTest {
  static final String SIG = MediaTypes.NOTARY_SIGNATURE;
  static final String SBOM = "application/spdx+json";

  FakeRegistry fake;
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  final List<RegistryClient> clients = new ArrayList<>();
  Reference repo;
  Descriptor subject;
  List<Descriptor> signatures = new ArrayList<>();
  Descriptor envelope;
  byte[] envelopeBytes;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeRegistry();
    repo = Reference.parse(fake.host() + "/demo/app:v1");
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
    Descriptor c = new Descriptor(MediaTypes.OCI_EMPTY, fake.putBlob(config), config.length);
    Descriptor l = new Descriptor("application/vnd.oci.image.layer.v1.tar", fake.putBlob(layer), layer.length);
    byte[] image = Artifacts.image(c, l);
    subject = new Descriptor(MediaTypes.OCI_MANIFEST, fake.putManifest("demo/app", "v1", image, MediaTypes.OCI_MANIFEST), image.length);
    fake.putBlob(Artifacts.EMPTY_CONFIG);
    envelopeBytes = "{\"payload\":\"e30\",\"protected\":\"e30\",\"signature\":\"AA\"}".getBytes(StandardCharsets.UTF_8);
    envelope = new Descriptor(MediaTypes.JWS_ENVELOPE, fake.putBlob(envelopeBytes), envelopeBytes.length);
  }

  @AfterEach
  void stop() {
    clients.forEach(RegistryClient::close);
    fake.close();
  }

  RegistryClient client(RegistryOptions options, CredentialProvider credentials) throws StoreException {
    RegistryClient c = new RegistryClient(options, credentials, Clock.systemUTC(), sleeps::add, new Random(7));
    clients.add(c);
    return c;
  }

  RegistryClient client() throws StoreException {
    return client(RegistryOptions.defaults(), CredentialProvider.anonymous());
  }

  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** Pushes {@code n} referrers of {@code type} into the fake registry. */
  List<Descriptor> addReferrers(String type, int n) {
    List<Descriptor> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] layer = ("{\"n\":" + i + ",\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
      Descriptor l = new Descriptor(MediaTypes.JWS_ENVELOPE, fake.putBlob(layer), layer.length);
      byte[] m = Artifacts.artifact(type, l, subject);
      out.add(new Descriptor(MediaTypes.OCI_MANIFEST, fake.putManifest("demo/app", null, m, MediaTypes.OCI_MANIFEST), m.length, type, Map.of()));
    }
    return out;
  }

  @Test
  void resolvesWithHeadAndFetchesTheBodyOnlyWhenAskedForIt() throws Exception {
    RegistryClient c = client();
    Descriptor byTag = c.resolve(repo, deadline());
    assertThat(byTag.sameContent(subject)).isTrue();
    assertThat(byTag.mediaType()).isEqualTo(subject.mediaType());
    assertThat(fake.count("HEAD", "/manifests/v1")).isEqualTo(1);
    assertThat(fake.count("GET", "/manifests/")).isZero();
    Descriptor byDigest = c.resolve(repo.withDigest(subject.digest()), deadline());
    assertThat(byDigest.sameContent(subject)).isTrue();
    assertThat(fake.count("HEAD", "/manifests/" + subject.digest())).isEqualTo(1);
    assertThat(c.fetchManifest(repo, subject, deadline())).hasSize((int) subject.size());
    assertThat(fake.count("GET", "/manifests/" + subject.digest())).isEqualTo(1);
    // Once the verified body is in the content cache, a digest resolves without a request.
    long before = c.requestCount();
    assertThat(c.resolve(repo.withDigest(subject.digest()), deadline()).sameContent(subject)).isTrue();
    assertThat(c.requestCount()).isEqualTo(before);
  }

  @Test
  void withoutADigestHeaderTheTagIsResolvedFromVerifiedBytes() throws Exception {
    fake.headWithoutDigest = true;
    RegistryClient c = client();
    assertThat(c.resolve(repo, deadline()).sameContent(subject)).isTrue();
    assertThat(fake.log).extracting(FakeRegistry.Seen::method).containsExactly("HEAD", "GET");
    // The GET filled the content cache: the body is not fetched again.
    assertThat(c.fetchManifest(repo, subject, deadline())).hasSize((int) subject.size());
    assertThat(fake.requests()).isEqualTo(2);
  }

  @Test
  void aMissingTagIsAskedAgainWithGetForItsErrorCode() throws Exception {
    RegistryClient c = client();
    assertThatThrownBy(() -> c.resolve(Reference.parse(fake.host() + "/demo/app:missing"), deadline()))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.notFound()).isTrue();
          assertThat(e.errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        });
    assertThat(fake.log).extracting(FakeRegistry.Seen::method).containsExactly("HEAD", "GET");
  }

  @Test
  void concurrentResolutionsOfOneTagShareOneRequest() throws Exception {
    fake.handlerDelayMillis = 300;
    RegistryClient c = client();
    int callers = 20;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Descriptor>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < callers; i++) {
        answers.add(pool.submit(() -> {
          start.await();
          return c.resolve(repo, deadline());
        }));
      }
      start.countDown();
      for (Future<Descriptor> a : answers) {
        assertThat(a.get(60, TimeUnit.SECONDS).sameContent(subject)).isTrue();
      }
    }
    // 300 ms in flight is far longer than starting 20 virtual threads; a very slow machine could
    // still split them into a few groups, never into one request each.
    assertThat(fake.count("HEAD", "/manifests/v1")).isBetween(1L, 3L);
  }

  @Test
  void tagResolutionRejectsABodyThatDoesNotMatchDockerContentDigest() throws Exception {
    fake.tampered.add(subject.digest().toString());
    fake.headWithoutDigest = true;
    RegistryClient c = client();
    assertThatThrownBy(() -> c.resolve(repo, deadline()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("Docker-Content-Digest")
        .hasRootCauseInstanceOf(ContentMismatchException.class);
    assertThatThrownBy(() -> c.fetchManifest(repo, subject, deadline()))
        .hasMessageContaining("does not match");
  }

  @Test
  void headManifestReportsExistence() throws Exception {
    RegistryClient c = client();
    assertThat(c.headManifest(repo, deadline())).get().extracting(Descriptor::digest).isEqualTo(subject.digest());
    assertThat(c.headManifest(Reference.parse(fake.host() + "/demo/app:missing"), deadline())).isEmpty();
  }

  @Test
  void referrersApiFollowsEveryPage() throws Exception {
    List<Descriptor> sigs = addReferrers(SIG, 5);
    addReferrers(SBOM, 2);
    fake.pageSize = 2;
    RegistryClient c = client();
    List<Descriptor> found = c.referrers(repo, subject, SIG, deadline());
    assertThat(found).extracting(Descriptor::digest)
        .containsExactlyInAnyOrderElementsOf(sigs.stream().map(Descriptor::digest).toList());
    assertThat(found).allMatch(d -> SIG.equals(d.artifactType()));
    assertThat(fake.count("GET", "/referrers/")).isEqualTo(3);
    assertThat(c.referrers(repo, subject, null, deadline())).hasSize(7);
  }

  @Test
  void filtersOnTheClientWhenTheRegistryIgnoresArtifactType() throws Exception {
    addReferrers(SIG, 2);
    addReferrers(SBOM, 3);
    fake.applyFilter = false;
    List<Descriptor> found = client().referrers(repo, subject, SBOM, deadline());
    assertThat(found).hasSize(3).allMatch(d -> SBOM.equals(d.artifactType()));
  }

  @Test
  void fallsBackToTheTagSchemaWhenTheApiIsMissing() throws Exception {
    List<Descriptor> sigs = addReferrers(SIG, 2);
    List<Descriptor> sboms = addReferrers(SBOM, 1);
    fake.referrersApi = false;
    RegistryClient c = client();
    assertThat(c.referrers(repo, subject, SIG, deadline())).isEmpty(); // no tag index yet
    byte[] index = Artifacts.index(sigs.get(0), sigs.get(1), sboms.get(0));
    fake.putManifest("demo/app", RegistryClient.tagFor(subject.digest(), ""), index, MediaTypes.OCI_INDEX);
    assertThat(c.referrers(repo, subject, SIG, deadline())).extracting(Descriptor::digest)
        .containsExactly(sigs.get(0).digest(), sigs.get(1).digest());
    assertThat(c.referrers(repo, subject, null, deadline())).hasSize(3);
  }

  @Test
  void anUnknownRepositoryIsAnErrorNotAnEmptyList() throws Exception {
    Reference other = Reference.parse(fake.host() + "/no/such");
    assertThatThrownBy(() -> client().referrers(other, subject, SIG, deadline()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("NAME_UNKNOWN");
  }

  @Test
  void addsTheCosignSignatureTagWhenEnabled() throws Exception {
    byte[] sig = Artifacts.image(new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(Artifacts.EMPTY_CONFIG), 2), envelope);
    Digest d = fake.putManifest("demo/app", RegistryClient.tagFor(subject.digest(), ".sig"), sig, MediaTypes.OCI_MANIFEST);
    assertThat(client().referrers(repo, subject, null, deadline())).isEmpty();
    List<Descriptor> found = client(RegistryOptions.defaults().withCosignEnabled(true), CredentialProvider.anonymous())
        .referrers(repo, subject, null, deadline());
    assertThat(found).singleElement().satisfies(x -> {
      assertThat(x.digest()).isEqualTo(d);
      assertThat(x.artifactType()).isEqualTo(MediaTypes.COSIGN_SIGNATURE_ARTIFACT_TYPE);
    });
  }

  @Test
  void tokenAuthUsesRepositoryScopesAndCachesTokens() throws Exception {
    fake.auth = FakeRegistry.AuthMode.TOKEN;
    byte[] other = Artifacts.index();
    fake.putManifest("other/repo", "x", other, MediaTypes.OCI_INDEX);
    RegistryClient c = client(RegistryOptions.defaults(),
        r -> new Credential.Basic(fake.user, fake.password));
    c.resolve(repo, deadline());
    c.fetchBlob(repo, envelope, deadline());
    c.referrers(repo, subject, SIG, deadline());
    assertThat(fake.tokensIssued()).isEqualTo(1);
    c.resolve(Reference.parse(fake.host() + "/other/repo:x"), deadline());
    assertThat(fake.tokensIssued()).isEqualTo(2); // a new scope needs its own token
    assertThat(fake.log).filteredOn(s -> s.path().equals("/token"))
        .extracting(FakeRegistry.Seen::query)
        .anySatisfy(q -> assertThat(q).contains("scope=repository%3Ademo%2Fapp%3Apull"))
        .anySatisfy(q -> assertThat(q).contains("scope=repository%3Aother%2Frepo%3Apull"));
  }

  @Test
  void identityTokensUseTheRefreshTokenGrant() throws Exception {
    fake.auth = FakeRegistry.AuthMode.TOKEN;
    RegistryClient c = client(RegistryOptions.defaults(), r -> new Credential.IdentityToken(fake.refreshToken));
    assertThat(c.resolve(repo, deadline()).digest()).isEqualTo(subject.digest());
    assertThat(fake.count("POST", "/token")).isEqualTo(1);
  }

  @Test
  void rejectedCredentialsFailWithoutLeakingThem() throws Exception {
    fake.auth = FakeRegistry.AuthMode.TOKEN;
    RegistryClient c = client(RegistryOptions.defaults(), r -> new Credential.Basic("alice", "wrong-pass-123"));
    assertThatThrownBy(() -> c.resolve(repo, deadline()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("check the credentials")
        .hasMessageNotContaining("wrong-pass-123");
    fake.auth = FakeRegistry.AuthMode.BASIC;
    RegistryClient anon = client();
    assertThatThrownBy(() -> anon.resolve(repo, deadline()))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(401));
  }

  @Test
  void basicAuthIsSentPreemptivelyAfterTheFirstChallenge() throws Exception {
    fake.auth = FakeRegistry.AuthMode.BASIC;
    RegistryClient c = client(RegistryOptions.defaults(), r -> new Credential.Basic(fake.user, fake.password));
    c.resolve(repo, deadline());
    c.fetchBlob(repo, envelope, deadline());
    assertThat(c.requestCount()).isEqualTo(3); // 401, retry, blob
  }

  @Test
  void honoursRetryAfterOn429() throws Exception {
    fake.faults.add(new FakeRegistry.Fault(s -> s.path().contains("/manifests/"), 429, Map.of("Retry-After", "3")));
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    RegistryClient c = virtualTimeClient(clock, RegistryOptions.defaults());
    assertThat(c.resolve(repo, deadline()).digest()).isEqualTo(subject.digest());
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    assertThat(c.requestCount()).isEqualTo(2);
  }

  /** A client whose sleeps move {@code clock} on instead of waiting. */
  private RegistryClient virtualTimeClient(SettableClock clock, RegistryOptions options) throws Exception {
    RegistryClient c = new RegistryClient(options, CredentialProvider.anonymous(), clock, d -> {
      sleeps.add(d);
      clock.advance(d);
    }, new Random(1));
    clients.add(c);
    return c;
  }

  @Test
  void afterA429EveryRequestToThatRegistryWaitsForThePauseItAskedFor() throws Exception {
    fake.faults.add(new FakeRegistry.Fault(s -> s.path().contains("/manifests/"), 429, Map.of("Retry-After", "3")));
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    RegistryClient c = virtualTimeClient(clock, RegistryOptions.defaults().withRetries(0));
    assertThatThrownBy(() -> c.resolve(repo, deadline()))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(429))
        .hasMessageContaining("throttling");
    // Another verification in the pause: it fails at once when the pause would pass its deadline,
    // without a request ...
    Deadline short2s = Deadline.after(clock, Duration.ofSeconds(2));
    assertThatThrownBy(() -> c.fetchBlob(repo, envelope, short2s))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("throttling requests (HTTP 429)");
    assertThat(fake.requests()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
    // ... and else waits for the end of the pause before it sends.
    assertThat(c.fetchBlob(repo, envelope, Deadline.after(clock, Duration.ofSeconds(10)))).hasSize((int) envelope.size());
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    assertThat(fake.requests()).isEqualTo(2);
    // The pause is over: no more waiting.
    c.resolve(repo, Deadline.after(clock, Duration.ofSeconds(10)));
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void aRetryAfterBeyondTheDeadlineEndsTheCallAtOnce() throws Exception {
    fake.faults.add(new FakeRegistry.Fault(s -> s.path().contains("/manifests/"), 429, Map.of("Retry-After", "120")));
    assertThatThrownBy(() -> client().resolve(repo, Deadline.after(Clock.systemUTC(), Duration.ofSeconds(10))))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("429");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void retriesServerErrorsWithGrowingJitteredBackoffThenGivesUp() throws Exception {
    for (int i = 0; i < 10; i++) {
      fake.faults.add(new FakeRegistry.Fault(s -> s.path().contains("/blobs/"), 503, Map.of()));
    }
    RegistryClient c = client(RegistryOptions.defaults().withRetries(3), CredentialProvider.anonymous());
    assertThatThrownBy(() -> c.fetchBlob(repo, envelope, deadline()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("503");
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
    assertThat(fake.count("GET", "/blobs/")).isEqualTo(4);
  }

  @Test
  void aSlowBodyCannotOutliveTheDeadline() throws Exception {
    fake.slowPath = "/blobs/";
    fake.slowMillis = 20_000;
    RegistryClient c = client();
    assertThatThrownBy(() -> c.fetchBlob(repo, envelope, Deadline.after(Clock.systemUTC(), Duration.ofMillis(700))))
        .isInstanceOf(DeadlineExceededException.class);
  }

  @Test
  void aTruncatedBodyIsRetriedAndNeverReturned() throws Exception {
    fake.truncatePath = "/blobs/";
    RegistryClient c = client(RegistryOptions.defaults().withRetries(2), CredentialProvider.anonymous());
    assertThatThrownBy(() -> c.fetchBlob(repo, envelope, deadline()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("after 3 attempts");
    fake.truncatePath = null;
    assertThat(c.fetchBlob(repo, envelope, deadline())).isEqualTo(envelopeBytes);
  }

  @Test
  void followsBlobRedirectsAndDropsAuthorizationAcrossOrigins() throws Exception {
    try (FakeRegistry cdn = new FakeRegistry()) {
      cdn.serveCdn();
      cdn.putBlob(envelopeBytes);
      fake.auth = FakeRegistry.AuthMode.BASIC;
      fake.redirectBlobsTo = cdn.baseUrl();
      RegistryClient c = client(RegistryOptions.defaults(), r -> new Credential.Basic(fake.user, fake.password));
      assertThat(c.fetchBlob(repo, envelope, deadline())).isEqualTo(envelopeBytes);
      assertThat(fake.log).filteredOn(s -> s.path().contains("/blobs/"))
          .last().extracting(FakeRegistry.Seen::authorization).asString().startsWith("Basic ");
      assertThat(cdn.log).singleElement().satisfies(s -> {
        assertThat(s.path()).startsWith("/cdn/");
        assertThat(s.query()).isEqualTo("sig=abc");
        assertThat(s.authorization()).isNull();
      });
    }
  }

  @Test
  void tamperedContentIsNeverReturnedNorCached() throws Exception {
    fake.tampered.add(envelope.digest().toString());
    RegistryClient c = client();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> c.fetchBlob(repo, envelope, deadline()))
          .isInstanceOf(StoreException.class)
          .hasRootCauseInstanceOf(ContentMismatchException.class);
    }
    assertThat(fake.count("GET", "/blobs/")).isEqualTo(2);
  }

  @Test
  void oversizedContentIsRefused() throws Exception {
    RegistryClient small = client(RegistryOptions.defaults().withLimits(64, 16), CredentialProvider.anonymous());
    assertThatThrownBy(() -> small.fetchBlob(repo, envelope, deadline()))
        .hasMessageContaining("larger than the blob limit of 16 bytes");
    assertThat(fake.count("GET", "/blobs/")).isZero();
    assertThatThrownBy(() -> small.resolve(repo, deadline()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("larger than the manifest limit of 64 bytes");
    assertThat(fake.count("GET", "/manifests/")).isZero();
    // The registry sends more than the descriptor says: the GET stops reading at its size.
    assertThatThrownBy(() -> small.fetchManifest(repo,
        new Descriptor(subject.mediaType(), subject.digest(), 60), deadline()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("more than 60 bytes");
    // The registry sends more than the descriptor says.
    Descriptor lying = new Descriptor(envelope.mediaType(), envelope.digest(), envelope.size() - 5);
    assertThatThrownBy(() -> client().fetchBlob(repo, lying, deadline()))
        .hasRootCauseInstanceOf(ContentMismatchException.class);
  }

  @Test
  void limitsConcurrentRequestsPerRegistry() throws Exception {
    fake.handlerDelayMillis = 50;
    RegistryClient c = client(RegistryOptions.defaults().withConcurrency(2), CredentialProvider.anonymous());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Descriptor>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(pool.submit(() -> c.resolve(repo, deadline())));
      }
      for (Future<Descriptor> f : calls) {
        assertThat(f.get().digest()).isEqualTo(subject.digest());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fake.maxInFlight.get()).isLessThanOrEqualTo(2);
  }

  @Test
  void pushesBlobsAndManifests() throws Exception {
    byte[] blob = "pushed".getBytes(StandardCharsets.UTF_8);
    RegistryClient c = client();
    Descriptor d = RegistryPusher.pushBlob(c, repo, "application/octet-stream", blob, deadline());
    assertThat(c.fetchBlob(repo, d, deadline())).isEqualTo(blob);
    byte[] index = Artifacts.index();
    RegistryPusher.pushManifest(c, repo, "empty", MediaTypes.OCI_INDEX, index, deadline());
    assertThat(c.resolve(Reference.parse(fake.host() + "/demo/app:empty"), deadline()).mediaType())
        .isEqualTo(MediaTypes.OCI_INDEX);
  }

  @Test
  void loopbackHostsUsePlainHttpUnlessConfiguredOtherwise() throws Exception {
    assertThat(RegistryClient.isLoopback("localhost:5000")).isTrue();
    assertThat(RegistryClient.isLoopback("127.0.0.1")).isTrue();
    assertThat(RegistryClient.isLoopback("127.255.3.4:443")).isTrue();
    assertThat(RegistryClient.isLoopback("[::1]:5000")).isTrue();
    assertThat(RegistryClient.isLoopback("128.0.0.1")).isFalse();
    assertThat(RegistryClient.isLoopback("127.0.0.1.example.com")).isFalse();
    assertThat(client().base("localhost:5000")).isEqualTo("http://localhost:5000");
    assertThat(client().base("registry.example")).isEqualTo("https://registry.example");
    assertThat(client().base("docker.io")).isEqualTo("https://registry-1.docker.io");
    assertThat(client(RegistryOptions.defaults().withPlainHttpLoopback(false), CredentialProvider.anonymous())
        .base("127.0.0.1:5000")).isEqualTo("https://127.0.0.1:5000");
    assertThat(client(RegistryOptions.defaults().withUseHttp(true), CredentialProvider.anonymous())
        .base("registry.example")).isEqualTo("http://registry.example");
  }

  @Test
  void expiredTokensAreRenewed() throws Exception {
    fake.auth = FakeRegistry.AuthMode.TOKEN;
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    RegistryClient c = new RegistryClient(RegistryOptions.defaults(),
        r -> new Credential.Basic(fake.user, fake.password), clock, sleeps::add, new Random(1));
    clients.add(c);
    c.resolve(repo, deadline());
    clock.advance(java.time.Duration.ofSeconds(200)); // within expires_in=300 (renewed at 90%)
    c.fetchBlob(repo, envelope, deadline());
    assertThat(fake.tokensIssued()).isEqualTo(1);
    clock.advance(java.time.Duration.ofSeconds(100));
    c.referrers(repo, subject, SIG, deadline());
    assertThat(fake.tokensIssued()).isEqualTo(2);
  }

  @Test
  void retryAfterMayBeAnHttpDate() throws Exception {
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    String at = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        clock.instant().plusSeconds(5).atZone(java.time.ZoneOffset.UTC));
    fake.faults.add(new FakeRegistry.Fault(s -> s.path().contains("/blobs/"), 503, Map.of("Retry-After", at)));
    RegistryClient c = new RegistryClient(RegistryOptions.defaults(), CredentialProvider.anonymous(), clock, sleeps::add, new Random(1));
    clients.add(c);
    assertThat(c.fetchBlob(repo, envelope, deadline())).isEqualTo(envelopeBytes);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void connectionErrorsAreRetriedThenReported() throws Exception {
    String host = fake.host();
    fake.close();
    RegistryClient c = client(RegistryOptions.defaults().withRetries(2), CredentialProvider.anonymous());
    assertThatThrownBy(() -> c.resolve(Reference.parse(host + "/demo/app:v1"), deadline()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot reach http://" + host)
        .hasMessageContaining("after 3 attempts");
    assertThat(sleeps).hasSize(2);
    assertThat(c.requestCount()).isEqualTo(3);
  }

  @Test
  void aNextPageOnAnotherOriginIsRefused() throws Exception {
    addReferrers(SIG, 3);
    fake.pageSize = 1;
    fake.linkBase = "http://localhost:" + fake.host().split(":")[1];
    assertThatThrownBy(() -> client().referrers(repo, subject, SIG, deadline()))
        .hasMessageContaining("next page link leaves the registry");
  }

  @Test
  void absoluteSameOriginLinksAreFollowed() throws Exception {
    addReferrers(SIG, 3);
    fake.pageSize = 1;
    fake.linkBase = fake.baseUrl();
    assertThat(client().referrers(repo, subject, SIG, deadline())).hasSize(3);
  }
}
