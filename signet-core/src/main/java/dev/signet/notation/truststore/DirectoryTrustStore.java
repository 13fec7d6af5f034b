package dev.signet.notation.truststore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Notation's trust store directory layout (checklist §6, trust-store-trust-policy.md): {@code
 * <root>/truststore/x509/{ca|signingAuthority|tsa}/<named-store>/<files>}.
 *
 * <p>Every file of a store is read, whatever its extension, as PEM or DER. A store that is a
 * symlink, and any entry of a store that is a symlink or a sub-directory, is an error. The
 * specification says sub-directories are ignored; we keep notation-go's stricter refusal.
 *
 * <p>The store is read afresh on each call, so edits on disk take effect without a restart; the
 * object holds no mutable state and is safe to share between threads.
 */
public final class DirectoryTrustStore implements TrustStore {
  private final Path root;

  /**
   * @param root the directory that contains {@code truststore/} (notation's configuration
   *     directory)
   */
  public DirectoryTrustStore(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /** The directory of a named store (it may not exist). */
  public Path storeDirectory(StoreType type, String name) throws TrustStoreException {
    TrustedCertificates.checkStoreName(type, name);
    return root.resolve("truststore").resolve("x509").resolve(type.value()).resolve(name);
  }

  @Override
  public List<X509Certificate> certificates(StoreType type, String name)
      throws TrustStoreException {
    Objects.requireNonNull(type, "type");
    Path dir = storeDirectory(type, name);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw TrustedCertificates.missing(type, name);
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new TrustStoreException(
          "cannot access the trust store " + name + " of type " + type.value() + ": " + e, e);
    }
    if (!attrs.isDirectory()) {
      throw new TrustStoreException(
          "the trust store "
              + name
              + " of type "
              + type.value()
              + " with path "
              + dir
              + " is not a regular directory (symlinks are not supported)");
    }
    List<X509Certificate> certs = new ArrayList<>();
    for (Path file : TrustedCertificates.regularFilesStrict(dir, type, name)) {
      certs.addAll(TrustedCertificates.readFile(file, type, name));
    }
    if (certs.isEmpty()) {
      throw TrustedCertificates.empty(type, name);
    }
    return List.copyOf(certs);
  }

  @Override
  public String toString() {
    return "DirectoryTrustStore[" + root + "]";
  }
}
