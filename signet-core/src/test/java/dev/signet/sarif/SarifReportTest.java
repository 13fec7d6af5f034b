package dev.signet.sarif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading reports written by Trivy, Grype and ESLint (see resources dev/signet/sarif/README.md). */
class SarifReportTest {
  static byte[] resource(String file) {
    try (InputStream in = SarifReportTest.class.getResourceAsStream(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void trivy() throws Exception {
    SarifReport r = SarifReport.parse(resource("trivy-excerpt.sarif.json"));
    assertThat(r.scanner()).isEqualTo("trivy");
    assertThat(r.findings()).containsExactly(
        new SarifReport.Finding("CVE-2021-36159", "critical"),
        new SarifReport.Finding("CVE-2021-30139", "high"),
        new SarifReport.Finding("CVE-2021-28831", "high"));
  }

  @Test
  void grypeHelpTextWinsOverTheScore() throws Exception {
    SarifReport r = SarifReport.parse(resource("grype-image.sarif.json"));
    assertThat(r.scanner()).isEqualTo("grype");
    // CVE-1999-0002's help says critical while its security-severity is 1.0
    assertThat(r.findings()).containsExactly(
        new SarifReport.Finding("CVE-1999-0001-package-1", "low"),
        new SarifReport.Finding("CVE-1999-0002-package-2", "critical"));
  }

  @Test
  void eslintHasRulesWithoutSeverities() throws Exception {
    SarifReport r = SarifReport.parse(resource("eslint.sarif.json"));
    assertThat(r.scanner()).isEqualTo("eslint");
    assertThat(r.findings()).extracting(SarifReport.Finding::ruleId)
        .containsExactly("no-unused-vars", "no-eval", "no-undef", "eqeqeq", "no-debugger");
    assertThat(r.findings()).allSatisfy(f -> assertThat(f.severity()).isNull());
  }

  @Test
  void scoresMapToCvssBandsWhenTheHelpTextIsSilent() throws Exception {
    String doc = """
        {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"scanner","rules":[
          {"id":"A","properties":{"security-severity":"9.8"}},
          {"id":"B","properties":{"security-severity":7.0}},
          {"id":"C","properties":{"security-severity":"5"}},
          {"id":"D","properties":{"security-severity":"0.1"}}]}},
          "results":[{"ruleId":"A"},{"ruleId":"B"},{"ruleId":"C"},{"ruleId":"D"},{"ruleId":"E"},
                     {"rule":{"id":"F"},"ruleIndex":0}]}]}""";
    SarifReport r = SarifReport.parse(doc.getBytes(StandardCharsets.UTF_8));
    assertThat(r.findings()).extracting(SarifReport.Finding::severity)
        .containsExactly("critical", "high", "medium", "low", null, "critical");
  }

  @Test
  void hostileOrWrongDocumentsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> SarifReport.parse(bytes("{\"version\":\"2.0.0\",\"runs\":[]}")))
        .hasMessageContaining("not SARIF 2.1.0");
    assertThatThrownBy(() -> SarifReport.parse(bytes("{\"version\":\"2.1.0\",\"runs\":[]}")))
        .hasMessageContaining("no runs");
    assertThatThrownBy(() -> SarifReport.parse(bytes("{\"version\":\"2.1.0\",\"runs\":{}}")))
        .hasMessageContaining("runs must be an array");
    assertThatThrownBy(() -> SarifReport.parse(bytes("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{}}]}")))
        .hasMessageContaining("runs[0].tool.driver must be an object");
    assertThatThrownBy(() -> SarifReport.parse(bytes(
            "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},\"results\":[{}]}]}")))
        .hasMessageContaining("names no rule");
    assertThatThrownBy(() -> SarifReport.parse(bytes("not json")))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> SarifReport.parse(new byte[SarifReport.MAX_BYTES + 1]))
        .hasMessageContaining("larger than the limit");
    String deep = "{\"version\":\"2.1.0\",\"runs\":" + "[".repeat(200) + "]".repeat(200) + "}";
    assertThatThrownBy(() -> SarifReport.parse(bytes(deep))).hasMessageContaining("not valid JSON");
    String many = "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},\"results\":["
        + "{\"ruleId\":\"R\"},".repeat(SarifReport.MAX_RESULTS) + "{\"ruleId\":\"R\"}]}]}";
    assertThatThrownBy(() -> SarifReport.parse(bytes(many))).hasMessageContaining("more than 100000 results");
    assertThatThrownBy(() -> SarifReport.parse(bytes(
            "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\",\"rules\":"
                + "[{\"id\":\"A\",\"properties\":{\"security-severity\":\"high\"}}]}}}]}")))
        .hasMessageContaining("is not a number");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
