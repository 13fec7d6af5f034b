package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.Manifest;
import dev.signet.testkit.DistributionRegistry;
import dev.signet.testkit.SigstoreNodeModules;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Against Debian's real distribution 2.8.2: once with htpasswd basic auth over plain HTTP, once
 * with TLS (self-signed, CA bundle given to the store) plus basic auth. 2.8.2 has no referrers API,
 * so every referrer lookup here goes through the referrers tag schema.
 */
class DistributionRegistryTest {
  static final String E2E = "notation/test/e2e/testdata/registry/oci_layout/e2e-valid-signature";

  @TempDir static Path dir;
  static DistributionRegistry basic;
  static DistributionRegistry tls;

  @BeforeAll
  static void startRegistries() throws Exception {
    basic = DistributionRegistry.start(dir.resolve("basic"), true, false);
    tls = DistributionRegistry.start(dir.resolve("tls"), true, true);
  }

  @AfterAll
  static void stopRegistries() {
    if (basic != null) {
      basic.close();
    }
    if (tls != null) {
      tls.close();
    }
  }

  static Deadline deadline() {
    return Deadline.after(Clock.systemUTC(), Duration.ofSeconds(60));
  }

  static RegistryStore store(String config) throws StoreException {
    JsonNode node = StrictJson.MAPPER.readTree(config);
    return RegistryStore.fromConfig(node, dir, Clock.systemUTC());
  }

  static String basicStoreConfig() throws Exception {
    return "{\"name\":\"oras\",\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":\""
        + basic.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD) + "\"}}";
  }

  /** An image, a Notary-style signature on it, and the referrers tag-schema index, pushed by us. */
  record Pushed(Reference tag, Descriptor subject, Descriptor signature, Descriptor envelope, byte[] envelopeBytes) {}

  static Pushed pushSignedImage(RegistryClient c, String repoName, String text, boolean sign) throws Exception {
    Reference repo = Reference.parse(repoName + ":v1");
    Deadline d = deadline();
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    Descriptor cfg = RegistryPusher.pushBlob(c, repo, "application/vnd.oci.image.config.v1+json", config, d);
    Descriptor layer = RegistryPusher.pushBlob(c, repo, "application/vnd.oci.image.layer.v1.tar", text.getBytes(StandardCharsets.UTF_8), d);
    byte[] image = Artifacts.image(cfg, layer);
    Descriptor subject = RegistryPusher.pushManifest(c, repo, "v1", MediaTypes.OCI_MANIFEST, image, d);
    if (!sign) {
      return new Pushed(repo, subject, null, null, null);
    }
    byte[] env = ("{\"payload\":\"signed " + text + "\",\"protected\":\"e30\",\"signature\":\"AA\"}")
        .getBytes(StandardCharsets.UTF_8);
    RegistryPusher.pushBlob(c, repo, MediaTypes.OCI_EMPTY, Artifacts.EMPTY_CONFIG, d);
    Descriptor envelope = RegistryPusher.pushBlob(c, repo, MediaTypes.JWS_ENVELOPE, env, d);
    byte[] sigManifest = Artifacts.artifact(MediaTypes.NOTARY_SIGNATURE, envelope, subject);
    Descriptor sig = RegistryPusher.pushManifest(c, repo, Digest.sha256(sigManifest).toString(), MediaTypes.OCI_MANIFEST, sigManifest, d);
    Descriptor entry = new Descriptor(sig.mediaType(), sig.digest(), sig.size(), MediaTypes.NOTARY_SIGNATURE, Map.of());
    RegistryPusher.pushManifest(c, repo, RegistryClient.tagFor(subject.digest(), ""), MediaTypes.OCI_INDEX, Artifacts.index(entry), d);
    return new Pushed(repo, subject, entry, envelope, env);
  }

  @Test
  void basicAuthOverHttpReadsSignaturesThroughTheTagSchema() throws Exception {
    try (RegistryStore store = store(basicStoreConfig())) {
      Pushed p = pushSignedImage(store.client(), basic.host() + "/signet/app", "hello basic", true);
      Pushed unsigned = pushSignedImage(store.client(), basic.host() + "/signet/unsigned", "no sig", false);

      assertThat(store.resolve(p.tag(), deadline()).sameContent(p.subject())).isTrue();
      List<Descriptor> refs = store.referrers(p.tag(), p.subject(), MediaTypes.NOTARY_SIGNATURE, deadline());
      assertThat(refs).singleElement().satisfies(r -> assertThat(r.digest()).isEqualTo(p.signature().digest()));
      Manifest m = Manifest.parse(store.fetchManifest(p.tag(), refs.get(0), deadline()), null);
      assertThat(m.subject().digest()).isEqualTo(p.subject().digest());
      assertThat(store.fetchBlob(p.tag(), m.layers().get(0), deadline())).isEqualTo(p.envelopeBytes());
      assertThat(store.referrers(p.tag(), p.subject(), "application/spdx+json", deadline())).isEmpty();

      Descriptor u = store.resolve(unsigned.tag(), deadline());
      assertThat(store.referrers(unsigned.tag(), u, MediaTypes.NOTARY_SIGNATURE, deadline())).isEmpty();
      assertThat(store.referrerTree(p.tag(), p.subject(), 3, deadline()))
          .singleElement().satisfies(n -> assertThat(n.referrers()).isEmpty());
    }
  }

  @Test
  void countsTheRequestsOfOneColdVerificationFlow() throws Exception {
    Pushed p;
    try (RegistryStore pusher = store(basicStoreConfig())) {
      p = pushSignedImage(pusher.client(), basic.host() + "/signet/counted", "count me", true);
    }
    try (RegistryStore store = store(basicStoreConfig())) {
      Descriptor subject = store.resolve(p.tag(), deadline()); // 401 challenge + HEAD
      List<Descriptor> refs = store.referrers(p.tag(), subject, MediaTypes.NOTARY_SIGNATURE, deadline()); // API 404 and tag GET at once
      Manifest m = Manifest.parse(store.fetchManifest(p.tag(), refs.get(0), deadline()), null); // 1
      store.fetchBlob(p.tag(), m.layers().get(0), deadline()); // 1
      assertThat(store.requestCount()).isEqualTo(6);
      assertThat(basic.accessLog()).filteredOn(l -> l.contains("/signet/counted/") && !l.contains("\"PUT ")
              && !l.contains("\"POST ") && !l.contains("/blobs/uploads/") && !l.contains("\"HEAD /v2/signet/counted/blobs/"))
          .extracting(l -> l.replaceAll(".*\"([A-Z]+) /v2/signet/counted/([a-z]+)/([^ ]*) HTTP.*\" (\\d{3}) .*", "$1 $2 $4"))
          .containsExactlyInAnyOrder("HEAD manifests 401", "HEAD manifests 200", "GET referrers 404",
              "GET manifests 200", "GET manifests 200", "GET blobs 200");
      // Warm: by digest, a HEAD (the subject's body was never needed) and the tag-schema index only,
      // since the store learnt that this registry has no referrers API; the rest from the cache.
      Reference byDigest = p.tag().withDigest(subject.digest());
      Descriptor again = store.resolve(byDigest, deadline());
      List<Descriptor> refs2 = store.referrers(byDigest, again, MediaTypes.NOTARY_SIGNATURE, deadline());
      store.fetchBlob(byDigest, Manifest.parse(store.fetchManifest(byDigest, refs2.get(0), deadline()), null).layers().get(0), deadline());
      assertThat(store.requestCount()).isEqualTo(8);
    }
  }

  @Test
  void wrongOrMissingCredentialsAreRejected() throws Exception {
    try (RegistryStore pusher = store(basicStoreConfig())) {
      pushSignedImage(pusher.client(), basic.host() + "/signet/private", "private", false);
    }
    Path noCreds = dir.resolve("empty-config.json");
    Files.writeString(noCreds, "{}");
    try (RegistryStore anon = store("{\"name\":\"oras\",\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":\"" + noCreds + "\"}}");
        RegistryStore wrong = store("{\"name\":\"oras\",\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":\""
            + basic.dockerConfig("intruder", "not-the-password") + "\"}}")) {
      Reference ref = Reference.parse(basic.host() + "/signet/private:v1");
      assertThatThrownBy(() -> anon.resolve(ref, deadline()))
          .isInstanceOf(RegistryException.class).hasMessageContaining("HTTP 401");
      assertThatThrownBy(() -> wrong.resolve(ref, deadline()))
          .isInstanceOf(RegistryException.class).hasMessageContaining("HTTP 401")
          .hasMessageNotContaining("not-the-password");
    }
  }

  @Test
  void tlsWithTheStoreCaBundle() throws Exception {
    String config = "{\"name\":\"oras\",\"plainHttpLoopback\":false,\"caFile\":\"" + tls.caFile()
        + "\",\"authProvider\":{\"name\":\"dockerConfig\",\"configPath\":\""
        + tls.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD) + "\"}}";
    try (RegistryStore store = store(config)) {
      store.client().ping(tls.host(), deadline());
      Pushed p = pushSignedImage(store.client(), tls.host() + "/signet/tls", "hello tls", true);
      Descriptor subject = store.resolve(p.tag(), deadline());
      List<Descriptor> refs = store.referrers(p.tag(), subject, MediaTypes.NOTARY_SIGNATURE, deadline());
      assertThat(refs).extracting(Descriptor::digest).containsExactly(p.signature().digest());
      Manifest m = Manifest.parse(store.fetchManifest(p.tag(), refs.get(0), deadline()), null);
      assertThat(store.fetchBlob(p.tag(), m.layers().get(0), deadline())).isEqualTo(p.envelopeBytes());
    }
    // Without the CA bundle the registry's certificate is not trusted.
    try (RegistryStore untrusted = store("{\"name\":\"oras\",\"plainHttpLoopback\":false,\"maxRetries\":0}")) {
      assertThatThrownBy(() -> untrusted.resolve(Reference.parse(tls.host() + "/signet/tls:v1"), deadline()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("cannot reach");
    }
  }

  @Test
  void notationE2eLayoutReadsBackThroughTheTagSchema() throws Exception {
    Path layout = Vectors.notary(E2E);
    try (RegistryStore store = store(basicStoreConfig())) {
      Reference repo = Reference.parse(basic.host() + "/notation/e2e:v1");
      pushLayout(store.client(), repo, layout);

      Descriptor subject = store.resolve(repo, deadline());
      assertThat(subject.digest().toString())
          .isEqualTo("sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9");
      assertThat(subject.size()).isEqualTo(517);
      List<Descriptor> refs = store.referrers(repo, subject, MediaTypes.NOTARY_SIGNATURE, deadline());
      assertThat(refs).extracting(d -> d.digest().toString())
          .containsExactly("sha256:90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f");
      Manifest sig = Manifest.parse(store.fetchManifest(repo, refs.get(0), deadline()), null);
      assertThat(sig.layers()).singleElement().satisfies(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.JWS_ENVELOPE));
      byte[] envelope = store.fetchBlob(repo, sig.layers().get(0), deadline());
      assertThat(envelope).isEqualTo(Files.readAllBytes(
          layout.resolve("blobs/sha256/c9af07e038b2b1a463e648986ad7273157511ffeba0b689f33e5472bae471f50")));
    }
  }

  @Test
  void readsASigstoreBundleAttachedByTheThirdPartySigstoreOciClient() throws Exception {
    Path modules = SigstoreNodeModules.path();
    try (RegistryStore store = store(basicStoreConfig())) {
      Pushed p = pushSignedImage(store.client(), basic.host() + "/sigstore/app", "hello sigstore", false);
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair kp = kpg.generateKeyPair();
      Path work = Files.createTempDirectory(dir, "sigstore");
      Files.writeString(work.resolve("signer.key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
      Files.writeString(work.resolve("signer.pub"), pem("PUBLIC KEY", kp.getPublic().getEncoded()));
      Path script = work.resolve("sigstore-attach.js");
      try (var in = DistributionRegistryTest.class.getResourceAsStream("sigstore-attach.js")) {
        Files.copy(in, script);
      }
      ProcessBuilder pb = new ProcessBuilder("node", script.toString(), basic.host(), "sigstore/app",
          p.subject().digest().toString(), work.resolve("signer.key").toString(), work.resolve("signer.pub").toString())
          .directory(work.toFile())
          .redirectErrorStream(true)
          .redirectOutput(work.resolve("node.log").toFile());
      pb.environment().put("NODE_PATH", modules.toString());
      pb.environment().put("SIGNET_REGISTRY_USER", DistributionRegistry.USER);
      pb.environment().put("SIGNET_REGISTRY_PASSWORD", DistributionRegistry.PASSWORD);
      Process node = pb.start();
      if (!node.waitFor(120, TimeUnit.SECONDS)) {
        node.toHandle().destroyForcibly();
        throw new AssertionError("node did not finish within 120 s");
      }
      assertThat(node.exitValue()).as(Files.readString(work.resolve("node.log"))).isZero();

      List<Descriptor> refs = store.referrers(p.tag(), p.subject(), SIGSTORE_BUNDLE, deadline());
      assertThat(refs).singleElement().satisfies(r -> assertThat(r.artifactType()).isEqualTo(SIGSTORE_BUNDLE));
      Manifest m = Manifest.parse(store.fetchManifest(p.tag(), refs.get(0), deadline()), null);
      assertThat(m.subject().digest()).isEqualTo(p.subject().digest());
      JsonNode bundle = StrictJson.parseObject(store.fetchBlob(p.tag(), m.layers().get(0), deadline()), 1 << 20, "bundle");
      JsonNode dsse = bundle.get("dsseEnvelope");
      byte[] payload = Base64.getDecoder().decode(dsse.get("payload").asString());
      String type = dsse.get("payloadType").asString();
      byte[] pae = ("DSSEv1 " + type.getBytes(StandardCharsets.UTF_8).length + " " + type + " " + payload.length + " ")
          .getBytes(StandardCharsets.UTF_8);
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(kp.getPublic());
      verifier.update(pae);
      verifier.update(payload);
      assertThat(verifier.verify(Base64.getDecoder().decode(dsse.get("signatures").get(0).get("sig").asString()))).isTrue();
      JsonNode statement = StrictJson.parseObject(payload, 1 << 20, "statement");
      assertThat(statement.get("subject").get(0).get("digest").get("sha256").asString()).isEqualTo(p.subject().digest().hex());
    }
  }

  static final String SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";


  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** Pushes an OCI layout read in place: blobs, then manifests, then indexes, tags from ref.name. */
  static void pushLayout(RegistryClient c, Reference repo, Path layout) throws Exception {
    Deadline d = deadline();
    ImageIndex top = ImageIndex.parse(Files.readAllBytes(layout.resolve("index.json")));
    Set<Digest> manifestDigests = new HashSet<>();
    top.manifests().forEach(x -> manifestDigests.add(x.digest()));
    List<Descriptor> indexes = new ArrayList<>();
    for (Descriptor m : top.manifests()) {
      if (MediaTypes.isIndex(m.mediaType())) {
        indexes.add(m);
        continue;
      }
      Manifest parsed = Manifest.parse(blob(layout, m.digest()), m.mediaType());
      List<Descriptor> parts = new ArrayList<>(parsed.layers());
      if (parsed.config() != null) {
        parts.add(parsed.config());
      }
      for (Descriptor part : parts) {
        assertThat(RegistryPusher.pushBlob(c, repo, part.mediaType(), blob(layout, part.digest()), d).digest()).isEqualTo(part.digest());
      }
    }
    List<Descriptor> ordered = new ArrayList<>(top.manifests());
    ordered.removeAll(indexes);
    ordered.addAll(indexes);
    for (Descriptor m : ordered) {
      String tag = m.annotations().get("org.opencontainers.image.ref.name");
      RegistryPusher.pushManifest(c, repo, tag != null ? tag : m.digest().toString(), m.mediaType(), blob(layout, m.digest()), d);
    }
  }

  static byte[] blob(Path layout, Digest digest) throws Exception {
    return Files.readAllBytes(layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex()));
  }
}
