package dev.signet.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.Manifest;
import dev.signet.oci.MediaTypes;
import dev.signet.reference.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry requests of one cold verification: resolve the tag, list referrers, fetch the
 * signature manifest, fetch the envelope, plus the token round trip (401 challenge + token).
 */
class RegistryRequestCountTest {
  FakeRegistry fake;
  Reference tag;

  @BeforeEach
  void seed() throws Exception {
    fake = new FakeRegistry();
    fake.auth = FakeRegistry.AuthMode.TOKEN;
    byte[] cfg = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "app".getBytes(StandardCharsets.UTF_8);
    Descriptor c = new Descriptor(MediaTypes.OCI_EMPTY, fake.putBlob(cfg), cfg.length);
    Descriptor l = new Descriptor("application/vnd.oci.image.layer.v1.tar", fake.putBlob(layer), layer.length);
    byte[] image = Artifacts.image(c, l);
    Digest subject = fake.putManifest("count/app", "v1", image, MediaTypes.OCI_MANIFEST);
    byte[] env = "{\"payload\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    Descriptor envelope = new Descriptor(MediaTypes.JWS_ENVELOPE, fake.putBlob(env), env.length);
    byte[] sig = Artifacts.artifact(MediaTypes.NOTARY_SIGNATURE, envelope,
        new Descriptor(MediaTypes.OCI_MANIFEST, subject, image.length));
    Digest sigDigest = fake.putManifest("count/app", null, sig, MediaTypes.OCI_MANIFEST);
    fake.putManifest("count/app", RegistryClient.tagFor(subject, ""), Artifacts.index(
        new Descriptor(MediaTypes.OCI_MANIFEST, sigDigest, sig.length, MediaTypes.NOTARY_SIGNATURE, Map.of())),
        MediaTypes.OCI_INDEX);
    tag = Reference.parse(fake.host() + "/count/app:v1");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  long coldFlow(RegistryStore store) throws Exception {
    Deadline d = Deadline.after(Clock.systemUTC(), Duration.ofSeconds(30));
    Descriptor subject = store.resolve(tag, d);
    List<Descriptor> refs = store.referrers(tag, subject, MediaTypes.NOTARY_SIGNATURE, d);
    Manifest m = Manifest.parse(store.fetchManifest(tag, refs.get(0), d), null);
    store.fetchBlob(tag, m.layers().get(0), d);
    return store.requestCount();
  }

  RegistryStore store() throws Exception {
    return RegistryStore.create(RegistryOptions.defaults(), r -> new Credential.Basic(fake.user, fake.password), Clock.systemUTC());
  }

  @Test
  void sixRequestsWithTheReferrersApi() throws Exception {
    try (RegistryStore store = store()) {
      // 401 challenge, token, manifest GET, referrers GET, signature manifest GET, envelope GET
      assertThat(coldFlow(store)).isEqualTo(6);
      assertThat(fake.log).extracting(FakeRegistry.Seen::method).hasSize(6);
      assertThat(fake.tokensIssued()).isEqualTo(1);
    }
  }

  @Test
  void sevenRequestsThroughTheTagSchemaFallback() throws Exception {
    fake.referrersApi = false;
    try (RegistryStore store = store()) {
      // as above, the referrers API answers 404 and the sha256-<hex> index is read instead
      assertThat(coldFlow(store)).isEqualTo(7);
    }
  }
}
