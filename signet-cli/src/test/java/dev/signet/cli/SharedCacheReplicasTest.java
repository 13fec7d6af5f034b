package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.ForgedEntries;
import dev.signet.cache.RedisServer;
import dev.signet.cache.ResultKey;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.oci.registry.RegistryPusher;
import dev.signet.reference.Reference;
import dev.signet.server.SignetServer;
import dev.signet.testing.JwsTestSigner;
import dev.signet.testkit.TestTls;
import dev.signet.testkit.Eventually;
import dev.signet.testkit.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import tools.jackson.databind.JsonNode;

/**
 * Three {@code signet serve} replicas sharing one real {@code redis-server} in front of one real
 * {@code docker-registry}: each image is verified once in total, forged entries in Redis are
 * denied and counted, Redis going away and coming back fails no request, and a replica with
 * another configuration neither reads nor serves the others' entries.
 */
class SharedCacheReplicasTest {
  static final byte[] HMAC_KEY = "replicas-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  static final int IMAGES = 50;

  @TempDir static Path dir;
  static DistributionRegistry registry;
  static RedisServer redis;
  static UnifiedJedis admin;
  static Path config;
  static Path replicaCConfig;
  static HttpClient https;
  static final List<Replica> replicas = new ArrayList<>();

  /** A pushed image and whether the replicas' configuration trusts its signature. */
  record Image(String byDigest, Descriptor subject, boolean trusted) {
    String hex() {
      return subject.digest().toString().substring("sha256:".length());
    }
  }

  record Replica(String name, ServeCommand command, SignetServer server) {}

  static final List<Image> images = new ArrayList<>();
  static final List<Image> unsignedSpares = new ArrayList<>();
  static final List<Image> signedSpares = new ArrayList<>();
  static Image calibrationSigned;
  static Image calibrationUnsigned;

  @BeforeAll
  static void start() throws Exception {
    registry = DistributionRegistry.start(dir.resolve("registry"), false, false);
    redis = RedisServer.start(dir.resolve("redis"));
    admin = RedisClient.create(redis.url());

    TestPki.Issued root = TestPki.root("CN=Replicas Root,O=Signet,C=US").selfSigned();
    TestPki.Issued leaf = TestPki.leaf("CN=Replicas Signer,O=Signet,C=US").issuedBy(root);
    TestPki.Issued otherRoot = TestPki.root("CN=Other Root,O=Elsewhere,C=US").selfSigned();
    Path configDir = Files.createDirectories(dir.resolve("config"));
    Files.createDirectories(configDir.resolve("certs"));
    Files.createDirectories(configDir.resolve("other-certs"));
    Files.writeString(configDir.resolve("certs/root.pem"), TestTls.pem(root.certificate()));
    Files.writeString(configDir.resolve("other-certs/root.pem"), TestTls.pem(otherRoot.certificate()));
    Files.write(configDir.resolve("hmac.key"), HMAC_KEY);
    config = configDir.resolve("config.json");
    Files.writeString(config, config("certs/root.pem"));
    // The third replica reads the same content from another file: it shares the entries.
    replicaCConfig = configDir.resolve("replica-c.json");
    Files.writeString(replicaCConfig, config("certs/root.pem"));

    Path noAuth = dir.resolve("docker-config.json");
    Files.writeString(noAuth, "{\"auths\":{}}");
    try (RegistryPusher push = RegistryPusher.withDockerConfig(noAuth)) {
      for (int i = 0; i < IMAGES + 12; i++) {
        boolean signed = i < IMAGES ? i % 5 != 4 : i == IMAGES || i >= IMAGES + 6;
        Reference tag = Reference.parse(registry.host() + "/replicas/app" + (i % 7) + ":v" + i);
        Descriptor subject = push.image(tag, "image " + i);
        if (signed) {
          push.attach(tag, subject, MediaTypes.NOTARY_SIGNATURE, MediaTypes.JWS_ENVELOPE,
              JwsTestSigner.of(leaf, root.certificate())
                  .payloadDescriptor(subject.mediaType(), subject.digest().toString(), subject.size())
                  .sign()
                  .bytes());
        }
        Image image = new Image(tag.name() + "@" + subject.digest(), subject, signed);
        if (i < IMAGES) {
          images.add(image);
        } else if (i == IMAGES) {
          calibrationSigned = image;
        } else if (i == IMAGES + 1) {
          calibrationUnsigned = image;
        } else {
          (signed ? signedSpares : unsignedSpares).add(image);
        }
      }
    }

    TestPki.Issued ca = TestPki.root("CN=Replicas TLS CA").selfSigned();
    TestPki.Issued tls =
        TestPki.leaf("CN=localhost").keyUsage(KeyUsage.digitalSignature)
            .extendedKeyUsage(false, KeyPurposeId.id_kp_serverAuth).issuedBy(ca);
    Path certDir = Files.createDirectories(dir.resolve("tls"));
    Files.writeString(certDir.resolve("tls.crt"), TestTls.pem(tls.certificate()));
    Files.writeString(certDir.resolve("tls.key"), TestTls.pem(tls.privateKey()));
    https = HttpClient.newBuilder().sslContext(TestTls.context(null, ca)).build();

    tlsDir = certDir;
    replicas.add(replica("a", config));
    replicas.add(replica("b", config));
    replicas.add(replica("c", replicaCConfig));
  }

  static Path tlsDir;

  static Replica replica(String name, Path file) throws Exception {
    ServeCommand command = new ServeCommand();
    CommandLine cli = new CommandLine(command);
    cli.setErr(new PrintWriter(new StringWriter()));
    cli.parseArgs("--config", file.toString(), "--http", "127.0.0.1:0",
        "--cert-dir", tlsDir.toString(), "--metrics-port", "127.0.0.1:0",
        "--redis-url", redis.url().toString(),
        // Not the 250 ms default: on a loaded build machine one slow command would make a replica
        // work alone for a second and verify an image the others already verified.
        "--redis-timeout-ms", "10000",
        "--cache-hmac-key-file", file.resolveSibling("hmac.key").toString());
    return new Replica(name, command, command.start(Clock.systemUTC()));
  }

  static void stop(Replica r) {
    r.server().stop();
    if (r.command().sharedCache != null) {
      r.command().sharedCache.close();
    }
  }

  @AfterAll
  static void stop() {
    replicas.forEach(SharedCacheReplicasTest::stop);
    if (admin != null) {
      admin.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  static String config(String certs) {
    return config(certs, "redis");
  }

  static String config(String certs, String cacheType) {
    String policy = "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"replicas\",\"registryScopes\":[\"*\"],"
        + "\"signatureVerification\":{\"level\":\"strict\"},\"trustStores\":[\"ca:certs\"],"
        + "\"trustedIdentities\":[\"*\"]}]}";
    return "{\"executor\":{\"verificationRequestTimeout\":20000},\"cache\":{\"type\":\"" + cacheType + "\"},"
        + "\"store\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"oras\",\"useHttp\":true}]},"
        + "\"policy\":{\"version\":\"1.0.0\",\"plugin\":{\"name\":\"configPolicy\","
        + "\"artifactVerificationPolicies\":{\"application/vnd.cncf.notary.signature\":\"any\"}}},"
        + "\"verifier\":{\"version\":\"1.0.0\",\"plugins\":[{\"name\":\"notation\","
        + "\"artifactTypes\":\"application/vnd.cncf.notary.signature\",\"verificationCerts\":[\""
        + certs + "\"],\"trustPolicyDoc\":" + policy + "}]}}";
  }

  // ---------------------------------------------------------------- the run

  @Test
  void three_replicas_share_one_cache_safely() throws Exception {
    // What one verification costs in referrers-index lookups, measured on images asked nowhere else.
    int before = registry.accessLog().size();
    assertThat(allowed(replicas.get(0), calibrationSigned.byDigest())).isTrue();
    assertThat(allowed(replicas.get(0), calibrationUnsigned.byDigest())).isFalse();
    List<String> calibration = since(before);
    long perSigned = lookups(calibration, calibrationSigned);
    long perUnsigned = lookups(calibration, calibrationUnsigned);
    assertThat(perSigned).isPositive();
    assertThat(perUnsigned).isPositive();

    // 1. The same 50 images asked of all three replicas at once: each verified once in total.
    before = registry.accessLog().size();
    List<Callable<Void>> asks = new ArrayList<>();
    for (Image image : images) {
      asks.add(() -> {
        try (ExecutorService three = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<Boolean>> answers = new ArrayList<>();
          for (Replica r : replicas) {
            answers.add(three.submit(() -> allowed(r, image.byDigest())));
          }
          for (Future<Boolean> a : answers) {
            assertThat(a.get(120, TimeUnit.SECONDS)).as(image.byDigest()).isEqualTo(image.trusted());
          }
        }
        return null;
      });
    }
    runAll(asks, 8);
    List<String> cold = since(before);
    for (Image image : images) {
      assertThat(lookups(cold, image))
          .as("referrers lookups for " + image.byDigest() + " across the three replicas")
          .isEqualTo(image.trusted() ? perSigned : perUnsigned);
    }
    long sharedHits = replicas.stream().mapToLong(r -> event(r, "shared_hit")).sum();
    assertThat(sharedHits).isPositive();

    // 2. Forged entries written straight into Redis are denied and counted.
    String fingerprint = fingerprint(images.get(0));
    Replica a = replicas.get(0);
    Image u1 = unsignedSpares.get(0);
    Image u2 = unsignedSpares.get(1);
    Image u3 = unsignedSpares.get(2);
    Image u4 = unsignedSpares.get(3);
    assertThat(List.of(u1, u2, u3, u4)).noneMatch(Image::trusted);
    // Each is a miss counted on every read (a request reads before and after taking the lock).
    long rejected = event(a, "rejected_authentication");
    // A valid-looking JSON decision saying isSuccess: true, with no MAC.
    admin.set(redisKey(fingerprint, u1), "{\"isSuccess\":true,\"verifierReports\":[]}");
    assertThat(allowed(a, u1.byDigest())).isFalse();
    assertThat(event(a, "rejected_authentication")).isGreaterThan(rejected);
    rejected = event(a, "rejected_authentication");
    // Sealed with a key the replicas do not hold.
    admin.set(redisKey(fingerprint, u2), ForgedEntries.allow(
        "not-the-replicas-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
        redisKey(fingerprint, u2), key(fingerprint, u2), u2.byDigest()));
    assertThat(allowed(a, u2.byDigest())).isFalse();
    assertThat(event(a, "rejected_authentication")).isGreaterThan(rejected);
    rejected = event(a, "rejected_authentication");
    // A genuine allow of a signed image, copied over the unsigned one.
    Image donor = signedSpares.get(signedSpares.size() - 1);
    assertThat(allowed(replicas.get(1), donor.byDigest())).isTrue();
    String genuine = admin.get(redisKey(fingerprint, donor));
    assertThat(genuine).isNotNull();
    admin.set(redisKey(fingerprint, u3), genuine);
    assertThat(allowed(a, u3.byDigest())).isFalse();
    assertThat(event(a, "rejected_authentication")).isGreaterThan(rejected);
    // Sealed with the right key but for another configuration's fingerprint.
    long otherKey = event(a, "rejected_other_key");
    String otherFingerprint = "sha256:" + "0".repeat(64);
    admin.set(redisKey(fingerprint, u4), ForgedEntries.allow(
        HMAC_KEY, redisKey(fingerprint, u4), key(otherFingerprint, u4), u4.byDigest()));
    assertThat(allowed(a, u4.byDigest())).isFalse();
    assertThat(event(a, "rejected_other_key")).isGreaterThan(otherKey);

    // 3. Redis stops mid-run and comes back: no request fails, decisions stay right, and the
    // replicas share again without a restart.
    AtomicBoolean running = new AtomicBoolean(true);
    List<Callable<Integer>> load = new ArrayList<>();
    for (Replica r : replicas) {
      load.add(() -> {
        int n = 0;
        while (running.get()) {
          Image image = images.get(n % images.size());
          assertThat(allowed(r, image.byDigest())).as(r.name() + " " + image.byDigest())
              .isEqualTo(image.trusted());
          n++;
        }
        return n;
      });
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> loaders = new ArrayList<>();
      for (Callable<Integer> l : load) {
        loaders.add(pool.submit(l));
      }
      Thread.sleep(300);
      redis.stop();
      Thread.sleep(1500);
      redis.start();
      Thread.sleep(1500);
      running.set(false);
      for (Future<Integer> l : loaders) {
        assertThat(l.get(120, TimeUnit.SECONDS)).isPositive();
      }
    }
    assertThat(replicas.stream().mapToLong(r -> event(r, "redis_failure")).sum()).isPositive();
    admin.close(); // its connection went with the old Redis process
    admin = RedisClient.create(redis.url());
    // A spare signed image asked of a then b: b gets a's decision from Redis again.
    Instant guard = Instant.now().plusSeconds(60);
    boolean sharedAgain = false;
    for (Image fresh : signedSpares.subList(0, signedSpares.size() - 1)) {
      int mark = registry.accessLog().size();
      assertThat(allowed(replicas.get(0), fresh.byDigest())).isTrue();
      assertThat(allowed(replicas.get(1), fresh.byDigest())).isTrue();
      if (lookups(since(mark), fresh) == perSigned) {
        sharedAgain = true;
        break;
      }
      assertThat(Instant.now()).as("sharing did not resume").isBefore(guard);
      Thread.sleep(1200);
    }
    assertThat(sharedAgain).as("replicas share decisions again after Redis came back").isTrue();

    // 4. A configuration change on replica c (it now trusts another root): c neither serves the
    // others' allows nor gives them its denials.
    Replica c = replicas.get(2);
    Image signed = images.get(0);
    assertThat(allowed(c, signed.byDigest())).isTrue();
    Path tmp = replicaCConfig.resolveSibling("replica-c.json.tmp");
    Files.writeString(tmp, config("other-certs/root.pem"));
    Files.move(tmp, replicaCConfig, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertThat(Eventually.until(Duration.ofSeconds(60), () -> allowed(c, signed.byDigest()), allowed -> !allowed))
        .as("replica c did not load its new configuration")
        .isFalse();
    for (Image image : images.subList(0, 10)) {
      assertThat(allowed(c, image.byDigest())).as("c, " + image.byDigest()).isFalse();
      assertThat(allowed(replicas.get(0), image.byDigest())).as("a, " + image.byDigest())
          .isEqualTo(image.trusted());
      assertThat(allowed(replicas.get(1), image.byDigest())).as("b, " + image.byDigest())
          .isEqualTo(image.trusted());
    }
    assertThat(admin.keys("signet:v1:decision:*").stream().map(ForgedEntries::fingerprintOf).distinct())
        .as("entries are kept apart by fingerprint").hasSizeGreaterThanOrEqualTo(2);
  }

  // ---------------------------------------------------------------- measured comparison

  /**
   * Three replicas with the shared cache against three with their own caches, on the same 50
   * images: registry requests and client-side latency of the cold round (each image asked of the
   * three replicas at once) and of the warm round right after. Prints a table for
   * docs/performance.md; asserts only that both set-ups answered every request correctly.
   */
  @Test
  void comparison_of_shared_and_separate_caches() throws Exception {
    if (!Boolean.getBoolean("signet.compare")) {
      System.out.println("SKIPPED comparison_of_shared_and_separate_caches: a measurement, run with"
          + " -Dsignet.compare=true");
      org.junit.jupiter.api.Assumptions.abort("a measurement: run with -Dsignet.compare=true");
    }
    StringBuilder table = new StringBuilder(
        "| set-up | round | registry requests | p50 ms | p99 ms |\n|---|---|---|---|---|\n");
    // The first pass only warms the JVM (JIT, TLS, connection pools) and is not recorded.
    List<String> passes = List.of("memory", "redis", "memory");
    for (int pass = 0; pass < passes.size(); pass++) {
      String cacheType = passes.get(pass);
      boolean recorded = pass > 0;
      admin.flushAll();
      Path file = config.resolveSibling("compare-" + cacheType + ".json");
      Files.writeString(file, config("certs/root.pem", cacheType));
      List<Replica> three = List.of(replica("x", file), replica("y", file), replica("z", file));
      try {
        for (String round : List.of("cold", "warm")) {
          int mark = registry.accessLog().size();
          List<Long> micros = java.util.Collections.synchronizedList(new ArrayList<>());
          List<Callable<Void>> asks = new ArrayList<>();
          for (Image image : images) {
            asks.add(() -> {
              try (ExecutorService at = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Boolean>> answers = new ArrayList<>();
                for (Replica r : three) {
                  answers.add(at.submit(() -> {
                    long start = System.nanoTime();
                    boolean ok = allowed(r, image.byDigest());
                    micros.add((System.nanoTime() - start) / 1000);
                    return ok;
                  }));
                }
                for (Future<Boolean> a : answers) {
                  assertThat(a.get(120, TimeUnit.SECONDS)).isEqualTo(image.trusted());
                }
              }
              return null;
            });
          }
          runAll(asks, 8);
          int requests = registry.accessLog().size() - mark;
          List<Long> sorted = micros.stream().sorted().toList();
          if (!recorded) {
            continue;
          }
          table.append(String.format(java.util.Locale.ROOT, "| %s | %s | %d | %.1f | %.1f |%n",
              cacheType.equals("redis") ? "3 replicas, shared Redis cache" : "3 replicas, own caches",
              round, requests, percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0));
        }
      } finally {
        three.forEach(SharedCacheReplicasTest::stop);
      }
    }
    System.out.println("\n" + table);
  }

  static long percentile(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  // ---------------------------------------------------------------- helpers

  /** Asks a replica's Gatekeeper provider; any failed request fails the test. */
  static boolean allowed(Replica r, String subject) throws Exception {
    String body = "{\"apiVersion\":\"externaldata.gatekeeper.sh/v1beta1\",\"kind\":\"ProviderRequest\","
        + "\"request\":{\"keys\":[\"" + subject + "\"]}}";
    HttpResponse<String> response = https.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + r.server().port() + "/ratify/gatekeeper/v1/verify"))
            .timeout(Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(r.name() + ": " + response.body()).isEqualTo(200);
    JsonNode item = StrictJson.MAPPER.readTree(response.body()).path("response").path("items").get(0);
    assertThat(item.path("error").asString("")).as(r.name() + ": " + response.body()).isEmpty();
    return item.path("value").path("isSuccess").asBoolean();
  }

  /** A cache event count from a replica's /metrics. */
  static long event(Replica r, String event) {
    try {
      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.server().metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = Pattern.compile("signet_decision_cache_events_total\\{event=\"" + event + "\"} ([0-9.Ee+]+)")
          .matcher(metrics);
      assertThat(m.find()).as(metrics).isTrue();
      return (long) Double.parseDouble(m.group(1));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static List<String> since(int lines) throws Exception {
    List<String> all = registry.accessLog();
    return all.subList(lines, all.size());
  }

  /** Requests for the image's referrers index (the tag schema: this registry has no referrers API). */
  static long lookups(List<String> log, Image image) {
    String path = "/manifests/sha256-" + image.hex() + " ";
    return log.stream().filter(l -> l.contains(path)).count();
  }

  static String fingerprint(Image decided) {
    List<String> keys = new ArrayList<>(admin.keys("signet:v1:decision:*" + decided.subject().digest()));
    assertThat(keys).hasSize(1);
    return ForgedEntries.fingerprintOf(keys.get(0));
  }

  static ResultKey key(String fingerprint, Image image) {
    Reference ref = Reference.parse(image.byDigest());
    return new ResultKey(fingerprint, ref.qualifiedName(), image.subject().digest());
  }

  static String redisKey(String fingerprint, Image image) {
    ResultKey k = key(fingerprint, image);
    return ForgedEntries.redisKey(fingerprint, k.repository(), k.digest());
  }

  static <T> void runAll(List<Callable<T>> tasks, int parallel) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      for (Future<T> f : pool.invokeAll(tasks)) {
        f.get(300, TimeUnit.SECONDS);
      }
    }
  }
}
