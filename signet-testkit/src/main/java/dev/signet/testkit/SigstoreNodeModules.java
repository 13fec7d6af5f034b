package dev.signet.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the third-party Sigstore clients (npm) that tests run are installed. */
public final class SigstoreNodeModules {
  private SigstoreNodeModules() {}

  /**
   * A node_modules with @sigstore/sign@3.1.0 and @sigstore/oci@0.4.0: SIGNET_SIGSTORE_NODE_MODULES,
   * else {@code .ci/npm/node_modules} where {@code .ci/run} installs them.
   */
  public static Path path() {
    String configured = System.getenv("SIGNET_SIGSTORE_NODE_MODULES");
    String repo = System.getenv("SIGNET_REPO_ROOT");
    Path modules =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : repo == null ? null : Path.of(repo, ".ci", "npm", "node_modules");
    if (modules == null || !Files.isDirectory(modules.resolve("@sigstore/oci"))) {
      String message = "no node_modules with @sigstore/oci at " + modules + ": run .ci/run, or set"
          + " SIGNET_SIGSTORE_NODE_MODULES to a node_modules directory holding"
          + " @sigstore/sign@3.1.0 and @sigstore/oci@0.4.0 (npm install --prefix DIR --no-audit --no-fund"
          + " @sigstore/sign@3.1.0 @sigstore/oci@0.4.0; Node >= 20.5)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.fail(message);
      }
      org.junit.jupiter.api.Assumptions.abort(message);
    }
    return modules;
  }
}
