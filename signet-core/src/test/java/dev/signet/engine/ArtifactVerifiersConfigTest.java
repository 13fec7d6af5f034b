package dev.signet.engine;

import dev.signet.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.testkit.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ratify's own configurations for sbom, licensechecker and vulnerabilityreport load unchanged. */
class ArtifactVerifiersConfigTest {
  @TempDir Path dir;

  static Path ratify(String file) {
    Path p = Vectors.ratify("test/bats/tests/config/" + file);
    assertThat(p).exists();
    return p;
  }

  static VerificationConfig load(Path file) throws Exception {
    return VerificationConfig.load(file, VerificationConfig.Runtime.standard(Clock.systemUTC()));
  }

  @Test
  void ratifysTestConfigurationsLoad() throws Exception {
    for (String file : new String[] {"sbom_denylist_config_licensematch.json", "sbom_denylist_config_nomatch.json",
        "sbom_denylist_config_packagematch.json", "complete_licensechecker_config.json",
        "partial_licensechecker_config.json", "vulnerabilityreport_config.json"}) {
      VerificationConfig c = load(ratify(file));
      assertThat(c.warnings()).as(file).isEmpty();
    }
  }

  @Test
  void anotherPluginVersionIsRefusedAsRatifyDoes() {
    assertThatThrownBy(() -> load(ratify("sbom_version_mismatch.json")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("verifier.plugins[0].version \"3.0.0\" is not a version of the sbom verifier");
  }

  Path config(String verifier) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"store\":{\"plugins\":[{\"name\":\"oras\",\"useHttp\":true}]},"
        + "\"policy\":{\"plugin\":{\"name\":\"configPolicy\"}},"
        + "\"verifier\":{\"plugins\":[" + verifier + "]}}");
    return file;
  }

  @Test
  void parametersAreCheckedAtLoad() throws Exception {
    assertThatThrownBy(() -> load(config(
            "{\"name\":\"sbom\",\"artifactTypes\":\"application/spdx+json\",\"disallowedLicenses\":[\"MIT AND Zlib\"]}")))
        .hasMessageContaining("verifier.plugins[0].disallowedLicenses: \"MIT AND Zlib\" is a compound expression");
    assertThatThrownBy(() -> load(config(
            "{\"name\":\"vulnerabilityreport\",\"artifactTypes\":\"application/sarif+json\",\"maximumAge\":\"1 day\"}")))
        .hasMessageContaining("verifier.plugins[0].maximumAge: \"1 day\" is not a duration");
    assertThatThrownBy(() -> load(config(
            "{\"name\":\"licensechecker\",\"artifactTypes\":\"application/spdx+json\"}")))
        .hasMessageContaining("allowedLicenses is required");
    assertThatThrownBy(() -> load(config(
            "{\"name\":\"sbom\",\"artifactTypes\":\"application/spdx+json\",\"disallowedPackages\":[{\"version\":\"1\"}]}")))
        .hasMessageContaining("disallowedPackages[0].name is required");
    VerificationConfig c = load(config("{\"name\":\"scan\",\"type\":\"vulnerabilityreport\","
        + "\"artifactTypes\":\"application/sarif+json\",\"schemaURL\":\"https://example.com/s.json\","
        + "\"notaryProjectSignatureRequired\":true,\"passthrough\":true}"));
    assertThat(c.warnings()).containsExactly("unknown key verifier.plugins[0].schemaURL is ignored");
  }

  @Test
  void schemasComeFromFilesAndFromUrlsOnlyWhenAllowed() throws Exception {
    Path schema = Vectors.ratify("test/bats/tests/schemas/sarif-2.1.0-rtm.5.json");
    VerificationConfig c = load(config("{\"name\":\"schemavalidator\",\"artifactTypes\":\"application/sarif+json\","
        + "\"schemas\":{\"application/sarif+json\":\"" + schema.toUri() + "\"}}"));
    assertThat(c.referencedFiles()).contains(schema);
    assertThatThrownBy(() -> load(config("{\"name\":\"schemavalidator\",\"artifactTypes\":\"x\","
            + "\"schemas\":{\"application/sarif+json\":\"https://json.schemastore.org/sarif-2.1.0-rtm.5.json\"}}")))
        .hasMessageContaining("remote schemas are off");
    load(config("{\"name\":\"schemavalidator\",\"artifactTypes\":\"x\",\"allowRemoteSchemas\":true,"
        + "\"schemas\":{\"application/sarif+json\":\"https://json.schemastore.org/sarif-2.1.0-rtm.5.json\"}}"));
    // Ratify's own test configuration points at a file on its CI runner
    assertThatThrownBy(() -> load(ratify("schemavalidator_config.json")))
        .hasMessageContaining("cannot read the schema /home/runner/.ratify/schemas/sarif-2.1.0-rtm.5.json");
  }
}
