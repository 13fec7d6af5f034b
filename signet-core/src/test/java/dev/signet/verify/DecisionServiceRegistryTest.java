package dev.signet.verify;

import dev.signet.policy.ConfigPolicy;
import dev.signet.result.VerificationResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.cache.CaffeineResultCache;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.registry.CredentialProvider;
import dev.signet.oci.registry.FakeRegistry;
import dev.signet.oci.registry.RegistryOptions;
import dev.signet.oci.registry.RegistryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single flight against the in-process registry, counting HTTP requests. */
class DecisionServiceRegistryTest {
  static final Clock CLOCK = Clock.systemUTC();

  FakeRegistry registry;
  RegistryStore store;
  final Signing pki = new Signing("Registry");
  String subject;

  @BeforeEach
  void seed() throws Exception {
    registry = new FakeRegistry();
    byte[] layer = "app".getBytes(StandardCharsets.UTF_8);
    Digest layerDigest = registry.putBlob(layer);
    Digest empty = registry.putBlob("{}".getBytes(StandardCharsets.UTF_8));
    byte[] image = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + "{\"mediaType\":\"" + MediaTypes.OCI_EMPTY + "\",\"digest\":\"" + empty + "\",\"size\":2},\"layers\":["
        + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":3}]}")
        .getBytes(StandardCharsets.UTF_8);
    Digest imageDigest = registry.putManifest("team/app", "v1", image, MediaTypes.OCI_MANIFEST);
    Descriptor target = new Descriptor(MediaTypes.OCI_MANIFEST, imageDigest, image.length);
    byte[] envelope = pki.sign(target);
    Digest envelopeDigest = registry.putBlob(envelope);
    byte[] signature = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
        + MediaTypes.NOTARY_SIGNATURE + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_EMPTY + "\",\"digest\":\""
        + empty + "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + MediaTypes.JWS_ENVELOPE + "\",\"digest\":\""
        + envelopeDigest + "\",\"size\":" + envelope.length + "}],\"subject\":{\"mediaType\":\""
        + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + imageDigest + "\",\"size\":" + image.length + "}}")
        .getBytes(StandardCharsets.UTF_8);
    registry.putManifest("team/app", null, signature, MediaTypes.OCI_MANIFEST);
    store = RegistryStore.create(RegistryOptions.defaults(), CredentialProvider.anonymous(), CLOCK);
    subject = registry.host() + "/team/app@" + imageDigest;
  }

  @AfterEach
  void stop() {
    store.close();
    registry.close();
  }

  @Test
  void a_hundred_concurrent_decisions_of_one_digest_cost_one_set_of_registry_requests() throws Exception {
    Executor executor = new Executor(List.of(store), List.of(pki.notation("notation", CLOCK)),
        new ConfigPolicy(Map.of()), Duration.ofSeconds(20), CLOCK);
    DecisionService decisions =
        new DecisionService(() -> ConfiguredExecutor.local(1, executor), new CaffeineResultCache(), CLOCK);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<VerificationResult>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 100; i++) {
        results.add(threads.submit(() -> {
          start.await();
          return decisions.decide(subject);
        }));
      }
      start.countDown();
      for (Future<VerificationResult> f : results) {
        VerificationResult r = f.get();
        assertThat(r.isSuccess()).as(r.toString()).isTrue();
      }
    }
    // manifest GET (resolve), referrers GET, signature manifest GET, envelope GET
    assertThat(registry.requests()).isEqualTo(4);
    assertThat(store.requestCount()).isEqualTo(4);
    System.out.println("100 concurrent decisions of one digest: " + registry.requests() + " registry requests");
  }
}
