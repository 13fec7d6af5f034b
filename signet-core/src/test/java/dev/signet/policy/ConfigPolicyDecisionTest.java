package dev.signet.policy;

import static dev.signet.policy.CelPolicyTest.NOTARY;
import static dev.signet.policy.CelPolicyTest.SBOM;
import static dev.signet.policy.CelPolicyTest.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ratify's config policy through the policy interface: the same decisions, now with reasons. */
class ConfigPolicyDecisionTest {
  @Test
  void an_allow_has_no_reason() {
    VerificationPolicy p = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY));
    assertThat(p.decide(List.of(report(NOTARY, true)))).isEqualTo(PolicyDecision.allow());
  }

  @Test
  void a_deny_names_the_artifact_type_and_the_rule() {
    VerificationPolicy any = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY));
    PolicyDecision d = any.decide(List.of(report(NOTARY, false)));
    assertThat(d.verdict()).isEqualTo(PolicyDecision.Verdict.DENY);
    assertThat(d.reason()).contains(NOTARY).contains("\"any\"");

    VerificationPolicy all =
        new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY, SBOM, ConfigPolicy.Rule.ALL));
    assertThat(all.decide(List.of(report(NOTARY, true))).reason())
        .contains(SBOM)
        .contains("there is none");
    assertThat(all.decide(List.of(report(NOTARY, true), report(SBOM, false))).reason())
        .contains(SBOM)
        .contains("\"all\"");
  }

  @Test
  void an_unlisted_type_falls_to_the_default_rule() {
    VerificationPolicy p = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY));
    PolicyDecision d = p.decide(List.of(report(NOTARY, true), report(SBOM, false)));
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains(SBOM);
  }

  @Test
  void a_plain_deny_adds_no_report_when_judged() {
    VerificationPolicy p = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY));
    var reports = List.of(report(NOTARY, false));
    var result = p.judge(CelPolicyTest.SUBJECT, reports);
    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports()).isEqualTo(reports);
  }
}
