package dev.signet.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points {@code user.home} at an empty directory for each test ({@code ~/} paths, Docker's
 * {@code ~/.docker/config.json}), so that the files of the machine running the tests never decide an
 * outcome; the real value is put back and the directory removed afterwards. Tests in one JVM run one
 * at a time, which this relies on.
 */
public final class TemporaryHome implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TemporaryHome.class);

  /** The home directory of the running test. */
  public static Path path() {
    return Path.of(System.getProperty("user.home"));
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    context.getStore(NS).put("real", System.getProperty("user.home"));
    System.setProperty("user.home", Files.createTempDirectory("signet-home").toString());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Path temporary = path();
    System.setProperty("user.home", context.getStore(NS).get("real", String.class));
    try (Stream<Path> files = Files.walk(temporary)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
