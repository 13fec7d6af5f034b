package dev.signet.testkit;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped or aborted test with its reason on the console, one line each. The build keeps
 * test output in files (the surefire reports), and its console summary counts skips without saying
 * why; this listener (registered through {@code META-INF/services}) writes to the process's own
 * standard error, which the build shows.
 */
public final class SkipReasons implements TestExecutionListener {
  private static final PrintStream CONSOLE =
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

  @Override
  public void executionSkipped(TestIdentifier test, String reason) {
    print(test, reason);
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
      print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted without a reason"));
    }
  }

  private static void print(TestIdentifier test, String reason) {
    String name = test.getSource()
        .map(source -> switch (source) {
          case MethodSource m -> m.getClassName() + "#" + m.getMethodName();
          case ClassSource c -> c.getClassName();
          default -> test.getDisplayName();
        })
        .orElse(test.getDisplayName());
    CONSOLE.println("[SKIPPED] " + name + ": " + reason);
  }
}
