package dev.signet.install;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real OPA engine ({@code ../shared/tools/opa/opa}, or {@code $OPA}) run as a process. Where it
 * is absent the test is reported as skipped with the reason; on CI it fails.
 */
record Opa(Path binary) {
  static Opa locate() {
    String configured = System.getenv("OPA");
    Path binary =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : RenderedChart.repository().resolve("../shared/tools/opa/opa").normalize();
    if (!Files.isExecutable(binary)) {
      String message =
          "OPA is absent at " + binary + " (set OPA): the Rego of the ConstraintTemplates is not evaluated";
      System.out.println("SKIPPED: " + message);
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return new Opa(binary);
  }

  /** {@code opa eval -f json -d FILE... -i INPUT QUERY}: the query's value. */
  JsonNode eval(List<Path> modulesAndData, Path input, String query) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "eval", "-f", "json"));
    for (Path file : modulesAndData) {
      command.add("-d");
      command.add(file.toString());
    }
    command.addAll(List.of("-i", input.toString(), query));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new AssertionError("opa eval failed: " + new String(out));
    }
    JsonNode result = JsonMapper.shared().readTree(out);
    JsonNode value = result.path("result").path(0).path("expressions").path(0).path("value");
    if (value.isMissingNode()) {
      throw new AssertionError("opa eval gave no value: " + result);
    }
    return value;
  }
}
