package dev.signet.oci.layout;

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.reference.Digest;
import dev.signet.reference.Reference;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The manifests and indexes of a layout: each read checked (digest, size, media type agreeing with
 * the listing) and parsed, and the walk from {@code index.json} through nested indexes, within the
 * store's limits (at most {@code maxManifestsScanned} manifests, indexes nested at most {@code
 * maxIndexDepth} deep; beyond either is an error, not a partial answer).
 */
final class LayoutManifests {
  private final LayoutDirectory dir;
  private final OciLayoutStore.Limits limits;
  private final Path root;

  LayoutManifests(LayoutDirectory dir, OciLayoutStore.Limits limits) {
    this.dir = dir;
    this.limits = limits;
    this.root = dir.root();
  }

  /** A manifest present only as a blob: its content must declare its media type. */
  Descriptor looseManifest(Reference reference, Digest digest) throws StoreException {
    Path path = dir.blobPath(digest);
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
    long size = dir.fileSize(path, digest);
    if (size > limits.maxManifestBytes()) {
      throw notAManifest(
          reference,
          "blob "
              + digest
              + " is "
              + size
              + " bytes, larger than the manifest limit of "
              + limits.maxManifestBytes()
              + " bytes",
          null);
    }
    byte[] bytes =
        dir.readVerified(
            new Descriptor(null, digest, size), limits.maxManifestBytes(), "manifest");
    String mediaType;
    try {
      JsonNode doc = StrictJson.parseObject(bytes, limits.maxManifestBytes(), "manifest");
      JsonNode mt = doc.get("mediaType");
      mediaType = mt != null && mt.isString() ? mt.asString() : null;
    } catch (JsonFormatException e) {
      throw notAManifest(reference, e.getMessage(), e);
    }
    if (!isManifestType(mediaType) && !MediaTypes.isIndex(mediaType)) {
      throw notAManifest(
          reference,
          "blob "
              + digest
              + " is not listed in index.json and does not declare a manifest or index mediaType",
          null);
    }
    Parsed parsed = parse(bytes, mediaType);
    return new Descriptor(mediaType, digest, size, parsed.artifactType(), Map.of());
  }

  private StoreException notAManifest(Reference reference, String why, Exception cause) {
    return new StoreException(
        "\"" + reference + "\" does not name a manifest in OCI layout " + root + ": " + why, cause);
  }

  /** The artifact type of the manifest or index an entry points at. */
  String artifactTypeOf(Descriptor entry) throws StoreException {
    byte[] bytes = dir.readVerified(entry, limits.maxManifestBytes(), "manifest");
    String mediaType =
        entry.mediaType() != null ? entry.mediaType() : declaredMediaType(bytes, entry);
    return parse(bytes, mediaType).artifactType();
  }

  /**
   * Reads and checks the manifest an index.json entry points at, and returns its descriptor with
   * the media type of the content (which must agree with the entry when both are given).
   */
  Descriptor checkedManifestDescriptor(Descriptor entry) throws StoreException {
    byte[] bytes = dir.readVerified(entry, limits.maxManifestBytes(), "manifest");
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

  String declaredMediaType(byte[] bytes, Descriptor entry) throws StoreException {
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

  /** A manifest or index reached from index.json, with what the scan needs from its content. */
  record Visited(
      Descriptor descriptor,
      Descriptor subject,
      String artifactType,
      Map<String, String> annotations) {}

  /** Everything reachable; {@code unread} holds listed descriptors whose content was unusable. */
  record Walk(List<Visited> visited, List<Descriptor> unread) {}

  record Parsed(
      Descriptor subject,
      String artifactType,
      Map<String, String> annotations,
      List<Descriptor> children) {}

  Walk walk(ImageIndex index, Deadline deadline)
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
        byte[] bytes = dir.readVerified(d, limits.maxManifestBytes(), "manifest");
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

  Parsed parse(byte[] bytes, String mediaType) throws StoreException {
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

  static boolean isManifestType(String mediaType) {
    return MediaTypes.OCI_MANIFEST.equals(mediaType)
        || MediaTypes.OCI_ARTIFACT_MANIFEST.equals(mediaType)
        || MediaTypes.DOCKER_MANIFEST.equals(mediaType);
  }
}
