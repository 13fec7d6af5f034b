package dev.signet.oci.layout;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.ContentMismatchException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ImageIndex;
import dev.signet.oci.Manifest;
import dev.signet.oci.ManifestFormatException;
import dev.signet.oci.StoreException;
import dev.signet.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The files of an OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code
 * blobs/<alg>/<hex>}), read within limits and never from outside the directory: blob paths are
 * built only from a validated {@link Digest}, and a file whose real path leaves the directory (a
 * symbolic link pointing outside, including a {@code blobs} directory linked elsewhere) is
 * refused. Content is returned only after its digest and size are checked.
 */
final class LayoutDirectory {
  private static final String LAYOUT_VERSION = "1.0.0";
  private static final int MAX_LAYOUT_FILE_BYTES = 64 * 1024;

  private final Path root;

  private LayoutDirectory(Path root) {
    this.root = root;
  }

  /** Opens the layout at {@code directory}: checks {@code oci-layout} and that {@code index.json} parses. */
  static LayoutDirectory open(Path directory) throws StoreException {
    Objects.requireNonNull(directory, "directory");
    if (!Files.isDirectory(directory)) {
      throw new StoreException("OCI layout " + directory + " is not a directory");
    }
    LayoutDirectory layout;
    try {
      layout = new LayoutDirectory(directory.toRealPath());
    } catch (IOException e) {
      throw new StoreException("cannot open OCI layout " + directory + ": " + e.getMessage(), e);
    }
    layout.checkLayoutFile();
    layout.readIndexJson();
    return layout;
  }

  /** The layout directory (its real path). */
  Path root() {
    return root;
  }

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

  /** {@code index.json}, re-read on every call so that a layout updated on disk is seen. */
  ImageIndex readIndexJson() throws StoreException {
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
  Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  long fileSize(Path path, Digest digest) throws StoreException {
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
  byte[] readVerified(Descriptor descriptor, long max, String what) throws StoreException {
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
}
