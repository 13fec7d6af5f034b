package dev.signet.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A SHA-256 over the content of the configuration file and the trust material it names, read the
 * way the trust store reads it (a directory contributes its regular files, one level, hidden names
 * skipped; symbolic links followed). Content, not modification times: a Kubernetes ConfigMap update
 * swaps a symbolic link and may keep times, and a touched but unchanged file must not invalidate
 * every cached decision. The configuration file's own name is left out, so that replicas that
 * mount the same content at different paths agree; the trust material's paths are in that content.
 */
record FileFingerprint(String sha256) {
  /** More entries than a trust store accepts; the rest is not looked at. */
  private static final int MAX_ENTRIES = 10_000;

  /** A file larger than this contributes its size and modification time instead of its content. */
  private static final long MAX_HASHED_BYTES = 16L * 1024 * 1024;

  static FileFingerprint of(Path configFile, List<Path> referenced) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    text(sha, "config");
    addContent(sha, configFile);
    for (Path p : referenced) {
      text(sha, "path " + p);
      addContent(sha, p);
    }
    return new FileFingerprint(HexFormat.of().formatHex(sha.digest()));
  }

  private static void addContent(MessageDigest sha, Path path) {
    if (Files.isDirectory(path)) {
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
        for (Path entry : stream) {
          if (entries.size() >= MAX_ENTRIES) {
            break;
          }
          if (!entry.getFileName().toString().startsWith(".")) {
            entries.add(entry);
          }
        }
      } catch (IOException e) {
        text(sha, "unlistable " + e.getClass().getSimpleName());
        return;
      }
      entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          text(sha, "entry " + entry.getFileName());
          content(sha, entry);
        } else {
          text(sha, "other " + entry.getFileName());
        }
      }
    } else if (Files.isRegularFile(path)) {
      content(sha, path);
    } else {
      text(sha, Files.exists(path) ? "special" : "absent");
    }
  }

  private static void content(MessageDigest sha, Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_HASHED_BYTES) {
        text(sha, "large " + size + " " + Files.getLastModifiedTime(file).toMillis());
        return;
      }
      byte[] buffer = new byte[8192];
      long total = 0;
      try (InputStream in = Files.newInputStream(file)) {
        int n;
        while ((n = in.read(buffer)) > 0 && total <= MAX_HASHED_BYTES) {
          sha.update(buffer, 0, n);
          total += n;
        }
      }
      text(sha, "size " + total);
    } catch (IOException e) {
      text(sha, "unreadable " + e.getClass().getSimpleName());
    }
  }

  private static void text(MessageDigest sha, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) 0);
    sha.update(b);
    sha.update((byte) 0);
  }
}
