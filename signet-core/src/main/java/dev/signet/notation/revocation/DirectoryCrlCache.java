package dev.signet.notation.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@link CrlCache} in a directory, surviving restarts: per URL a {@code <sha256(url)>.crl} file
 * with the DER and a {@code .meta} properties file (url, fetchedAt, nextUpdate). At most {@code
 * maxEntries} CRLs are kept; the oldest fetches are deleted first. Files are replaced atomically.
 * Unreadable or inconsistent entries are treated as absent and deleted. The checker validates every
 * entry against the issuer before use, so the directory needs no more trust than the network.
 */
public final class DirectoryCrlCache implements CrlCache {
  private static final String CRL = ".crl";
  private static final String META = ".meta";

  private final Path directory;
  private final int maxEntries;

  public DirectoryCrlCache(Path directory, int maxEntries) throws IOException {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.directory = Files.createDirectories(directory);
    this.maxEntries = maxEntries;
  }

  @Override
  public synchronized Optional<CachedCrl> get(URI url) {
    String key = key(url);
    Path meta = directory.resolve(key + META);
    Path crl = directory.resolve(key + CRL);
    if (!Files.exists(meta) || !Files.exists(crl)) {
      return Optional.empty();
    }
    try {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      if (!url.toString().equals(p.getProperty("url"))) {
        return Optional.empty();
      }
      if (Files.size(crl) > CrlCheck.MAX_CRL_BYTES) {
        throw new IOException("cached CRL too large");
      }
      byte[] der;
      try (InputStream in = Files.newInputStream(crl)) {
        der = in.readNBytes((int) CrlCheck.MAX_CRL_BYTES + 1);
      }
      return Optional.of(
          new CachedCrl(
              url,
              der,
              Instant.parse(p.getProperty("fetchedAt")),
              Instant.parse(p.getProperty("nextUpdate"))));
    } catch (IOException | RuntimeException e) {
      delete(key);
      return Optional.empty();
    }
  }

  @Override
  public synchronized void put(CachedCrl crl) {
    String key = key(crl.url());
    try {
      Path tmpCrl = Files.createTempFile(directory, key, ".tmp");
      Files.write(tmpCrl, crl.der());
      Properties p = new Properties();
      p.setProperty("url", crl.url().toString());
      p.setProperty("fetchedAt", crl.fetchedAt().toString());
      p.setProperty("nextUpdate", crl.nextUpdate().toString());
      Path tmpMeta = Files.createTempFile(directory, key, ".tmp");
      try (Writer w = Files.newBufferedWriter(tmpMeta, StandardCharsets.UTF_8)) {
        p.store(w, null);
      }
      move(tmpCrl, directory.resolve(key + CRL));
      move(tmpMeta, directory.resolve(key + META));
      evict();
    } catch (IOException e) {
      // A cache that cannot write only costs a download next time.
      delete(key);
    }
  }

  @Override
  public synchronized void remove(URI url) {
    delete(key(url));
  }

  private void evict() throws IOException {
    List<Path> metas = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, "*" + META)) {
      s.forEach(metas::add);
    }
    if (metas.size() <= maxEntries) {
      return;
    }
    metas.sort(Comparator.comparing(DirectoryCrlCache::modified));
    for (int i = 0; i < metas.size() - maxEntries; i++) {
      String name = metas.get(i).getFileName().toString();
      delete(name.substring(0, name.length() - META.length()));
    }
  }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.MIN;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void delete(String key) {
    try {
      Files.deleteIfExists(directory.resolve(key + META));
      Files.deleteIfExists(directory.resolve(key + CRL));
    } catch (IOException e) {
      // nothing more to do; the entry is unreadable either way
    }
  }

  private static String key(URI url) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(url.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
