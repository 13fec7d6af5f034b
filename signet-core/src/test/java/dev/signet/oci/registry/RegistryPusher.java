package dev.signet.oci.registry;

// Test-only uploads (OCI distribution spec, "Pushing blobs" / "Pushing manifests"; image spec 1.1
// referrers tag schema): production code never writes to a registry, so pushing lives here and
// sends through the client's authenticated pipeline (RegistryClient.send, package-private).

import dev.signet.cosign.CosignSignature;
import dev.signet.cosign.CosignSigner;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.HttpPipeline;
import dev.signet.oci.StoreException;
import java.net.URI;
import java.net.URLEncoder;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.MediaTypes;
import dev.signet.reference.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes images, artifacts attached to a subject, and the referrers tag-schema index that lists
 * them, the way a signer on a registry without the referrers API does.
 *
 * <pre>{@code
 * try (RegistryPusher push = RegistryPusher.withDockerConfig(registry.dockerConfig(USER, PASSWORD))) {
 *   Descriptor image = push.image(Reference.parse(registry.host() + "/app:v1"), "layer text");
 *   push.attach(ref, image, MediaTypes.NOTARY_SIGNATURE, MediaTypes.JWS_ENVELOPE, envelope);
 * }
 * }</pre>
 */
public final class RegistryPusher implements AutoCloseable {
  private static final Duration BUDGET = Duration.ofSeconds(60);

  private final RegistryClient client;
  private final Clock clock;

  private RegistryPusher(RegistryClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** A pusher with credentials from a Docker config.json (plain HTTP for loopback registries). */
  public static RegistryPusher withDockerConfig(Path dockerConfig) throws Exception {
    Clock clock = Clock.systemUTC();
    return new RegistryPusher(
        RegistryClient.create(
            RegistryOptions.defaults(), DockerConfigCredentials.of(dockerConfig, clock), clock),
        clock);
  }

  /** A pusher sending with {@code client} (its credentials and trust). */
  public static RegistryPusher of(RegistryClient client) {
    return new RegistryPusher(client, Clock.systemUTC());
  }

  private Deadline deadline() {
    return Deadline.after(clock, BUDGET);
  }

  public Descriptor blob(Reference repository, String mediaType, byte[] content) throws Exception {
    return pushBlob(client, repository, mediaType, content, deadline());
  }

  /** Puts a manifest under {@code tagOrDigest}; returns its descriptor. */
  public Descriptor manifest(
      Reference repository, String tagOrDigest, String mediaType, byte[] content) throws Exception {
    return pushManifest(client, repository, tagOrDigest, mediaType, content, deadline());
  }

  /** Uploads a blob with {@code client} (POST then PUT, monolithic) unless the registry has it. */
  static Descriptor pushBlob(
      RegistryClient client, Reference repository, String mediaType, byte[] content, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    Digest digest = Digest.sha256(content);
    Descriptor descriptor = new Descriptor(mediaType, digest, content.length);
    String registry = repository.registry();
    String scope = pushScope(repository);
    String what = "upload of blob " + digest + " to " + repository.qualifiedName();
    URI blob = URI.create(client.repoBase(repository) + "/blobs/" + digest);
    HttpPipeline.Response head =
        client.send(HttpPipeline.Request.of(what, "HEAD", blob), registry, scope, deadline);
    if (head.status() == 200) {
      return descriptor;
    }
    URI start = URI.create(client.repoBase(repository) + "/blobs/uploads/");
    HttpPipeline.Response started = client.send(
        HttpPipeline.Request.of(what, "POST", start).body("application/octet-stream", new byte[0]),
        registry, scope, deadline);
    if (started.status() != 202) {
      throw ErrorResponse.failure(started, what, registry);
    }
    String location = started.header("location")
        .orElseThrow(() -> new StoreException(what + ": the registry sent no upload location"));
    URI upload = started.uri().resolve(location);
    String sep = upload.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(upload + sep + "digest="
        + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
    HttpPipeline.Response done = client.send(
        HttpPipeline.Request.of(what, "PUT", put).body("application/octet-stream", content),
        registry, scope, deadline);
    if (done.status() != 201) {
      throw ErrorResponse.failure(done, what, registry);
    }
    return descriptor;
  }

  /** Puts a manifest with {@code client} under a tag or its digest. */
  static Descriptor pushManifest(RegistryClient client, Reference repository, String tagOrDigest,
      String mediaType, byte[] content, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = "upload of manifest " + tagOrDigest + " to " + repository.qualifiedName();
    HttpPipeline.Response r = client.send(
        HttpPipeline.Request.of(what, "PUT", client.manifestUri(repository, tagOrDigest))
            .body(mediaType, content),
        repository.registry(), pushScope(repository), deadline);
    if (r.status() != 201) {
      throw ErrorResponse.failure(r, what, repository.registry());
    }
    return new Descriptor(mediaType, Digest.sha256(content), content.length);
  }

  private static String pushScope(Reference repository) {
    return "repository:" + repository.repository() + ":pull,push";
  }

  /** Pushes a cosign signature manifest under its {@code sha256-<hex>.sig} tag, as cosign does. */
  public Descriptor cosign(Reference repository, CosignSigner.SignatureManifest signature)
      throws Exception {
    blob(repository, CosignSigner.SignatureManifest.CONFIG_MEDIA_TYPE, signature.config());
    blob(repository, CosignSignature.SIMPLE_SIGNING_MEDIA_TYPE, signature.payload());
    return manifest(repository, signature.tag(), MediaTypes.OCI_MANIFEST, signature.manifest());
  }

  /**
   * An OCI image with a small config and one layer holding {@code layerText}, tagged with the
   * reference's tag (or {@code latest}).
   */
  public Descriptor image(Reference reference, String layerText) throws Exception {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    Descriptor cfg = blob(reference, "application/vnd.oci.image.config.v1+json", config);
    Descriptor layer =
        blob(
            reference,
            "application/vnd.oci.image.layer.v1.tar",
            layerText.getBytes(StandardCharsets.UTF_8));
    String tag = reference.tag() == null ? "latest" : reference.tag();
    return manifest(reference, tag, MediaTypes.OCI_MANIFEST, Artifacts.image(cfg, layer));
  }

  /**
   * Attaches an artifact to {@code subject}: the layer blob, the empty config, an OCI 1.1 manifest
   * with {@code artifactType} and {@code subject} (pushed by digest), and a new entry in the
   * subject's referrers tag-schema index ({@code sha256-<hex>}), which is created when missing.
   *
   * @return the referrer descriptor as the index lists it (with its artifactType)
   */
  public Descriptor attach(
      Reference repository,
      Descriptor subject,
      String artifactType,
      String layerMediaType,
      byte[] layer)
      throws Exception {
    return attach(repository, subject, artifactType, layerMediaType, layer, Map.of());
  }

  /**
   * {@link #attach(Reference, Descriptor, String, String, byte[])} with annotations on the
   * artifact's manifest and its referrers index entry (e.g. {@code
   * org.opencontainers.image.created}).
   */
  public Descriptor attach(
      Reference repository,
      Descriptor subject,
      String artifactType,
      String layerMediaType,
      byte[] layer,
      Map<String, String> annotations)
      throws Exception {
    blob(repository, MediaTypes.OCI_EMPTY, Artifacts.EMPTY_CONFIG);
    Descriptor layerDescriptor = blob(repository, layerMediaType, layer);
    byte[] artifact = Artifacts.artifact(artifactType, layerDescriptor, subject, annotations);
    Descriptor pushed =
        manifest(repository, Digest.sha256(artifact).toString(), MediaTypes.OCI_MANIFEST, artifact);
    Descriptor entry =
        new Descriptor(pushed.mediaType(), pushed.digest(), pushed.size(), artifactType, annotations);
    addToReferrersIndex(repository, subject.digest(), entry);
    return entry;
  }

  /** Adds one entry to the referrers tag-schema index of {@code subject}. */
  public void addToReferrersIndex(Reference repository, Digest subject, Descriptor entry)
      throws Exception {
    String tag = referrersTag(subject);
    List<Descriptor> entries = new ArrayList<>();
    Optional<Descriptor> existing =
        client.headManifest(
            new Reference(repository.name(), tag, null), deadline());
    if (existing.isPresent()) {
      Descriptor found = client.resolve(new Reference(repository.name(), tag, null), deadline());
      entries.addAll(
          ImageIndex.parse(client.fetchManifest(repository, found, deadline())).manifests());
    }
    entries.add(entry);
    manifest(repository, tag, MediaTypes.OCI_INDEX, Artifacts.index(entries.toArray(Descriptor[]::new)));
  }

  /** The referrers tag schema's tag for a subject: {@code <alg>-<hex>}. */
  public static String referrersTag(Digest subject) {
    return RegistryClient.tagFor(subject, "");
  }

  /** HTTP exchanges this pusher has sent. */
  public long requestCount() {
    return client.requestCount();
  }

  @Override
  public void close() {
    client.close();
  }
}
