package dev.signet.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for SBOM reading and SPDX license expressions: only the declared exceptions may come
 * out. Seeds live in {@code SbomFuzzTestInputs/<method>/} (npm's SBOMs, a tag-value document, a
 * compound expression); in a normal {@code mvn test} they run as regression inputs. Fuzz with
 * {@code JAZZER_FUZZ=1} and one method selected.
 */
class SbomFuzzTest {
  private static final String[] MEDIA_TYPES = {
    Sbom.SPDX_JSON, Sbom.CYCLONEDX_JSON, Sbom.SPDX_TAG_VALUE, "application/json", "application/octet-stream"
  };

  @FuzzTest(maxDuration = "30s")
  void parse(FuzzedDataProvider data) {
    String mediaType = MEDIA_TYPES[data.consumeInt(0, MEDIA_TYPES.length - 1)];
    byte[] content = data.consumeRemainingAsBytes();
    Sbom sbom;
    try {
      sbom = Sbom.parse(content, mediaType);
    } catch (SbomFormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return;
    }
    assertThat(sbom.packages().size()).isLessThanOrEqualTo(Sbom.MAX_PACKAGES);
    for (Sbom.SbomPackage p : sbom.packages()) {
      try {
        LicenseExpression.parse(p.license()).satisfiable(t -> true);
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void licenseExpression(String text) {
    LicenseExpression e;
    try {
      e = LicenseExpression.parse(text);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return;
    }
    // the canonical form parses back to the same canonical form
    assertThat(LicenseExpression.parse(e.canonical()).canonical()).isEqualTo(e.canonical());
    assertThat(e.satisfiable(t -> true)).isTrue();
  }
}
