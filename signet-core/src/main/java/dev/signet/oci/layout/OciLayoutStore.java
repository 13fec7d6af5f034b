// OCI image layout specification v1.1 (image-layout.md, annotations.md "ref.name"), OCI
// distribution
// specification v1.1 (referrers tag schema), Notary checklist §1 (discovery and fetch limits).
package dev.signet.oci.layout;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link ReferrerStore} over an OCI image layout directory ({@code oci-layout}, {@code
 * index.json}, {@code blobs/<alg>/<hex>}). The repository name of a reference is ignored: a layout
 * holds one repository.
 *
 * <p>Decisions:
 *
 * <ul>
 *   <li>{@code index.json} is re-read on every call, so a layout updated on disk (for example by a
 *       signer) is seen; it is limited to {@link Manifest#MAX_BYTES}.
 *   <li>Resolving by digest accepts a manifest or index reachable from {@code index.json} (nested
 *       indexes included), else a blob of the layout whose content declares a manifest or index
 *       {@code mediaType}. Either way the manifest's bytes are read and checked against digest and
 *       size, so the returned descriptor's media type and size are those of the real content. When
 *       a reference has both a tag and a digest, the digest decides.
 *   <li>Referrers are the union of the referrers tag-schema index ({@code sha256-<hex>}) and a scan
 *       of every manifest reachable from {@code index.json} whose {@code subject} matches the
 *       target by media type, digest and size. A broken tag-schema index is an error; a manifest
 *       that cannot be read or parsed during the scan is skipped (it is not a referrer we can use).
 *   <li>Blob paths are built only from a validated {@link Digest}; a blob, {@code oci-layout} or
 *       {@code index.json} whose real path leaves the layout directory (a symbolic link pointing
 *       outside, including a {@code blobs} directory linked elsewhere) is refused.
 *   <li>The scan reads at most {@code maxManifestsScanned} manifests of at most {@code
 *       maxManifestBytes} each; a layout beyond either limit is an error rather than a silently
 *       partial answer.
 * </ul>
 *
 * <p>{@link LayoutDirectory} reads the files and checks their content; {@link LayoutManifests}
 * reads, checks and walks the manifests; this class answers the {@link ReferrerStore} questions.
 */
public final class OciLayoutStore implements ReferrerStore {
  private static final String REF_NAME = "org.opencontainers.image.ref.name";

  /**
   * Limits on the work and memory one call may spend.
   *
   * @param maxManifestBytes largest manifest or index read, at most {@link Manifest#MAX_BYTES}
   * @param maxBlobBytes largest blob read by {@link #fetchBlob}
   * @param maxManifestsScanned most manifests and indexes visited while resolving or discovering
   * @param maxIndexDepth deepest nesting of indexes followed below {@code index.json}
   */
  public record Limits(
      int maxManifestBytes, long maxBlobBytes, int maxManifestsScanned, int maxIndexDepth) {
    public Limits {
      if (maxManifestBytes <= 0 || maxManifestBytes > Manifest.MAX_BYTES) {
        throw new IllegalArgumentException(
            "maxManifestBytes must be between 1 and "
                + Manifest.MAX_BYTES
                + ", got "
                + maxManifestBytes);
      }
      if (maxBlobBytes <= 0 || maxBlobBytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBlobBytes must be positive and fit in an array");
      }
      if (maxManifestsScanned <= 0) {
        throw new IllegalArgumentException("maxManifestsScanned must be positive");
      }
      if (maxIndexDepth < 0) {
        throw new IllegalArgumentException("maxIndexDepth must not be negative");
      }
    }

    /** Manifests 4 MiB, blobs 32 MiB (notation-go's limits), 10 000 manifests, depth 8. */
    public static Limits defaults() {
      return new Limits(Manifest.MAX_BYTES, 32L * 1024 * 1024, 10_000, 8);
    }

    public Limits withMaxManifestBytes(int value) {
      return new Limits(value, maxBlobBytes, maxManifestsScanned, maxIndexDepth);
    }

    public Limits withMaxBlobBytes(long value) {
      return new Limits(maxManifestBytes, value, maxManifestsScanned, maxIndexDepth);
    }

    public Limits withMaxManifestsScanned(int value) {
      return new Limits(maxManifestBytes, maxBlobBytes, value, maxIndexDepth);
    }

    public Limits withMaxIndexDepth(int value) {
      return new Limits(maxManifestBytes, maxBlobBytes, maxManifestsScanned, value);
    }
  }

  private final LayoutDirectory dir;
  private final LayoutManifests manifests;
  private final Path root;
  private final Limits limits;
  private final boolean cosignEnabled;

  /** Opens the layout at {@code directory} with {@link Limits#defaults()}. */
  public OciLayoutStore(Path directory) throws StoreException {
    this(directory, Limits.defaults());
  }

  /**
   * Opens the layout at {@code directory}: checks {@code oci-layout} and that {@code index.json}
   * parses.
   */
  public OciLayoutStore(Path directory, Limits limits) throws StoreException {
    this(directory, limits, false);
  }

  /**
   * {@link #OciLayoutStore(Path, Limits)}, and with {@code cosignEnabled} (as Ratify's store
   * option) the manifest tagged {@code sha256-<hex>.sig} beside an image is listed as its referrer
   * of artifact type {@code application/vnd.dev.cosign.artifact.sig.v1+json}, as cosign signs.
   */
  public OciLayoutStore(Path directory, Limits limits, boolean cosignEnabled)
      throws StoreException {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.cosignEnabled = cosignEnabled;
    this.dir = LayoutDirectory.open(directory);
    this.root = dir.root();
    this.manifests = new LayoutManifests(dir, limits);
  }

  /** The layout directory (its real path). */
  public Path directory() {
    return root;
  }

  /** A layout has no registry: trust policy scopes match the repository as written, e.g. local/demo. */
  @Override
  public String policyRepository(Reference reference) {
    return reference.name();
  }

  @Override
  public Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    deadline.check("resolving " + reference + " in OCI layout");
    if (reference.digest() != null) {
      return resolveDigest(reference, deadline);
    }
    if (reference.tag() == null) {
      throw new StoreException(
          "cannot resolve \""
              + reference
              + "\" in OCI layout "
              + root
              + ": it has neither a tag nor a digest");
    }
    return resolveTag(reference);
  }

  @Override
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    Objects.requireNonNull(subject, "subject");
    deadline.check("listing referrers in OCI layout");
    ImageIndex index = dir.readIndexJson();
    Map<Digest, Descriptor> found = new LinkedHashMap<>();

    for (Descriptor tagIndex : referrersTagIndexes(index, subject.digest())) {
      byte[] bytes = dir.readVerified(tagIndex, limits.maxManifestBytes(), "referrers index");
      ImageIndex referrers;
      try {
        referrers = ImageIndex.parse(bytes);
      } catch (ManifestFormatException e) {
        throw new StoreException(
            "referrers index "
                + tagIndex.digest()
                + " for "
                + subject.digest()
                + " in OCI layout "
                + root
                + " is malformed: "
                + e.getMessage(),
            e);
      }
      if (referrers.manifests().size() > limits.maxManifestsScanned()) {
        throw new StoreException(
            "referrers index "
                + tagIndex.digest()
                + " in OCI layout "
                + root
                + " lists more than "
                + limits.maxManifestsScanned()
                + " manifests; refusing it");
      }
      for (Descriptor entry : referrers.manifests()) {
        deadline.check("listing referrers in OCI layout");
        if (!found.containsKey(entry.digest())) {
          found.put(entry.digest(), withArtifactType(entry));
        }
      }
    }

    LayoutManifests.Walk walk = manifests.walk(index, deadline);
    for (LayoutManifests.Visited v : walk.visited()) {
      deadline.check("scanning OCI layout manifests for referrers");
      if (found.containsKey(v.descriptor().digest()) || v.subject() == null) {
        continue;
      }
      if (v.subject().sameContent(subject)) {
        found.put(
            v.descriptor().digest(),
            new Descriptor(
                v.descriptor().mediaType(),
                v.descriptor().digest(),
                v.descriptor().size(),
                v.artifactType(),
                v.annotations()));
      }
    }

    if (cosignEnabled) {
      Descriptor sig = cosignSignature(index, repository, subject.digest());
      if (sig != null) {
        found.putIfAbsent(sig.digest(), sig);
      }
    }

    List<Descriptor> out = new ArrayList<>();
    for (Descriptor d : found.values()) {
      if (artifactType == null || artifactType.equals(d.artifactType())) {
        out.add(d);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    deadline.check("fetching manifest " + descriptor.digest() + " from OCI layout");
    return dir.readVerified(descriptor, limits.maxManifestBytes(), "manifest");
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    deadline.check("fetching blob " + descriptor.digest() + " from OCI layout");
    return dir.readVerified(descriptor, limits.maxBlobBytes(), "blob");
  }

  /** The manifest tagged {@code <name>:sha256-<hex>.sig}, as a cosign referrer; null when none. */
  private Descriptor cosignSignature(ImageIndex index, Reference repository, Digest subject)
      throws StoreException {
    String tag = subject.algorithm() + "-" + subject.hex() + ".sig";
    Descriptor entry = tagged(index, tag, Set.of(repository.name() + ":" + tag));
    if (entry == null) {
      return null;
    }
    Descriptor m = manifests.checkedManifestDescriptor(entry);
    return new Descriptor(m.mediaType(), m.digest(), m.size(),
        MediaTypes.COSIGN_SIGNATURE_ARTIFACT_TYPE, Map.of());
  }

  // ---- resolve ----

  private Descriptor resolveTag(Reference reference) throws StoreException {
    String tag = reference.tag();
    Descriptor match =
        tagged(dir.readIndexJson(), tag, Set.of(tag, reference.name() + ":" + tag));
    if (match == null) {
      throw new StoreException(
          "tag \""
              + tag
              + "\" is not found in OCI layout "
              + root
              + " (no index.json entry has that "
              + REF_NAME
              + " annotation)");
    }
    return manifests.checkedManifestDescriptor(match);
  }

  /**
   * The index.json entry whose {@code REF_NAME} annotation is one of {@code names}; null when none.
   *
   * @throws StoreException when entries of different digests carry those names
   */
  private Descriptor tagged(ImageIndex index, String tag, Set<String> names)
      throws StoreException {
    Descriptor match = null;
    for (Descriptor d : index.manifests()) {
      String refName = d.annotations().get(REF_NAME);
      if (refName != null && names.contains(refName)) {
        if (match != null && !match.digest().equals(d.digest())) {
          throw new StoreException(
              "tag \""
                  + tag
                  + "\" is ambiguous in OCI layout "
                  + root
                  + ": it names both "
                  + match.digest()
                  + " and "
                  + d.digest());
        }
        match = d;
      }
    }
    return match;
  }

  private Descriptor resolveDigest(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    Digest digest = reference.digest();
    ImageIndex index = dir.readIndexJson();
    for (Descriptor d : index.manifests()) {
      if (d.digest().equals(digest)) {
        return manifests.checkedManifestDescriptor(d);
      }
    }
    LayoutManifests.Walk walk = manifests.walk(index, deadline);
    for (LayoutManifests.Visited v : walk.visited()) {
      if (v.descriptor().digest().equals(digest)) {
        return manifests.checkedManifestDescriptor(v.descriptor());
      }
    }
    for (Descriptor d : walk.unread()) {
      if (d.digest().equals(digest)) {
        // Listed, but the walk could not read it: this says why.
        return manifests.checkedManifestDescriptor(d);
      }
    }
    return manifests.looseManifest(reference, digest);
  }

  // ---- referrers tag schema ----

  /**
   * index.json entries tagged {@code <alg>-<hex>}. The distribution specification truncates the hex
   * to 64 characters; some tools write it whole, so both spellings are accepted.
   */
  private static List<Descriptor> referrersTagIndexes(ImageIndex index, Digest subject) {
    String full = subject.algorithm() + "-" + subject.hex();
    String truncated =
        subject.algorithm()
            + "-"
            + subject.hex().substring(0, Math.min(64, subject.hex().length()));
    List<Descriptor> out = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      String refName = d.annotations().get(REF_NAME);
      if ((full.equals(refName) || truncated.equals(refName))
          && MediaTypes.isIndex(d.mediaType())) {
        out.add(d);
      }
    }
    return out;
  }

  /** A referrers-index entry keeps its own artifactType; else it is read from the manifest. */
  private Descriptor withArtifactType(Descriptor entry) {
    if (entry.artifactType() != null && !entry.artifactType().isEmpty()) {
      return entry;
    }
    String artifactType = null;
    try {
      artifactType = manifests.artifactTypeOf(entry);
    } catch (StoreException e) {
      // Unreadable here; the entry is still returned and fails when the caller fetches it.
    }
    return new Descriptor(
        entry.mediaType(), entry.digest(), entry.size(), artifactType, entry.annotations());
  }

  @Override
  public String describe() {
    return "ocilayout " + directory();
  }
}
