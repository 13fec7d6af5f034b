package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.artifact.SupplyChain;
import dev.signet.json.StrictJson;
import dev.signet.testkit.DistributionRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code signet verify} with the combined supply-chain policy (signature, SBOM without GPL-3.0,
 * fresh scan without critical findings, SBOM and scan signed) against Debian's real {@code
 * docker-registry}: each image of {@link SupplyChain#IMAGES} is admitted or denied exactly as
 * configured.
 */
class SupplyChainRegistryTest {
  @TempDir static Path dir;
  static DistributionRegistry registry;
  static Path config;

  @BeforeAll
  static void push() throws Exception {
    registry = DistributionRegistry.start(dir.resolve("registry"), true, false);
    config = SupplyChain.push(registry, dir.resolve("config"), Instant.now());
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void eachImageIsAdmittedOrDeniedAsTheCombinedPolicySays() throws Exception {
    for (Map.Entry<String, SupplyChain.Image> e : SupplyChain.IMAGES.entrySet()) {
      String subject = registry.host() + "/" + e.getValue().repository() + ":v1";
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Main.run(new PrintWriter(out), new PrintWriter(err),
          new String[] {"verify", "--config", config.toString(), "--subject", subject, "--output", "json"});
      String what = e.getKey() + " (" + e.getValue().why() + "): " + out + err;
      assertThat(exit).as(what).isEqualTo(e.getValue().admitted() ? 0 : 1);
      JsonNode result = StrictJson.parseObject(out.toString().getBytes(StandardCharsets.UTF_8), 1 << 22, "stdout");
      assertThat(result.get("isSuccess").asBoolean()).as(what).isEqualTo(e.getValue().admitted());
      if (e.getValue().admitted()) {
        assertThat(result.get("verifierReports")).as(what).hasSize(3)
            .allSatisfy(r -> assertThat(r.get("isSuccess").asBoolean()).isTrue());
      }
      switch (e.getKey()) {
        case "compliant" -> {
          JsonNode sbom = report(result, "sbom");
          assertThat(sbom.get("nestedResults").get(0).get("verifierType").asString()).isEqualTo("notation");
          assertThat(sbom.get("extensions").get("packageCount").asLong()).isEqualTo(19);
          JsonNode scan = report(result, "vulnerabilityreport");
          assertThat(scan.get("extensions").get("scanner").asString()).isEqualTo("trivy");
          assertThat(scan.get("nestedResults").get(0).get("isSuccess").asBoolean()).isTrue();
        }
        case "critical-cve" -> assertThat(report(result, "vulnerabilityreport").get("extensions")
            .get("severityViolations").get("CVE-2021-36159").asString()).isEqualTo("critical");
        case "stale-scan" -> assertThat(report(result, "vulnerabilityreport").get("message").asString())
            .contains("older than maximum age");
        case "gpl-sbom" -> assertThat(report(result, "sbom").get("extensions").get("licenseViolations")
            .get(0).get("name").asString()).isEqualTo("readline");
        case "unsigned-sbom" -> {
          JsonNode sbom = report(result, "sbom");
          assertThat(sbom.get("message").asString()).isEqualTo("nested verification failed");
          assertThat(sbom.get("nestedResults").get(0).get("errorCode").asString()).isEqualTo("NO_VERIFIER_REPORT");
        }
        case "unsigned-scan" -> {
          JsonNode scan = report(result, "vulnerabilityreport");
          assertThat(scan.get("message").asString()).isEqualTo("nested verification failed");
          assertThat(scan.get("errorReason").asString()).contains("no signature");
        }
        case "no-scan" -> assertThat(result.get("verifierReports")).noneSatisfy(
            r -> assertThat(r.get("verifierType").asString()).isEqualTo("vulnerabilityreport"));
        case "unsigned" -> assertThat(result.get("verifierReports")).noneSatisfy(
            r -> assertThat(r.get("verifierType").asString()).isEqualTo("notation"));
        default -> throw new AssertionError("no expectation for " + e.getKey());
      }
    }
  }

  static JsonNode report(JsonNode result, String type) {
    for (JsonNode r : result.get("verifierReports")) {
      if (r.get("verifierType").asString().equals(type)) {
        return r;
      }
    }
    throw new AssertionError("no " + type + " report in " + result);
  }
}
