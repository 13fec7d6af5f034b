package dev.signet.policy;

import dev.signet.result.VerifierReport;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigPolicyTest {
  private static final String NOTARY = "application/vnd.cncf.notary.signature";
  private static final String SBOM = "application/spdx+json";

  private static VerifierReport report(String type, boolean ok) {
    return VerifierReport.about("s").verifier("v", "t").referrer("sha256:x", type).success(ok).build();
  }

  @Test
  void any_needs_one_passing_report_of_the_type() {
    ConfigPolicy p = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY));
    assertThat(p.allows(List.of(report(NOTARY, false), report(NOTARY, true)))).isTrue();
    assertThat(p.allows(List.of(report(NOTARY, false), report(NOTARY, false)))).isFalse();
  }

  @Test
  void all_needs_every_report_of_the_type_to_pass() {
    ConfigPolicy p = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ALL));
    assertThat(p.allows(List.of(report(NOTARY, true), report(NOTARY, true)))).isTrue();
    assertThat(p.allows(List.of(report(NOTARY, true), report(NOTARY, false)))).isFalse();
  }

  @Test
  void a_listed_type_without_reports_fails() {
    ConfigPolicy p = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY, SBOM, ConfigPolicy.Rule.ANY));
    assertThat(p.allows(List.of(report(NOTARY, true)))).isFalse();
    assertThat(p.allows(List.of(report(NOTARY, true), report(SBOM, true)))).isTrue();
  }

  @Test
  void unlisted_types_follow_the_default_which_is_all_when_absent() {
    ConfigPolicy strictDefault = new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY));
    assertThat(strictDefault.allows(List.of(report(NOTARY, true), report(SBOM, false)))).isFalse();
    ConfigPolicy anyDefault =
        new ConfigPolicy(Map.of(NOTARY, ConfigPolicy.Rule.ANY, "default", ConfigPolicy.Rule.ANY));
    assertThat(anyDefault.allows(List.of(report(NOTARY, true), report(SBOM, false), report(SBOM, true))))
        .isTrue();
  }

  @Test
  void no_reports_never_pass() {
    assertThat(new ConfigPolicy(Map.of()).allows(List.of())).isFalse();
  }

  @Test
  void rule_names_are_parsed_case_insensitively_and_anything_else_is_rejected() {
    assertThat(ConfigPolicy.rule("Any")).isEqualTo(ConfigPolicy.Rule.ANY);
    assertThat(ConfigPolicy.rule("all")).isEqualTo(ConfigPolicy.Rule.ALL);
    assertThat(ConfigPolicy.rule("some")).isNull();
    assertThat(ConfigPolicy.rule(null)).isNull();
  }
}
