package dev.signet.oci.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.cosign.CosignSigner;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.ContentMismatchException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.Manifest;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OciLayoutStoreTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Deadline NONE = Deadline.none(CLOCK);
  private static final Reference REPO = Reference.parse("local/demo");
  private static final String E2E = "notation/test/e2e/testdata/registry/oci_layout/";
  private static final Digest IMAGE =
      Digest.parse("sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9");
  private static final Descriptor IMAGE_DESC = new Descriptor(MediaTypes.OCI_MANIFEST, IMAGE, 517);
  private static final Digest VALID_SIG =
      Digest.parse("sha256:90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f");

  private static OciLayoutStore e2e(String name) throws StoreException {
    return new OciLayoutStore(Vectors.notary(E2E + name));
  }

  private static List<Digest> digests(List<Descriptor> list) {
    return list.stream().map(Descriptor::digest).toList();
  }

  @Nested
  class NotationE2eLayouts {
    @Test
    void unsignedImageResolvesByTagAndHasNoReferrers() throws Exception {
      OciLayoutStore store = e2e("e2e");
      Descriptor d = store.resolve(Reference.parse("local/e2e:v1"), NONE);
      assertThat(d.digest()).isEqualTo(IMAGE);
      assertThat(d.size()).isEqualTo(517);
      assertThat(d.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(store.referrers(REPO, d, null, NONE)).isEmpty();
      assertThat(store.referrers(REPO, d, MediaTypes.NOTARY_SIGNATURE, NONE)).isEmpty();
    }

    @Test
    void validSignatureIsTheOnlyReferrer() throws Exception {
      OciLayoutStore store = e2e("e2e-valid-signature");
      Descriptor subject = store.resolve(Reference.parse("local/e2e:v1"), NONE);
      List<Descriptor> sigs = store.referrers(REPO, subject, MediaTypes.NOTARY_SIGNATURE, NONE);
      assertThat(digests(sigs)).containsExactly(VALID_SIG);
      Descriptor sig = sigs.get(0);
      assertThat(sig.artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
      assertThat(sig.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(sig.size()).isEqualTo(728);
      assertThat(store.referrers(REPO, subject, "application/spdx+json", NONE)).isEmpty();
    }

    @Test
    void signatureManifestAndEnvelopeAreFetchedAndChecked() throws Exception {
      OciLayoutStore store = e2e("e2e-valid-signature");
      Descriptor sig = store.referrers(REPO, IMAGE_DESC, null, NONE).get(0);
      byte[] bytes = store.fetchManifest(REPO, sig, NONE);
      Manifest manifest = Manifest.parse(bytes, sig.mediaType());
      assertThat(manifest.subject().sameContent(IMAGE_DESC)).isTrue();
      assertThat(manifest.config().mediaType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
      Descriptor envelope = manifest.layers().get(0);
      assertThat(envelope.mediaType()).isEqualTo(MediaTypes.JWS_ENVELOPE);
      byte[] jws = store.fetchBlob(REPO, envelope, NONE);
      assertThat(Digest.sha256(jws)).isEqualTo(envelope.digest());
      assertThat(envelope.digest().hex()).startsWith("c9af07e0");
    }

    @Test
    void multipleSignaturesComeFromTagIndexAndScan() throws Exception {
      // The tag-schema index lists only 90ceaff2; c3ebe4a2 is found by scanning for subject.
      OciLayoutStore store = e2e("e2e-valid-multiple-signatures");
      List<Descriptor> sigs = store.referrers(REPO, IMAGE_DESC, MediaTypes.NOTARY_SIGNATURE, NONE);
      assertThat(digests(sigs))
          .containsExactlyInAnyOrder(
              VALID_SIG,
              Digest.parse(
                  "sha256:c3ebe4a20b6832328fc5078a7795ddc1114b896e13fca2add38109c3866b5fbf"));
      assertThat(sigs)
          .allSatisfy(s -> assertThat(s.artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE));
    }

    @Test
    void timestampedSignatureIsFoundByScanning() throws Exception {
      OciLayoutStore store = e2e("e2e-with-timestamped-signature");
      Descriptor subject = store.resolve(Reference.parse("local/e2e:v1"), NONE);
      assertThat(subject.digest())
          .isEqualTo(
              Digest.parse(
                  "sha256:53b0191218aed9a3c1f7c661736ac40cfc8eb928642348fd843ba3f0483c0c20"));
      assertThat(subject.size()).isEqualTo(582);
      assertThat(subject.artifactType()).isEqualTo("application/vnd.unknown.artifact.v1");
      List<Descriptor> sigs = store.referrers(REPO, subject, MediaTypes.NOTARY_SIGNATURE, NONE);
      assertThat(sigs).hasSize(1);
      assertThat(sigs.get(0).digest().hex()).startsWith("6a5cd3a8");
      assertThat(sigs.get(0).size()).isEqualTo(729);
      assertThat(sigs.get(0).annotations()).containsKey("io.cncf.notary.x509chain.thumbprint#S256");
    }

    @Test
    void subjectMustMatchInMediaTypeAndSize() throws Exception {
      OciLayoutStore store = e2e("e2e-with-timestamped-signature");
      Descriptor subject = store.resolve(Reference.parse("local/e2e:v1"), NONE);
      Descriptor wrongSize =
          new Descriptor(subject.mediaType(), subject.digest(), subject.size() + 1);
      Descriptor wrongType =
          new Descriptor(MediaTypes.DOCKER_MANIFEST, subject.digest(), subject.size());
      assertThat(store.referrers(REPO, wrongSize, null, NONE)).isEmpty();
      assertThat(store.referrers(REPO, wrongType, null, NONE)).isEmpty();
    }

    @Test
    void resolvesByDigest() throws Exception {
      OciLayoutStore store = e2e("e2e-valid-signature");
      Descriptor byDigest = store.resolve(Reference.parse("local/e2e@" + IMAGE), NONE);
      assertThat(byDigest.sameContent(IMAGE_DESC)).isTrue();
      // The tag is ignored when a digest is given.
      Descriptor both = store.resolve(Reference.parse("local/e2e:nope@" + IMAGE), NONE);
      assertThat(both.digest()).isEqualTo(IMAGE);
      Descriptor sig = store.resolve(Reference.parse("local/e2e@" + VALID_SIG), NONE);
      assertThat(sig.size()).isEqualTo(728);
      assertThat(sig.artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    }

    @Test
    void unknownDigestIsAClearError() throws Exception {
      OciLayoutStore store = e2e("e2e");
      String unknown = "sha256:" + "0".repeat(64);
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/e2e@" + unknown), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(unknown)
          .hasMessageContaining("not found");
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/e2e:v9"), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("tag \"v9\" is not found");
    }

    @ParameterizedTest
    @CsvSource({
      "e2e, 0",
      "e2e-valid-signature, 1",
      "e2e-expired-signature, 1",
      "e2e-with-expired-cert, 1",
      "e2e-invalid-signature, 1",
      "e2e-valid-multiple-signatures, 2",
      "e2e-with-timestamped-signature, 1",
      "e2e-with-invalid-timestamped-signature, 1",
    })
    void everyLayoutResolvesAndItsSignaturesAreReadable(String name, int expected)
        throws Exception {
      OciLayoutStore store = e2e(name);
      Descriptor subject = store.resolve(Reference.parse("local/e2e:v1"), NONE);
      assertThat(store.fetchManifest(REPO, subject, NONE)).hasSize((int) subject.size());
      List<Descriptor> sigs = store.referrers(REPO, subject, MediaTypes.NOTARY_SIGNATURE, NONE);
      assertThat(sigs).hasSize(expected);
      for (Descriptor sig : sigs) {
        Manifest m = Manifest.parse(store.fetchManifest(REPO, sig, NONE), sig.mediaType());
        assertThat(m.subject().sameContent(subject)).isTrue();
        assertThat(m.layers()).hasSize(1);
        byte[] envelope = store.fetchBlob(REPO, m.layers().get(0), NONE);
        assertThat(envelope).hasSize((int) m.layers().get(0).size());
      }
    }
  }

  @Nested
  class NotationGoLayout {
    private static final Digest ALPINE =
        Digest.parse("sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0");

    private OciLayoutStore store() throws StoreException {
      return new OciLayoutStore(Vectors.notary("notation-go/internal/testdata/oci-layout"));
    }

    @Test
    void resolvesTheManifestThoughItsLayerIsAbsent() throws Exception {
      OciLayoutStore store = store();
      Descriptor byTag = store.resolve(Reference.parse("local/oci-layout:v2"), NONE);
      assertThat(byTag.digest()).isEqualTo(ALPINE);
      assertThat(byTag.size()).isEqualTo(481);
      assertThat(byTag.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      Descriptor byDigest = store.resolve(Reference.parse("local/oci-layout@" + ALPINE), NONE);
      assertThat(byDigest.sameContent(byTag)).isTrue();
      assertThat(store.referrers(REPO, byTag, null, NONE)).isEmpty();

      Manifest m = Manifest.parse(store.fetchManifest(REPO, byTag, NONE), byTag.mediaType());
      assertThat(store.fetchBlob(REPO, m.config(), NONE)).hasSize((int) m.config().size());
      assertThatThrownBy(() -> store.fetchBlob(REPO, m.layers().get(0), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("not found");
    }
  }

  @Nested
  class BuiltLayouts {
    @TempDir Path dir;

    @Test
    void cosignSignatureTagIsAReferrerOnlyWithCosignEnabled() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "local/demo:v1");
      Descriptor sig = layout.image("signature");
      layout.add(sig, "local/demo:" + CosignSigner.tag(image.digest()));
      // The same tag in another repository is not this image's signature.
      layout.add(layout.image("elsewhere"), "local/other:" + CosignSigner.tag(image.digest()));

      assertThat(new OciLayoutStore(dir).referrers(REPO, image, null, NONE)).isEmpty();
      OciLayoutStore cosign = new OciLayoutStore(dir, OciLayoutStore.Limits.defaults(), true);
      List<Descriptor> found = cosign.referrers(REPO, image, null, NONE);
      assertThat(digests(found)).containsExactly(sig.digest());
      assertThat(found.get(0).artifactType())
          .isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
      assertThat(cosign.referrers(REPO, image, MediaTypes.NOTARY_SIGNATURE, NONE)).isEmpty();
    }

    @Test
    void aCosignSignatureTagNamingTwoManifestsIsRefused() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "local/demo:v1");
      String tag = "local/demo:" + CosignSigner.tag(image.digest());
      layout.add(layout.image("signature"), tag).add(layout.image("another signature"), tag);

      OciLayoutStore cosign = new OciLayoutStore(dir, OciLayoutStore.Limits.defaults(), true);
      assertThatThrownBy(() -> cosign.referrers(REPO, image, null, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("ambiguous");
    }

    @Test
    void tamperedBlobIsNeverReturned() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "v1");
      OciLayoutStore store = new OciLayoutStore(dir);
      byte[] original = Files.readAllBytes(layout.blobPath(image));
      byte[] tampered = original.clone();
      tampered[tampered.length - 3] ^= 1; // same size, different bytes
      Files.write(layout.blobPath(image), tampered);

      assertThatThrownBy(() -> store.fetchManifest(REPO, image, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("does not match")
          .hasCauseInstanceOf(ContentMismatchException.class);
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo:v1"), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(image.digest().toString());
    }

    @Test
    void wrongSizeIsRefused() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(new Descriptor(image.mediaType(), image.digest(), image.size() + 1), "v1");
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo:v1"), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("descriptor says " + (image.size() + 1));
      Descriptor shorter = new Descriptor(image.mediaType(), image.digest(), image.size() - 1);
      assertThatThrownBy(() -> store.fetchManifest(REPO, shorter, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("fails its check");
    }

    @Test
    void missingBlobIsNotFound() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "v1");
      Files.delete(layout.blobPath(image));
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo:v1"), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("blob " + image.digest() + " is not found");
      assertThatThrownBy(() -> store.fetchBlob(REPO, image, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("not found");
    }

    @Test
    void oversizedManifestAndBlobAreRefusedBeforeReading() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "v1");
      Descriptor big = layout.blob(new byte[2048], "application/octet-stream");
      OciLayoutStore small =
          new OciLayoutStore(
              dir,
              OciLayoutStore.Limits.defaults().withMaxManifestBytes(100).withMaxBlobBytes(1024));
      assertThatThrownBy(() -> small.fetchManifest(REPO, image, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("larger than the limit of 100 bytes");
      assertThatThrownBy(() -> small.fetchBlob(REPO, big, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("larger than the limit of 1024 bytes");
      // A manifest over the default 4 MiB limit, as a descriptor claims it.
      OciLayoutStore store = new OciLayoutStore(dir);
      Descriptor huge =
          new Descriptor(MediaTypes.OCI_MANIFEST, image.digest(), 4L * 1024 * 1024 + 1);
      assertThatThrownBy(() -> store.fetchManifest(REPO, huge, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("larger than the limit of 4194304 bytes");
      assertThat(store.fetchBlob(REPO, big, NONE)).hasSize(2048);
      assertThatThrownBy(
              () -> OciLayoutStore.Limits.defaults().withMaxManifestBytes(Manifest.MAX_BYTES + 1))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nestedIndexesAreResolvedAndScanned() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor amd64 = layout.image("amd64");
      Descriptor arm64 = layout.image("arm64");
      Descriptor sig = layout.signature(arm64, "sig-of-arm64");
      Descriptor inner = layout.index(List.of(arm64, sig));
      Descriptor outer = layout.index(List.of(amd64, inner));
      layout.add(outer, "multi");
      OciLayoutStore store = new OciLayoutStore(dir);

      Descriptor tagged = store.resolve(Reference.parse("local/demo:multi"), NONE);
      assertThat(tagged.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
      assertThat(tagged.digest()).isEqualTo(outer.digest());
      Descriptor nested = store.resolve(Reference.parse("local/demo@" + arm64.digest()), NONE);
      assertThat(nested.sameContent(arm64)).isTrue();

      List<Descriptor> referrers = store.referrers(REPO, arm64, null, NONE);
      assertThat(digests(referrers)).containsExactly(sig.digest());
      assertThat(referrers.get(0).artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
      assertThat(store.referrers(REPO, amd64, null, NONE)).isEmpty();

      OciLayoutStore shallow =
          new OciLayoutStore(dir, OciLayoutStore.Limits.defaults().withMaxIndexDepth(1));
      assertThatThrownBy(() -> shallow.referrers(REPO, arm64, null, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("nests image indexes deeper than 1");
      OciLayoutStore capped =
          new OciLayoutStore(dir, OciLayoutStore.Limits.defaults().withMaxManifestsScanned(3));
      assertThatThrownBy(() -> capped.referrers(REPO, arm64, null, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("more than 3 manifests");
    }

    @Test
    void pathTraversalLookingInputIsRejected() throws Exception {
      assertThatThrownBy(() -> Reference.parse("local/demo@sha256:../../../etc/passwd"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Reference.parse("local/demo:../v1"))
          .isInstanceOf(IllegalArgumentException.class);

      TestLayout layout = new TestLayout(dir);
      layout.addRaw(
          "{\"mediaType\":\""
              + MediaTypes.OCI_MANIFEST
              + "\",\"digest\":\"sha256:../../../etc/passwd\",\"size\":10}");
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("index.json")
          .hasMessageContaining("digest");
    }

    @Test
    void blobLinkedOutsideTheLayoutIsRefused(@TempDir Path outside) throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "v1");
      Path elsewhere = outside.resolve("manifest.json");
      Files.move(layout.blobPath(image), elsewhere);
      Files.createSymbolicLink(layout.blobPath(image), elsewhere);
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThatThrownBy(() -> store.fetchManifest(REPO, image, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("outside the layout");
    }

    @Test
    void indexJsonLinkedOutsideTheLayoutIsRefused(@TempDir Path outside) throws Exception {
      new TestLayout(dir);
      Path elsewhere = outside.resolve("index.json");
      Files.move(dir.resolve("index.json"), elsewhere);
      Files.createSymbolicLink(dir.resolve("index.json"), elsewhere);
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("index.json is not a regular file inside the layout");
    }

    @Test
    void blobLinkedInsideTheLayoutIsRead() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "v1");
      Path moved = dir.resolve("store/" + image.digest().hex());
      Files.createDirectories(moved.getParent());
      Files.move(layout.blobPath(image), moved);
      Files.createSymbolicLink(layout.blobPath(image), moved);
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThat(store.fetchManifest(REPO, image, NONE)).hasSize((int) image.size());
    }

    @Test
    void malformedLayoutFilesAreClearErrors() throws Exception {
      TestLayout layout = new TestLayout(dir);
      layout.writeIndexJson("{\"schemaVersion\":2,\"manifests\":[");
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("index.json")
          .hasMessageContaining("not valid JSON");
      layout.writeIndexJson("{\"schemaVersion\":2,\"manifests\":[],\"manifests\":[]}");
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("index.json");
      layout.writeIndexJson("{\"manifests\":[]}");
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("schemaVersion 2");
      layout.writeIndexJson("{\"schemaVersion\":2,\"manifests\":{}}");
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("manifests array");
      layout.writeIndexJson("{\"schemaVersion\":2,\"manifests\":[]}");
      assertThat(new OciLayoutStore(dir).directory()).isEqualTo(dir.toRealPath());

      TestLayout.write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("imageLayoutVersion \"1.0.0\"");
      Files.delete(dir.resolve("oci-layout"));
      assertThatThrownBy(() -> new OciLayoutStore(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("oci-layout is missing");
      assertThatThrownBy(() -> new OciLayoutStore(dir.resolve("nope")))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("is not a directory");
    }

    @Test
    void bothSignatureFormsAndArtifactManifestsAreReferrers() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      Descriptor current = layout.signature(image, "current");
      Descriptor legacy = layout.legacySignature(image, "legacy");
      Descriptor artifact = layout.artifactManifest(image, MediaTypes.NOTARY_SIGNATURE, "artifact");
      Descriptor sbom = layout.artifactManifest(image, "application/spdx+json", "sbom");
      layout.add(image, "v1").add(current).add(legacy).add(artifact).add(sbom);
      OciLayoutStore store = new OciLayoutStore(dir);

      List<Descriptor> sigs = store.referrers(REPO, image, MediaTypes.NOTARY_SIGNATURE, NONE);
      assertThat(digests(sigs))
          .containsExactly(current.digest(), legacy.digest(), artifact.digest());
      assertThat(sigs)
          .allSatisfy(s -> assertThat(s.artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE));
      assertThat(sigs.get(2).mediaType()).isEqualTo(MediaTypes.OCI_ARTIFACT_MANIFEST);
      assertThat(sigs.get(0).annotations()).containsEntry("k", "v");
      assertThat(digests(store.referrers(REPO, image, null, NONE)))
          .hasSize(4)
          .contains(sbom.digest());

      Manifest fetched =
          Manifest.parse(store.fetchManifest(REPO, sigs.get(2), NONE), sigs.get(2).mediaType());
      assertThat(fetched.layers()).hasSize(1);
      assertThat(
              new String(
                  store.fetchBlob(REPO, fetched.layers().get(0), NONE), StandardCharsets.UTF_8))
          .isEqualTo("artifact");
    }

    @Test
    void tagIndexAndScanAreUnitedWithoutDuplicates() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      Descriptor sig = layout.signature(image, "one");
      Descriptor other = layout.legacySignature(image, "two");
      // The tag index lists sig without artifactType: it is read from the manifest.
      Descriptor tagIndex = layout.index(List.of(sig));
      layout.add(image, "v1").add(sig).add(other).add(tagIndex, "sha256-" + image.digest().hex());
      OciLayoutStore store = new OciLayoutStore(dir);
      List<Descriptor> found = store.referrers(REPO, image, null, NONE);
      assertThat(digests(found)).containsExactly(sig.digest(), other.digest());
      assertThat(found.get(0).artifactType()).isEqualTo(MediaTypes.NOTARY_SIGNATURE);
    }

    @Test
    void tagIndexListingIsTrustedEvenWithoutScanMatch() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      Descriptor listed =
          new Descriptor(
              MediaTypes.OCI_MANIFEST,
              Digest.sha256(new byte[] {1}),
              1,
              "application/x-test",
              Map.of());
      Descriptor tagIndex = layout.index(List.of(listed));
      layout.add(image, "v1").add(tagIndex, "sha256-" + image.digest().hex());
      OciLayoutStore store = new OciLayoutStore(dir);
      List<Descriptor> found = store.referrers(REPO, image, "application/x-test", NONE);
      assertThat(digests(found)).containsExactly(listed.digest());
      // Fetching it fails closed because the blob is absent.
      assertThatThrownBy(() -> store.fetchManifest(REPO, found.get(0), NONE))
          .isInstanceOf(StoreException.class);
    }

    @Test
    void oversizedTagIndexIsRefused() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      Descriptor tagIndex =
          layout.index(
              List.of(
                  layout.signature(image, "1"),
                  layout.signature(image, "2"),
                  layout.signature(image, "3")));
      layout.add(image, "v1").add(tagIndex, "sha256-" + image.digest().hex());
      OciLayoutStore capped =
          new OciLayoutStore(dir, OciLayoutStore.Limits.defaults().withMaxManifestsScanned(2));
      assertThatThrownBy(() -> capped.referrers(REPO, image, null, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("lists more than 2 manifests");
      assertThat(new OciLayoutStore(dir).referrers(REPO, image, null, NONE)).hasSize(3);
    }

    @Test
    void brokenTagIndexIsAnError() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      Descriptor tagIndex = layout.index(List.of());
      layout.add(image, "v1").add(tagIndex, "sha256-" + image.digest().hex());
      Files.writeString(layout.blobPath(tagIndex), "x".repeat((int) tagIndex.size()));
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThatThrownBy(() -> store.referrers(REPO, image, null, NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining(tagIndex.digest().toString());
    }

    @Test
    void looseManifestBlobResolvesByDigestOtherBlobsDoNot() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor tagged = layout.image("a");
      Descriptor loose = layout.image("loose");
      layout.add(tagged, "v1");
      OciLayoutStore store = new OciLayoutStore(dir);
      Descriptor d = store.resolve(Reference.parse("local/demo@" + loose.digest()), NONE);
      assertThat(d.sameContent(loose)).isTrue();

      Descriptor layer = layout.blob("not a manifest".getBytes(StandardCharsets.UTF_8), "x");
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo@" + layer.digest()), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("does not name a manifest");
      Descriptor config = layout.blob("{\"architecture\":\"amd64\"}", "x");
      assertThatThrownBy(
              () -> store.resolve(Reference.parse("local/demo@" + config.digest()), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("does not declare a manifest or index mediaType");
    }

    @Test
    void tagLookupEdgeCases() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor a = layout.image("a");
      Descriptor b = layout.image("b");
      layout.add(a, "v1").add(b, "v1").add(a, "local/demo:full").add(b, "same").add(b, "same");
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo:v1"), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("ambiguous");
      assertThat(store.resolve(Reference.parse("local/demo:full"), NONE).digest())
          .isEqualTo(a.digest());
      assertThat(store.resolve(Reference.parse("local/demo:same"), NONE).digest())
          .isEqualTo(b.digest());
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo"), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("neither a tag nor a digest");
    }

    @Test
    void entryMediaTypeMustAgreeWithContent() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(new Descriptor(MediaTypes.OCI_INDEX, image.digest(), image.size()), "v1");
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo:v1"), NONE))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("declares mediaType");
    }

    @Test
    void layoutChangesOnDiskAreSeen() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "v1");
      OciLayoutStore store = new OciLayoutStore(dir);
      assertThat(store.referrers(REPO, image, null, NONE)).isEmpty();
      Descriptor sig = layout.signature(image, "later");
      layout.add(sig);
      assertThat(digests(store.referrers(REPO, image, null, NONE))).containsExactly(sig.digest());
    }

    @Test
    void expiredDeadlineStopsWork() throws Exception {
      TestLayout layout = new TestLayout(dir);
      Descriptor image = layout.image("a");
      layout.add(image, "v1");
      OciLayoutStore store = new OciLayoutStore(dir);
      Deadline passed = Deadline.after(CLOCK, Duration.ZERO);
      assertThatThrownBy(() -> store.resolve(Reference.parse("local/demo:v1"), passed))
          .isInstanceOf(DeadlineExceededException.class);
      assertThatThrownBy(() -> store.referrers(REPO, image, null, passed))
          .isInstanceOf(DeadlineExceededException.class);
      assertThatThrownBy(() -> store.fetchBlob(REPO, image, passed))
          .isInstanceOf(DeadlineExceededException.class);
    }
  }
}
