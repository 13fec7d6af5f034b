// OCI image layout specification v1.1 (image-layout.md, annotations.md "ref.name"), OCI
// distribution
// specification v1.1 (referrers tag schema), Notary checklist §1 (discovery and fetch limits).
package dev.signet.oci.layout;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.ContentMismatchException;
import dev.signet.oci.Descriptor;
import dev.signet.reference.Digest;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.ReferrerStore;
import dev.signet.oci.StoreException;
import dev.signet.oci.registry.RegistryClient;
import dev.signet.reference.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

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
 */
public final class OciLayoutStore implements ReferrerStore {
  private static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final String LAYOUT_VERSION = "1.0.0";
  private static final int MAX_LAYOUT_FILE_BYTES = 64 * 1024;

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
    Objects.requireNonNull(directory, "directory");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.cosignEnabled = cosignEnabled;
    if (!Files.isDirectory(directory)) {
      throw new StoreException("OCI layout " + directory + " is not a directory");
    }
    try {
      this.root = directory.toRealPath();
    } catch (IOException e) {
      throw new StoreException("cannot open OCI layout " + directory + ": " + e.getMessage(), e);
    }
    checkLayoutFile();
    readIndexJson();
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
    ImageIndex index = readIndexJson();
    Map<Digest, Descriptor> found = new LinkedHashMap<>();

    for (Descriptor tagIndex : referrersTagIndexes(index, subject.digest())) {
      byte[] bytes = readVerified(tagIndex, limits.maxManifestBytes(), "referrers index");
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

    Walk walk = walk(index, deadline);
    for (Visited v : walk.visited()) {
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
    return readVerified(descriptor, limits.maxManifestBytes(), "manifest");
  }

  @Override
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    deadline.check("fetching blob " + descriptor.digest() + " from OCI layout");
    return readVerified(descriptor, limits.maxBlobBytes(), "blob");
  }

  /** The manifest tagged {@code <name>:sha256-<hex>.sig}, as a cosign referrer; null when none. */
  private Descriptor cosignSignature(ImageIndex index, Reference repository, Digest subject)
      throws StoreException {
    String tag = subject.algorithm() + "-" + subject.hex() + ".sig";
    for (Descriptor d : index.manifests()) {
      String refName = d.annotations().get(REF_NAME);
      if ((repository.name() + ":" + tag).equals(refName)) {
        Descriptor m = checkedManifestDescriptor(d);
        return new Descriptor(m.mediaType(), m.digest(), m.size(),
            RegistryClient.COSIGN_SIGNATURE_ARTIFACT_TYPE, Map.of());
      }
    }
    return null;
  }

  // ---- resolve ----

  private Descriptor resolveTag(Reference reference) throws StoreException {
    ImageIndex index = readIndexJson();
    String tag = reference.tag();
    String qualified = reference.name() + ":" + tag;
    Descriptor match = null;
    for (Descriptor d : index.manifests()) {
      String refName = d.annotations().get(REF_NAME);
      if (tag.equals(refName) || qualified.equals(refName)) {
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
    return checkedManifestDescriptor(match);
  }

  private Descriptor resolveDigest(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    Digest digest = reference.digest();
    ImageIndex index = readIndexJson();
    for (Descriptor d : index.manifests()) {
      if (d.digest().equals(digest)) {
        return checkedManifestDescriptor(d);
      }
    }
    Walk walk = walk(index, deadline);
    for (Visited v : walk.visited()) {
      if (v.descriptor().digest().equals(digest)) {
        return checkedManifestDescriptor(v.descriptor());
      }
    }
    for (Descriptor d : walk.unread()) {
      if (d.digest().equals(digest)) {
        // Listed, but the walk could not read it: this says why.
        return checkedManifestDescriptor(d);
      }
    }
    return resolveLooseBlob(reference, digest);
  }

  /** A manifest present only as a blob: its content must declare its media type. */
  private Descriptor resolveLooseBlob(Reference reference, Digest digest) throws StoreException {
    Path path = blobPath(digest);
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new StoreException(
          "\""
              + reference
              + "\" is not found in OCI layout "
              + root
              + ": no manifest with digest "
              + digest
              + " is listed in index.json or stored as a blob");
    }
    long size = fileSize(path, digest);
    if (size > limits.maxManifestBytes()) {
      throw new StoreException(
          "\""
              + reference
              + "\" does not name a manifest in OCI layout "
              + root
              + ": blob "
              + digest
              + " is "
              + size
              + " bytes, larger than the manifest limit of "
              + limits.maxManifestBytes()
              + " bytes");
    }
    byte[] bytes =
        readVerified(new Descriptor(null, digest, size), limits.maxManifestBytes(), "manifest");
    String mediaType;
    try {
      JsonNode doc = StrictJson.parseObject(bytes, limits.maxManifestBytes(), "manifest");
      JsonNode mt = doc.get("mediaType");
      mediaType = mt != null && mt.isString() ? mt.asString() : null;
    } catch (JsonFormatException e) {
      throw new StoreException(
          "\""
              + reference
              + "\" does not name a manifest in OCI layout "
              + root
              + ": "
              + e.getMessage(),
          e);
    }
    if (!isManifestType(mediaType) && !MediaTypes.isIndex(mediaType)) {
      throw new StoreException(
          "\""
              + reference
              + "\" does not name a manifest in OCI layout "
              + root
              + ": blob "
              + digest
              + " is not listed in index.json and does not declare a manifest or index mediaType");
    }
    Parsed parsed = parse(bytes, mediaType);
    return new Descriptor(mediaType, digest, size, parsed.artifactType(), Map.of());
  }

  /**
   * Reads and checks the manifest an index.json entry points at, and returns its descriptor with
   * the media type of the content (which must agree with the entry when both are given).
   */
  private Descriptor checkedManifestDescriptor(Descriptor entry) throws StoreException {
    byte[] bytes = readVerified(entry, limits.maxManifestBytes(), "manifest");
    String declared = declaredMediaType(bytes, entry);
    String mediaType = entry.mediaType() != null ? entry.mediaType() : declared;
    if (!isManifestType(mediaType) && !MediaTypes.isIndex(mediaType)) {
      throw new StoreException(
          entry.digest()
              + " in OCI layout "
              + root
              + " is not a manifest or index (mediaType "
              + (mediaType == null ? "missing" : "\"" + mediaType + "\"")
              + ")");
    }
    Parsed parsed = parse(bytes, mediaType);
    String artifactType =
        entry.artifactType() != null ? entry.artifactType() : parsed.artifactType();
    return new Descriptor(mediaType, entry.digest(), entry.size(), artifactType, Map.of());
  }

  private String declaredMediaType(byte[] bytes, Descriptor entry) throws StoreException {
    JsonNode doc;
    try {
      doc = StrictJson.parseObject(bytes, limits.maxManifestBytes(), "manifest");
    } catch (JsonFormatException e) {
      throw new StoreException(
          "manifest "
              + entry.digest()
              + " in OCI layout "
              + root
              + " is malformed: "
              + e.getMessage(),
          e);
    }
    JsonNode mt = doc.get("mediaType");
    String declared = mt != null && mt.isString() ? mt.asString() : null;
    if (declared != null && entry.mediaType() != null && !declared.equals(entry.mediaType())) {
      throw new StoreException(
          "manifest "
              + entry.digest()
              + " in OCI layout "
              + root
              + " declares mediaType \""
              + declared
              + "\" but index.json lists it as \""
              + entry.mediaType()
              + "\"");
    }
    return declared;
  }

  // ---- walking the layout ----

  /** A manifest or index reached from index.json, with what the scan needs from its content. */
  private record Visited(
      Descriptor descriptor,
      Descriptor subject,
      String artifactType,
      Map<String, String> annotations) {}

  /** Everything reachable; {@code unread} holds listed descriptors whose content was unusable. */
  private record Walk(List<Visited> visited, List<Descriptor> unread) {}

  private record Parsed(
      Descriptor subject,
      String artifactType,
      Map<String, String> annotations,
      List<Descriptor> children) {}

  private Walk walk(ImageIndex index, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    List<Visited> visited = new ArrayList<>();
    List<Descriptor> unread = new ArrayList<>();
    Set<Digest> seen = new HashSet<>();
    record Pending(Descriptor descriptor, int depth) {}
    Deque<Pending> queue = new ArrayDeque<>();
    for (Descriptor d : index.manifests()) {
      queue.add(new Pending(d, 0));
    }
    while (!queue.isEmpty()) {
      Pending next = queue.removeFirst();
      Descriptor d = next.descriptor();
      if (!seen.add(d.digest())) {
        continue;
      }
      if (seen.size() > limits.maxManifestsScanned()) {
        throw new StoreException(
            "OCI layout "
                + root
                + " holds more than "
                + limits.maxManifestsScanned()
                + " manifests; refusing to scan further (raise maxManifestsScanned if this is"
                + " expected)");
      }
      deadline.check("scanning OCI layout manifests");
      if (!isManifestType(d.mediaType())
          && !MediaTypes.isIndex(d.mediaType())
          && d.mediaType() != null) {
        continue; // a blob listed in index.json; nothing to scan
      }
      Parsed parsed;
      try {
        byte[] bytes = readVerified(d, limits.maxManifestBytes(), "manifest");
        String mediaType = d.mediaType() != null ? d.mediaType() : declaredMediaType(bytes, d);
        parsed = parse(bytes, mediaType);
      } catch (StoreException e) {
        unread.add(d);
        continue;
      }
      visited.add(new Visited(d, parsed.subject(), parsed.artifactType(), parsed.annotations()));
      if (!parsed.children().isEmpty()) {
        if (next.depth() >= limits.maxIndexDepth()) {
          throw new StoreException(
              "OCI layout "
                  + root
                  + " nests image indexes deeper than "
                  + limits.maxIndexDepth()
                  + " levels (at "
                  + d.digest()
                  + ")");
        }
        for (Descriptor child : parsed.children()) {
          queue.add(new Pending(child, next.depth() + 1));
        }
      }
    }
    return new Walk(List.copyOf(visited), List.copyOf(unread));
  }

  private Parsed parse(byte[] bytes, String mediaType) throws StoreException {
    try {
      if (MediaTypes.isIndex(mediaType)) {
        ImageIndex nested = ImageIndex.parse(bytes);
        return new Parsed(
            nested.subject(), nested.artifactType(), nested.annotations(), nested.manifests());
      }
      Manifest manifest = Manifest.parse(bytes, mediaType);
      return new Parsed(
          manifest.subject(), manifest.effectiveArtifactType(), manifest.annotations(), List.of());
    } catch (ManifestFormatException e) {
      throw new StoreException(
          "malformed manifest in OCI layout " + root + ": " + e.getMessage(), e);
    }
  }

  private static boolean isManifestType(String mediaType) {
    return MediaTypes.OCI_MANIFEST.equals(mediaType)
        || MediaTypes.OCI_ARTIFACT_MANIFEST.equals(mediaType)
        || MediaTypes.DOCKER_MANIFEST.equals(mediaType);
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
      byte[] bytes = readVerified(entry, limits.maxManifestBytes(), "manifest");
      String mediaType =
          entry.mediaType() != null ? entry.mediaType() : declaredMediaType(bytes, entry);
      artifactType = parse(bytes, mediaType).artifactType();
    } catch (StoreException e) {
      // Unreadable here; the entry is still returned and fails when the caller fetches it.
    }
    return new Descriptor(
        entry.mediaType(), entry.digest(), entry.size(), artifactType, entry.annotations());
  }

  // ---- files ----

  private void checkLayoutFile() throws StoreException {
    Path file = root.resolve("oci-layout");
    byte[] bytes = readLayoutFile(file, MAX_LAYOUT_FILE_BYTES, "oci-layout");
    JsonNode doc;
    try {
      doc = StrictJson.parseObject(bytes, MAX_LAYOUT_FILE_BYTES, "oci-layout");
    } catch (JsonFormatException e) {
      throw new StoreException("OCI layout " + root + " is invalid: " + e.getMessage(), e);
    }
    JsonNode version = doc.get("imageLayoutVersion");
    if (version == null || !version.isString() || !LAYOUT_VERSION.equals(version.asString())) {
      throw new StoreException(
          "OCI layout "
              + root
              + " is invalid: oci-layout must have imageLayoutVersion \""
              + LAYOUT_VERSION
              + "\", found "
              + (version == null ? "none" : version.toString()));
    }
  }

  private ImageIndex readIndexJson() throws StoreException {
    byte[] bytes = readLayoutFile(root.resolve("index.json"), Manifest.MAX_BYTES, "index.json");
    try {
      JsonNode doc = StrictJson.parseObject(bytes, Manifest.MAX_BYTES, "index.json");
      JsonNode schema = doc.get("schemaVersion");
      if (schema == null || !schema.isIntegralNumber() || schema.asLong() != 2) {
        throw new StoreException(
            "OCI layout " + root + " is invalid: index.json must have schemaVersion 2");
      }
      JsonNode manifests = doc.get("manifests");
      if (manifests == null || !manifests.isArray()) {
        throw new StoreException(
            "OCI layout " + root + " is invalid: index.json must have a manifests array");
      }
      return ImageIndex.parse(bytes);
    } catch (JsonFormatException | ManifestFormatException e) {
      throw new StoreException(
          "OCI layout " + root + " is invalid: index.json: " + e.getMessage(), e);
    }
  }

  private byte[] readLayoutFile(Path file, int max, String what) throws StoreException {
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(root) || !Files.isRegularFile(real)) {
        throw new StoreException(
            "OCI layout "
                + root
                + " is invalid: "
                + what
                + " is not a regular file inside the layout");
      }
      try (InputStream in = Files.newInputStream(real)) {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
          throw new StoreException(
              "OCI layout " + root + " is invalid: " + what + " is larger than " + max + " bytes");
        }
        return bytes;
      }
    } catch (NoSuchFileException e) {
      throw new StoreException(
          "OCI layout "
              + root
              + " is invalid: "
              + what
              + " is missing (is this an OCI image layout?)",
          e);
    } catch (IOException e) {
      throw new StoreException(
          "cannot read " + what + " of OCI layout " + root + ": " + e.getMessage(), e);
    }
  }

  /** {@code blobs/<alg>/<hex>}, from the digest's validated parts only. */
  private Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private long fileSize(Path path, Digest digest) throws StoreException {
    Path real = realBlob(path, digest);
    try {
      return Files.size(real);
    } catch (IOException e) {
      throw new StoreException(
          "cannot read blob " + digest + " in OCI layout " + root + ": " + e.getMessage(), e);
    }
  }

  /** The blob's real path, refused when missing, not a file, or outside the layout. */
  private Path realBlob(Path path, Digest digest) throws StoreException {
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new StoreException("blob " + digest + " is not found in OCI layout " + root, e);
    } catch (IOException e) {
      throw new StoreException(
          "cannot read blob " + digest + " in OCI layout " + root + ": " + e.getMessage(), e);
    }
    if (!real.startsWith(root)) {
      throw new StoreException(
          "blob "
              + digest
              + " in OCI layout "
              + root
              + " resolves outside the layout ("
              + real
              + "); refusing it");
    }
    if (!Files.isRegularFile(real)) {
      throw new StoreException(
          "blob " + digest + " in OCI layout " + root + " is not a regular file");
    }
    return real;
  }

  /**
   * Reads the blob of {@code descriptor}, at most {@code max} bytes, and checks digest and size.
   * Content that fails the check is never returned.
   */
  private byte[] readVerified(Descriptor descriptor, long max, String what) throws StoreException {
    Digest digest = descriptor.digest();
    if (descriptor.size() > max) {
      throw new StoreException(
          what
              + " "
              + digest
              + " is "
              + descriptor.size()
              + " bytes, larger than the limit of "
              + max
              + " bytes");
    }
    Path real = realBlob(blobPath(digest), digest);
    long onDisk;
    try {
      onDisk = Files.size(real);
    } catch (IOException e) {
      throw new StoreException(
          "cannot read " + what + " " + digest + " in OCI layout " + root + ": " + e.getMessage(),
          e);
    }
    if (onDisk != descriptor.size()) {
      throw new StoreException(
          what
              + " "
              + digest
              + " in OCI layout "
              + root
              + " fails its check: the blob is "
              + onDisk
              + " bytes, its descriptor says "
              + descriptor.size());
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(real)) {
      // One byte more than allowed tells a larger file from an exact fit.
      bytes = in.readNBytes((int) Math.min(max, descriptor.size()) + 1);
    } catch (IOException e) {
      throw new StoreException(
          "cannot read " + what + " " + digest + " in OCI layout " + root + ": " + e.getMessage(),
          e);
    }
    try {
      descriptor.verifyContent(bytes);
    } catch (ContentMismatchException e) {
      throw new StoreException(
          what + " " + digest + " in OCI layout " + root + " fails its check: " + e.getMessage(),
          e);
    }
    return bytes;
  }

  @Override
  public String describe() {
    return "ocilayout " + directory();
  }
}
