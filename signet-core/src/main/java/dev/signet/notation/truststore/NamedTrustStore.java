package dev.signet.notation.truststore;

import dev.signet.notation.x509.CertificateChains;
import dev.signet.notation.x509.CertificateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Trust stores configured by name, with the content rules of notation's trust stores (checklist
 * §6), and Ratify's {@code verificationCerts} form (ratify-reference §1.4).
 *
 * <p>Everything is read once, at construction, so that a broken store fails at start-up with its
 * name in the message rather than at the first verification; afterwards the object is immutable and
 * safe to share between threads. The one exception is a configured path that does not exist (Ratify
 * only warns about it): the store is then kept as missing, {@link #missingPaths()} reports it, and
 * every lookup of it fails naming the path, so a verification that needs it fails closed.
 *
 * <p>Configured paths may be symlinks, and so may the files of a configured directory: Kubernetes
 * mounts secrets and config maps as symlinks. In a configured directory, entries whose name starts
 * with a dot (Kubernetes' {@code ..data} and timestamped folders) and entries that resolve to
 * directories are skipped; every other entry must resolve to a regular certificate file.
 */
public final class NamedTrustStore implements TrustStore {
  /** The message Ratify gives when no CA certificate or self-signed leaf is configured. */
  public static final String NO_VALID_CERTIFICATES =
      "valid certificates must be provided, only CA certificates or self-signed signing"
          + " certificates are supported";

  private final Map<StoreType, Map<String, List<X509Certificate>>> stores;
  // verificationCerts form: the same certificates answer every name of a type.
  private final Map<StoreType, List<X509Certificate>> anyName;
  // Why a store cannot be used, by type and name (in the verificationCerts form: under every name).
  private final Map<StoreType, Map<String, String>> missing;
  private final List<String> missingPaths;

  private NamedTrustStore(
      Map<StoreType, Map<String, List<X509Certificate>>> stores,
      Map<StoreType, List<X509Certificate>> anyName,
      Map<StoreType, Map<String, String>> missing,
      List<String> missingPaths) {
    this.stores = stores;
    this.anyName = anyName;
    this.missing = missing;
    this.missingPaths = missingPaths;
  }

  /**
   * Loads named stores.
   *
   * @param config for each type, each store name with its files or directories of files
   * @throws TrustStoreException naming the store whose content is missing, unreadable, empty or not
   *     acceptable as trust anchors
   */
  public static NamedTrustStore of(Map<StoreType, Map<String, List<Path>>> config)
      throws TrustStoreException {
    Objects.requireNonNull(config, "config");
    Map<StoreType, Map<String, List<X509Certificate>>> loaded = new EnumMap<>(StoreType.class);
    Map<StoreType, Map<String, String>> missing = new EnumMap<>(StoreType.class);
    List<String> missingPaths = new ArrayList<>();
    for (Map.Entry<StoreType, Map<String, List<Path>>> byType : config.entrySet()) {
      StoreType type = Objects.requireNonNull(byType.getKey(), "store type");
      Map<String, List<X509Certificate>> named = new LinkedHashMap<>();
      for (Map.Entry<String, List<Path>> store : byType.getValue().entrySet()) {
        String name = store.getKey();
        TrustedCertificates.checkStoreName(type, name);
        List<Path> absent = absent(store.getValue());
        List<X509Certificate> certs = new ArrayList<>();
        for (Path file : files(present(store.getValue(), absent), type, name)) {
          certs.addAll(TrustedCertificates.readFile(file, type, name));
        }
        if (!absent.isEmpty()) {
          String message = where(type, name) + missingMessage(absent);
          missing.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(name, message);
          missingPaths.add(message);
        } else if (certs.isEmpty()) {
          throw TrustedCertificates.empty(type, name);
        }
        named.put(name, List.copyOf(certs));
      }
      loaded.put(type, Collections.unmodifiableMap(named));
    }
    return new NamedTrustStore(
        Collections.unmodifiableMap(loaded), Map.of(), missing, List.copyOf(missingPaths));
  }

  /**
   * Ratify's {@code verificationCerts}: every certificate of every path serves every store name of
   * every type. Only CA certificates and self-signed leaves are kept; TSA stores keep only the root
   * CAs among them (the TSA trust-store rule), and asking for a TSA store when there are none is an
   * error.
   *
   * <p>A path that does not exist makes every lookup fail (see the class comment).
   *
   * @throws TrustStoreException when a path is unreadable, or no certificate survives
   */
  public static NamedTrustStore fromVerificationCerts(List<Path> paths) throws TrustStoreException {
    Objects.requireNonNull(paths, "paths");
    List<Path> absent = absent(paths);
    List<X509Certificate> all = new ArrayList<>();
    for (Path file : files(present(paths, absent), null, null)) {
      try {
        all.addAll(CertificateFiles.read(file));
      } catch (CertificateException e) {
        throw new TrustStoreException(
            "failed to read the verification certificate " + file + ": " + e.getMessage(), e);
      }
    }
    List<X509Certificate> valid =
        all.stream()
            .filter(c -> CertificateChains.isCa(c) || CertificateChains.isSelfSigned(c))
            .toList();
    if (valid.isEmpty() && absent.isEmpty()) {
      throw new TrustStoreException(NO_VALID_CERTIFICATES);
    }
    List<X509Certificate> roots = valid.stream().filter(CertificateChains::isRootCa).toList();
    Map<StoreType, List<X509Certificate>> anyName = new EnumMap<>(StoreType.class);
    anyName.put(StoreType.CA, valid);
    anyName.put(StoreType.SIGNING_AUTHORITY, valid);
    anyName.put(StoreType.TSA, roots);
    List<String> missingPaths = absent.isEmpty() ? List.of() : List.of(missingMessage(absent));
    return new NamedTrustStore(
        Map.of(), Collections.unmodifiableMap(anyName), Map.of(), missingPaths);
  }

  /**
   * One message per store (or one for the verificationCerts form) whose configured paths include
   * one that does not exist; empty when every path exists.
   */
  public List<String> missingPaths() {
    return missingPaths;
  }

  @Override
  public List<X509Certificate> certificates(StoreType type, String name)
      throws TrustStoreException {
    Objects.requireNonNull(type, "type");
    TrustedCertificates.checkStoreName(type, name);
    String unavailable =
        anyName.isEmpty()
            ? missing.getOrDefault(type, Map.of()).get(name)
            : missingPaths.isEmpty() ? null : missingPaths.get(0);
    if (unavailable != null) {
      throw new TrustStoreException(unavailable);
    }
    if (!anyName.isEmpty()) {
      List<X509Certificate> certs = anyName.get(type);
      if (certs.isEmpty()) {
        throw TrustedCertificates.empty(type, name);
      }
      return certs;
    }
    List<X509Certificate> certs = stores.getOrDefault(type, Map.of()).get(name);
    if (certs == null) {
      throw TrustedCertificates.missing(type, name);
    }
    return certs;
  }

  /** The configured store names of a type (empty in the verificationCerts form). */
  public Set<String> names(StoreType type) {
    return stores.getOrDefault(type, Map.of()).keySet();
  }

  private static List<Path> absent(List<Path> paths) {
    return paths.stream().filter(p -> !Files.exists(Objects.requireNonNull(p, "path"))).toList();
  }

  private static List<Path> present(List<Path> paths, List<Path> absent) {
    return paths.stream().filter(p -> !absent.contains(p)).toList();
  }

  private static String missingMessage(List<Path> absent) {
    return (absent.size() == 1 ? "certificate path " : "certificate paths ")
        + String.join(", ", absent.stream().map(Path::toString).toList())
        + (absent.size() == 1 ? " does not exist" : " do not exist");
  }

  /** Expands configured paths into certificate files, following symlinks. */
  private static List<Path> files(List<Path> paths, StoreType type, String name)
      throws TrustStoreException {
    Set<Path> files = new LinkedHashSet<>();
    for (Path path : paths) {
      Objects.requireNonNull(path, "path");
      if (!Files.exists(path)) {
        throw new TrustStoreException(
            where(type, name) + "certificate path " + path + " does not exist");
      }
      if (Files.isDirectory(path)) {
        StoreType listType = type == null ? StoreType.CA : type;
        String listName = name == null ? path.toString() : name;
        for (Path entry : TrustedCertificates.list(path, listType, listName)) {
          if (entry.getFileName().toString().startsWith(".")) {
            continue;
          }
          BasicFileAttributes attrs = TrustedCertificates.attributes(entry, listType, listName);
          if (attrs.isDirectory()) {
            continue;
          }
          if (!attrs.isRegularFile()) {
            throw new TrustStoreException(
                where(type, name) + "certificate path " + entry + " is not a regular file");
          }
          files.add(entry.toAbsolutePath().normalize());
        }
      } else if (Files.isRegularFile(path)) {
        files.add(path.toAbsolutePath().normalize());
      } else {
        throw new TrustStoreException(
            where(type, name) + "certificate path " + path + " is not a regular file or directory");
      }
    }
    return new ArrayList<>(files);
  }

  private static String where(StoreType type, String name) {
    return type == null ? "" : "trust store \"" + name + "\" of type \"" + type.value() + "\": ";
  }

  @Override
  public String toString() {
    return anyName.isEmpty() ? "NamedTrustStore" + stores.keySet() : "NamedTrustStore[any name]";
  }
}
