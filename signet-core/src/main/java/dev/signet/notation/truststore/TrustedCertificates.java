package dev.signet.notation.truststore;

import dev.signet.notation.x509.CertificateChainException;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.notation.x509.CertificateFiles;
import dev.signet.notation.x509.GoNameFormat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The content rules shared by the trust stores (checklist §6): what a trusted certificate file may
 * hold, and the messages notation-go gives when it does not.
 */
final class TrustedCertificates {
  /** Named stores are single path segments; "." and ".." match the pattern but are refused. */
  private static final Pattern STORE_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

  /** More entries than this in one store directory is treated as a misconfiguration. */
  static final int MAX_ENTRIES = 10_000;

  private TrustedCertificates() {}

  static void checkStoreName(StoreType type, String name) throws TrustStoreException {
    if (name == null
        || !STORE_NAME.matcher(name).matches()
        || name.equals(".")
        || name.equals("..")) {
      throw new TrustStoreException(
          "trust store name "
              + (name == null ? "null" : "\"" + name + "\"")
              + " of type \""
              + type.value()
              + "\" is invalid: a named store must match [a-zA-Z0-9_.-]+");
    }
  }

  /** Sorted entries of a directory; every entry must be a regular file (no symlink, no folder). */
  static List<Path> regularFilesStrict(Path dir, StoreType type, String name)
      throws TrustStoreException {
    List<Path> files = new ArrayList<>();
    for (Path entry : list(dir, type, name)) {
      BasicFileAttributes attrs = attributes(entry, type, name, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        throw new TrustStoreException(
            "trusted certificate "
                + entry.getFileName()
                + " in trust store "
                + name
                + " of type "
                + type.value()
                + " is not a regular file (directories or symlinks are not supported)");
      }
      files.add(entry);
    }
    return files;
  }

  static List<Path> list(Path dir, StoreType type, String name) throws TrustStoreException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        if (entries.size() >= MAX_ENTRIES) {
          throw new TrustStoreException(
              "trust store "
                  + name
                  + " of type "
                  + type.value()
                  + " has more than "
                  + MAX_ENTRIES
                  + " entries");
        }
        entries.add(entry);
      }
    } catch (IOException e) {
      throw new TrustStoreException(
          "failed to list trust store " + name + " of type " + type.value() + ": " + e, e);
    }
    // Sorted like Go's os.ReadDir, so that the first error reported is deterministic.
    entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    return entries;
  }

  static BasicFileAttributes attributes(
      Path entry, StoreType type, String name, LinkOption... options) throws TrustStoreException {
    try {
      return Files.readAttributes(entry, BasicFileAttributes.class, options);
    } catch (IOException e) {
      throw new TrustStoreException(
          "failed to read the trusted certificate "
              + entry.getFileName()
              + " in trust store "
              + name
              + " of type "
              + type.value()
              + ": "
              + e,
          e);
    }
  }

  /** Reads one file and applies the content rules for its store type. */
  static List<X509Certificate> readFile(Path file, StoreType type, String name)
      throws TrustStoreException {
    String label = file.getFileName().toString();
    List<X509Certificate> certs;
    try {
      certs = CertificateFiles.read(file);
    } catch (CertificateException e) {
      throw new TrustStoreException(
          "failed to read the trusted certificate "
              + label
              + " in trust store "
              + name
              + " of type "
              + type.value()
              + ": "
              + e.getMessage(),
          e);
    }
    for (X509Certificate cert : certs) {
      if (!CertificateChains.isCa(cert) && !CertificateChains.isSelfSigned(cert)) {
        throw new TrustStoreException(
            "failed to validate the trusted certificate "
                + label
                + " in trust store "
                + name
                + " of type "
                + type.value()
                + ": certificate with subject \""
                + GoNameFormat.subjectOf(cert)
                + "\" is not a CA certificate or self-signed signing certificate");
      }
      if (type == StoreType.TSA) {
        try {
          CertificateChains.requireRootCa(cert);
        } catch (CertificateChainException e) {
          throw new TrustStoreException(
              "trusted certificate "
                  + label
                  + " in trust store "
                  + name
                  + " of type tsa is invalid: "
                  + e.getMessage(),
              e);
        }
      }
    }
    return certs;
  }

  static TrustStoreException empty(StoreType type, String name) {
    return new TrustStoreException(
        "no x509 certificates were found in trust store \""
            + name
            + "\" of type \""
            + type.value()
            + "\"");
  }

  static TrustStoreException missing(StoreType type, String name) {
    return new TrustStoreException(
        "the trust store \"" + name + "\" of type \"" + type.value() + "\" does not exist");
  }
}
