package dev.signet.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the test vectors: real files from the Notary Project and Ratify repositories, carried in
 * this repository under {@code testdata/vectors} (see its NOTICE). {@code SIGNET_VECTORS} names another
 * copy with the same layout. A missing set fails the test: it is part of the checkout.
 */
public final class Vectors {
  private Vectors() {}

  /** The {@code vectors} directory (holding {@code notary/}, {@code ratify-v1.4.0/} and {@code sigstore/}). */
  public static Path root() {
    String configured = System.getenv("SIGNET_VECTORS");
    Path root = configured != null && !configured.isBlank() ? Path.of(configured) : inRepository();
    if (!Files.isDirectory(root.resolve("notary"))) {
      fail("test vectors not found at " + root + " (expected notary/ there): "
          + (configured != null && !configured.isBlank()
              ? "SIGNET_VECTORS names a directory without them"
              : "the checkout is incomplete; testdata/vectors is part of the repository"));
    }
    return root;
  }

  /** A path under {@code vectors/notary/}. */
  public static Path notary(String relative) {
    return existing(root().resolve("notary").resolve(relative));
  }

  /** A path under {@code vectors/ratify-v1.4.0/}. */
  public static Path ratify(String relative) {
    return existing(root().resolve("ratify-v1.4.0").resolve(relative));
  }

  /** A path under {@code vectors/sigstore/}. */
  public static Path sigstore(String relative) {
    return existing(root().resolve("sigstore").resolve(relative));
  }

  private static Path existing(Path p) {
    if (!Files.exists(p)) {
      fail("vector file missing: " + p);
    }
    return p;
  }

  /**
   * {@code testdata/vectors} of this checkout: below {@code SIGNET_REPO_ROOT} (set by the build), else
   * below the nearest directory up from the working directory that has it.
   */
  private static Path inRepository() {
    String repo = System.getenv("SIGNET_REPO_ROOT");
    if (repo != null && !repo.isBlank()) {
      return Path.of(repo).resolve("testdata/vectors");
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("testdata/vectors"))) {
        return dir.resolve("testdata/vectors");
      }
    }
    return start.resolve("testdata/vectors");
  }
}
