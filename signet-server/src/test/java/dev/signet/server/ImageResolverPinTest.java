package dev.signet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.server.admission.AdmissionWebhook;
import dev.signet.verify.ImageResolver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ImageResolver#firstOf} pinning tags for the mutating webhook, which patches with its answer. */
class ImageResolverPinTest {
  private static final Digest DIGEST = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));

  /** A store that knows some tags; names repositories the way a registry store does. */
  private record TagStore(Map<String, Digest> tags) implements ReferrerStore {
    @Override
    public Descriptor resolve(Reference reference, Deadline deadline) throws StoreException {
      Digest d = tags.get(reference.toString());
      if (d == null) {
        throw new StoreException(reference + ": manifest unknown");
      }
      return new Descriptor(MediaTypes.OCI_MANIFEST, d, 100);
    }

    @Override
    public List<Descriptor> referrers(
        Reference repository, Descriptor subject, String artifactType, Deadline deadline) {
      return List.of();
    }

    @Override
    public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline) {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline) {
      throw new UnsupportedOperationException();
    }
  }

  private final Clock clock = Clock.systemUTC();

  private Deadline inOneSecond() {
    return Deadline.after(clock, Duration.ofSeconds(1));
  }

  @Test
  void aTagIsPinnedToTheNormalizedRepositoryAtItsDigest() throws Exception {
    ImageResolver resolver =
        ImageResolver.firstOf(List.of(new TagStore(Map.of()), new TagStore(Map.of("nginx:1.27", DIGEST))), Duration.ofSeconds(1));

    assertThat(resolver.pin(Reference.parse("nginx:1.27"), inOneSecond())).isEqualTo("docker.io/library/nginx@" + DIGEST);
  }

  @Test
  void anImageNoStoreKnowsFailsWithEachStoresReason() {
    ImageResolver resolver =
        ImageResolver.firstOf(List.of(new TagStore(Map.of()), new TagStore(Map.of())), Duration.ofSeconds(1));

    assertThatThrownBy(() -> resolver.pin(Reference.parse("registry.example/app:2"), inOneSecond()))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "could not resolve the image in any store: registry.example/app:2: manifest unknown;"
                + " registry.example/app:2: manifest unknown");
  }

  @Test
  void theWebhookUsesItsAnswerAsThePatchValue() throws Exception {
    AdmissionWebhook webhook =
        new AdmissionWebhook(
            image -> null,
            image ->
                ImageResolver.firstOf(List.of(new TagStore(Map.of("nginx:1.27", DIGEST))), Duration.ofSeconds(1))
                    .pin(Reference.parse(image), inOneSecond()),
            Duration.ofSeconds(5),
            1 << 20);
    String body =
        "{'apiVersion':'admission.k8s.io/v1','kind':'AdmissionReview','request':{'uid':'u1',"
            + "'kind':{'group':'','version':'v1','kind':'Pod'},'operation':'CREATE',"
            + "'object':{'spec':{'containers':[{'name':'web','image':'nginx:1.27'}]}}}}";

    String response =
        new String(
            webhook.handleMutate(body.replace('\'', '"').getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    String patch =
        new String(
            java.util.Base64.getDecoder()
                .decode(
                    dev.signet.json.StrictJson.MAPPER
                        .readTree(response)
                        .get("response")
                        .get("patch")
                        .asString()),
            StandardCharsets.UTF_8);

    assertThat(patch)
        .isEqualTo(
            "[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\","
                + "\"value\":\"docker.io/library/nginx@"
                + DIGEST
                + "\"}]");
  }
}
