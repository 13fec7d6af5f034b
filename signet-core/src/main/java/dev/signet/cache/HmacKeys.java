package dev.signet.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys that authenticate shared cache entries: entries are written with the current key and
 * accepted under the current or any previous one, so that a key can be rotated while replicas run
 * with either. Key bytes are never logged or rendered.
 */
public final class HmacKeys {
  /** HMAC-SHA256 keys shorter than its output weaken it. */
  public static final int MIN_BYTES = 32;

  /** A key file larger than this is a mistake (a certificate bundle, a binary). */
  private static final long MAX_FILE_BYTES = 4096;

  private final byte[] current;
  private final List<byte[]> accepted;

  private HmacKeys(byte[] current, List<byte[]> previous) {
    this.current = current.clone();
    List<byte[]> all = new ArrayList<>();
    all.add(this.current);
    previous.forEach(p -> all.add(p.clone()));
    this.accepted = List.copyOf(all);
  }

  /**
   * @param current the key entries are written with
   * @param previous keys entries are still accepted under (the key being rotated out)
   */
  public static HmacKeys of(byte[] current, List<byte[]> previous) {
    check(current, "the current cache HMAC key");
    for (byte[] p : previous) {
      check(p, "a previous cache HMAC key");
    }
    return new HmacKeys(current, previous);
  }

  /**
   * Reads the keys from files (a Kubernetes Secret): the file's bytes, without trailing white
   * space, at least {@value #MIN_BYTES} of them.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static HmacKeys read(Path current, List<Path> previous) {
    List<byte[]> old = new ArrayList<>();
    for (Path p : previous) {
      old.add(readKey(p));
    }
    return new HmacKeys(readKey(current), old);
  }

  private static byte[] readKey(Path file) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "the cache HMAC key file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the cache HMAC key file " + file + ": " + e.getMessage(), e);
    }
    int end = bytes.length;
    while (end > 0 && Character.isWhitespace(bytes[end - 1])) {
      end--;
    }
    byte[] key = Arrays.copyOf(bytes, end);
    Arrays.fill(bytes, (byte) 0);
    check(key, "the cache HMAC key file " + file);
    return key;
  }

  private static void check(byte[] key, String what) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          what
              + " holds "
              + key.length
              + " bytes; it needs at least "
              + MIN_BYTES
              + " (make one with: head -c 32 /dev/urandom | base64)");
    }
  }

  byte[] current() {
    return current;
  }

  /** The current key first, then the previous ones. */
  List<byte[]> accepted() {
    return accepted;
  }

  @Override
  public String toString() {
    return "HmacKeys[" + accepted.size() + " accepted]";
  }
}
