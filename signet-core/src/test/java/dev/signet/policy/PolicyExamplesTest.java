package dev.signet.policy;

import static dev.signet.policy.CelPolicyTest.NOTARY;
import static dev.signet.policy.CelPolicyTest.SBOM;
import static dev.signet.policy.CelPolicyTest.SUBJECT;
import static dev.signet.policy.CelPolicyTest.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.result.VerifierReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples of docs/policies.md, run against reports that they must allow and deny. */
class PolicyExamplesTest {
  static final String EVERY_NOTARY_SIGNATURE_PASSES =
      """
      verifierReports.exists(r, r.artifactType == "application/vnd.cncf.notary.signature") &&
      verifierReports.all(r, r.artifactType != "application/vnd.cncf.notary.signature" || r.isSuccess)
      """;

  static final String SIGNED_BY_ISSUER =
      """
      verifierReports.exists(r,
          r.artifactType == "application/vnd.cncf.notary.signature" && r.isSuccess &&
          has(r.extensions.Issuer) && r.extensions.Issuer == "CN=Release CA,O=Example,ST=WA,C=US")
      """;

  static final String SIGNATURE_AND_SIGNED_SBOM =
      """
      verifierReports.exists(r, r.artifactType == "application/vnd.cncf.notary.signature" && r.isSuccess) &&
      verifierReports.exists(r, r.artifactType == "application/spdx+json" && r.isSuccess &&
          r.nestedResults.exists(n, n.artifactType == "application/vnd.cncf.notary.signature" && n.isSuccess))
      """;

  static final String EVERYTHING_PASSES =
      """
      size(verifierReports) > 0 &&
      verifierReports.all(r, r.isSuccess &&
          r.nestedResults.all(n, n.isSuccess && n.nestedResults.all(m, m.isSuccess)))
      """;

  static final String PRODUCTION_IS_STRICTER =
      """
      subject.startsWith("registry.example.com/prod/")
          ? verifierReports.exists(r, r.isSuccess && has(r.extensions.Issuer) &&
                r.extensions.Issuer == "CN=Release CA,O=Example,ST=WA,C=US")
          : verifierReports.exists(r, r.isSuccess)
      """;

  static final String SIGNED_SBOM_WITHOUT_GPL_AND_FRESH_SCAN_WITHOUT_CRITICAL =
      """
      verifierReports.exists(r, r.verifierType == "notation" && r.isSuccess) &&
      verifierReports.exists(r, r.verifierType == "sbom" && r.isSuccess &&
          r.nestedResults.exists(n, n.verifierType == "notation" && n.isSuccess)) &&
      verifierReports.exists(r, r.verifierType == "vulnerabilityreport" && r.isSuccess &&
          r.nestedResults.exists(n, n.verifierType == "notation" && n.isSuccess)) &&
      verifierReports.all(r, r.verifierType == "notation" || r.isSuccess)
      """;

  static final String NO_CRITICAL_FINDING_EXCEPT_ACCEPTED =
      """
      verifierReports.exists(r, r.verifierType == "notation" && r.isSuccess) &&
      verifierReports.exists(r, r.verifierType == "vulnerabilityreport" && r.isSuccess &&
          has(r.extensions.findings) && size(r.extensions.findings) == r.extensions.findingCount &&
          r.extensions.findings.all(f, f.severity != "critical" || f.ruleId in ["CVE-2021-36159"]))
      """;

  private static final String RELEASE_CA = "CN=Release CA,O=Example,ST=WA,C=US";

  private static boolean allows(String expression, VerifierReport... reports) throws Exception {
    PolicyDecision d = CelPolicy.compile(expression).decide(List.of(reports));
    assertThat(d.verdict()).isNotEqualTo(PolicyDecision.Verdict.ERROR);
    return d.allowed();
  }

  private static VerifierReport signed(String issuer, boolean ok) {
    return report(NOTARY, ok, ok ? Map.of("Issuer", issuer, "SN", "CN=builder") : Map.of());
  }

  private static VerifierReport sbom(boolean ok, VerifierReport... nested) {
    return VerifierReport.about(SUBJECT)
        .verifier("sbom", "sbom")
        .referrer("sha256:" + "c".repeat(64), SBOM)
        .success(ok)
        .nestedResults(List.of(nested))
        .build();
  }

  private static VerifierReport at(String subject, VerifierReport r) {
    VerifierReport.Builder copy = VerifierReport.about(subject)
        .verifier(r.verifierName(), r.verifierType())
        .referrer(r.referenceDigest(), r.artifactType());
    return copy.success(r.isSuccess()).message(r.message()).errorReason(r.errorReason())
        .remediation(r.remediation()).errorCode(r.errorCode()).extensions(r.extensions())
        .nestedResults(r.nestedResults()).build();
  }

  @Test
  void every_notary_signature_passes_and_there_is_at_least_one() throws Exception {
    String p = EVERY_NOTARY_SIGNATURE_PASSES;
    assertThat(allows(p, signed(RELEASE_CA, true), signed("CN=Other", true))).isTrue();
    assertThat(allows(p, signed(RELEASE_CA, true), sbom(false))).isTrue();
    assertThat(allows(p, signed(RELEASE_CA, true), signed(RELEASE_CA, false))).isFalse();
    assertThat(allows(p, sbom(true))).isFalse();
  }

  @Test
  void at_least_one_signature_from_the_issuer() throws Exception {
    String p = SIGNED_BY_ISSUER;
    assertThat(allows(p, signed("CN=Other CA,O=Example,ST=WA,C=US", true), signed(RELEASE_CA, true)))
        .isTrue();
    // A failed signature carries no Issuer: it is skipped, not an error.
    assertThat(allows(p, signed(RELEASE_CA, false), signed(RELEASE_CA, true))).isTrue();
    assertThat(allows(p, signed("CN=Other CA,O=Example,ST=WA,C=US", true))).isFalse();
    assertThat(allows(p, signed(RELEASE_CA, false))).isFalse();
  }

  @Test
  void a_notary_signature_and_a_signed_sbom() throws Exception {
    String p = SIGNATURE_AND_SIGNED_SBOM;
    assertThat(allows(p, signed(RELEASE_CA, true), sbom(true, signed(RELEASE_CA, true)))).isTrue();
    assertThat(allows(p, signed(RELEASE_CA, true), sbom(true, signed(RELEASE_CA, false)))).isFalse();
    assertThat(allows(p, signed(RELEASE_CA, true), sbom(true))).isFalse();
    assertThat(allows(p, sbom(true, signed(RELEASE_CA, true)))).isFalse();
  }

  @Test
  void ratify_default_every_report_passes_at_every_level() throws Exception {
    String p = EVERYTHING_PASSES;
    assertThat(allows(p, signed(RELEASE_CA, true), sbom(true, signed(RELEASE_CA, true)))).isTrue();
    assertThat(allows(p, signed(RELEASE_CA, true), sbom(true, signed(RELEASE_CA, false)))).isFalse();
    assertThat(allows(p, signed(RELEASE_CA, true), signed("CN=x", false))).isFalse();
    assertThat(allows(p)).isFalse();
  }

  @Test
  void production_repositories_need_the_release_issuer() throws Exception {
    String p = PRODUCTION_IS_STRICTER;
    String prod = "registry.example.com/prod/app@sha256:" + "a".repeat(64);
    String dev = "registry.example.com/dev/app@sha256:" + "a".repeat(64);
    assertThat(allows(p, at(prod, signed(RELEASE_CA, true)))).isTrue();
    assertThat(allows(p, at(prod, signed("CN=Dev CA,O=Example,ST=WA,C=US", true)))).isFalse();
    assertThat(allows(p, at(dev, signed("CN=Dev CA,O=Example,ST=WA,C=US", true)))).isTrue();
    assertThat(allows(p, at(dev, signed(RELEASE_CA, false)))).isFalse();
  }

  private static VerifierReport attached(String type, boolean ok, Map<String, Object> extensions,
      VerifierReport... nested) {
    String artifactType = type.equals("sbom") ? SBOM : "application/sarif+json";
    return VerifierReport.about(SUBJECT)
        .verifier(type, type)
        .referrer("sha256:" + "d".repeat(64), artifactType)
        .success(ok)
        .extensions(extensions)
        .nestedResults(List.of(nested))
        .build();
  }

  @Test
  void signed_sbom_without_gpl_and_fresh_scan_without_critical() throws Exception {
    String p = SIGNED_SBOM_WITHOUT_GPL_AND_FRESH_SCAN_WITHOUT_CRITICAL;
    VerifierReport sig = signed(RELEASE_CA, true);
    assertThat(allows(p, sig, attached("sbom", true, Map.of(), sig),
        attached("vulnerabilityreport", true, Map.of(), sig))).isTrue();
    // the SBOM verifier found GPL-3.0, the scan verifier a critical CVE or a stale report
    assertThat(allows(p, sig, attached("sbom", false, Map.of(), sig),
        attached("vulnerabilityreport", true, Map.of(), sig))).isFalse();
    assertThat(allows(p, sig, attached("sbom", true, Map.of(), sig),
        attached("vulnerabilityreport", false, Map.of(), sig))).isFalse();
    // unsigned scan, missing SBOM, unsigned image
    assertThat(allows(p, sig, attached("sbom", true, Map.of(), sig),
        attached("vulnerabilityreport", true, Map.of()))).isFalse();
    assertThat(allows(p, sig, attached("vulnerabilityreport", true, Map.of(), sig))).isFalse();
    assertThat(allows(p, attached("sbom", true, Map.of(), sig),
        attached("vulnerabilityreport", true, Map.of(), sig))).isFalse();
    // a second, failing SBOM denies
    assertThat(allows(p, sig, attached("sbom", true, Map.of(), sig), attached("sbom", false, Map.of(), sig),
        attached("vulnerabilityreport", true, Map.of(), sig))).isFalse();
  }

  @Test
  void no_critical_finding_except_accepted_ones() throws Exception {
    String p = NO_CRITICAL_FINDING_EXCEPT_ACCEPTED;
    VerifierReport sig = signed(RELEASE_CA, true);
    Map<String, Object> accepted = Map.of("passthrough", true, "findingCount", 2L, "findings", List.of(
        Map.of("ruleId", "CVE-2021-36159", "severity", "critical"), Map.of("ruleId", "CVE-2021-30139", "severity", "high")));
    assertThat(allows(p, sig, attached("vulnerabilityreport", true, accepted))).isTrue();
    Map<String, Object> critical = Map.of("passthrough", true, "findingCount", 1L, "findings", List.of(
        Map.of("ruleId", "CVE-2022-37434", "severity", "critical")));
    assertThat(allows(p, sig, attached("vulnerabilityreport", true, critical))).isFalse();
    Map<String, Object> cutShort = Map.of("passthrough", true, "findingCount", 1500L, "findings", List.of(
        Map.of("ruleId", "CVE-2021-30139", "severity", "high")));
    assertThat(allows(p, sig, attached("vulnerabilityreport", true, cutShort))).isFalse();
    // without passthrough there are no findings to judge: denied
    assertThat(allows(p, sig, attached("vulnerabilityreport", true, Map.of("findingCount", 0L)))).isFalse();
  }

  @Test
  void the_documentation_shows_these_examples_and_they_all_compile() throws Exception {
    Path doc = Path.of("..", "docs", "policies.md");
    assertThat(doc).exists();
    String text = Files.readString(doc);
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```cel\n(.*?)```", Pattern.DOTALL).matcher(text);
    while (m.find()) {
      blocks.add(m.group(1).strip());
    }
    assertThat(blocks)
        .containsExactly(
            EVERY_NOTARY_SIGNATURE_PASSES.strip(),
            SIGNED_BY_ISSUER.strip(),
            SIGNATURE_AND_SIGNED_SBOM.strip(),
            EVERYTHING_PASSES.strip(),
            PRODUCTION_IS_STRICTER.strip(),
            SIGNED_SBOM_WITHOUT_GPL_AND_FRESH_SCAN_WITHOUT_CRITICAL.strip(),
            NO_CRITICAL_FINDING_EXCEPT_ACCEPTED.strip());
    for (String block : blocks) {
      CelPolicy.compile(block);
    }
  }
}
