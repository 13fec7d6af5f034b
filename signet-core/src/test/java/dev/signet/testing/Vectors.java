package dev.signet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the external test vectors: {@code SIGNET_VECTORS}, else {@code ../shared/vectors} beside
 * the repository. They are read in place, never copied. On CI ({@code CI=true}) a missing set fails
 * the test; elsewhere the test is reported as skipped with the reason.
 */
public final class Vectors {
  private Vectors() {}

  /** The {@code vectors} directory (holding {@code notary/}). */
  public static Path root() {
    String configured = System.getenv("SIGNET_VECTORS");
    Path root;
    if (configured != null && !configured.isBlank()) {
      root = Path.of(configured);
    } else {
      String repo = System.getenv("SIGNET_REPO_ROOT");
      Path base = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath();
      root = base.resolve("../shared/vectors").normalize();
      if (!Files.isDirectory(root) && repo == null) {
        root = base.resolve("../../shared/vectors").normalize();
      }
    }
    if (!Files.isDirectory(root.resolve("notary"))) {
      String message = "external vectors not found at " + root + " (set SIGNET_VECTORS)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return root;
  }

  /** A path under {@code vectors/notary/}. */
  public static Path notary(String relative) {
    Path p = root().resolve("notary").resolve(relative);
    if (!Files.exists(p)) {
      fail("vector file missing: " + p);
    }
    return p;
  }
}
