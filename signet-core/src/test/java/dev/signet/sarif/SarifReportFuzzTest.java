package dev.signet.sarif;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for SARIF reading: only the declared exception may come out. Seeds live in {@code
 * SarifReportFuzzTestInputs/parse/} (the Trivy and Grype reports); in a normal {@code mvn test} they
 * run as regression inputs. Fuzz with {@code JAZZER_FUZZ=1} and this method selected.
 */
class SarifReportFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse(byte[] input) {
    SarifReport report;
    try {
      report = SarifReport.parse(input);
    } catch (SarifFormatException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return;
    }
    assertThat(report.findings().size()).isLessThanOrEqualTo(SarifReport.MAX_RESULTS);
    report.findings().forEach(f -> assertThat(f.ruleId()).isNotBlank());
  }
}
