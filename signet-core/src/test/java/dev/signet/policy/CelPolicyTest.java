package dev.signet.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.result.ErrorCode;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CelPolicyTest {
  static final String NOTARY = "application/vnd.cncf.notary.signature";
  static final String SBOM = "application/spdx+json";
  static final String SUBJECT = "registry.example.com/app@sha256:" + "a".repeat(64);

  static VerifierReport report(String type, boolean ok, Map<String, Object> extensions) {
    return VerifierReport.about(SUBJECT)
        .verifier("notation-1", "notation")
        .referrer("sha256:" + "b".repeat(64), type)
        .success(ok)
        .message(ok ? "Notation signature verification success" : "signature validation failed")
        .errorReason(ok ? "" : "the signature is invalid")
        .errorCode(ok ? null : ErrorCode.VERIFY_REFERENCE_FAILURE)
        .extensions(extensions)
        .build();
  }

  static VerifierReport report(String type, boolean ok) {
    return report(type, ok, Map.of());
  }

  private static CelPolicy cel(String expression) throws PolicyException {
    return CelPolicy.compile(expression);
  }

  @Test
  void an_expression_that_holds_allows_and_one_that_does_not_denies() throws Exception {
    CelPolicy p = cel("verifierReports.exists(r, r.isSuccess)");
    assertThat(p.decide(List.of(report(NOTARY, false), report(NOTARY, true))))
        .isEqualTo(PolicyDecision.allow());
    PolicyDecision denied = p.decide(List.of(report(NOTARY, false)));
    assertThat(denied.verdict()).isEqualTo(PolicyDecision.Verdict.DENY);
    assertThat(denied.reason()).contains("evaluated to false");
    assertThat(p.allows(List.of(report(NOTARY, false)))).isFalse();
  }

  @Test
  void every_key_of_the_json_report_is_visible() throws Exception {
    CelPolicy p =
        cel(
            "verifierReports.all(r, r.subject == subject && r.name == 'notation-1'"
                + " && r.verifierName == r.name && r.type == 'notation' && r.verifierType == r.type"
                + " && r.referenceDigest.startsWith('sha256:') && r.artifactType == '"
                + NOTARY
                + "' && r.message != '' && r.errorReason == '' && r.remediation == ''"
                + " && r.errorCode == '' && size(r.nestedResults) == 0"
                + " && r.extensions.Issuer == 'CN=CA' && r.extensions.count == 2"
                + " && r.extensions.warnings == ['w1'] && !has(r.extensions.detail.gone) && r.extensions.detail.kept)");
    Map<String, Object> ext = new java.util.HashMap<>();
    ext.put("Issuer", "CN=CA");
    ext.put("count", 2);
    ext.put("warnings", List.of("w1"));
    Map<String, Object> detail = new java.util.HashMap<>();
    detail.put("gone", null);
    detail.put("kept", true);
    ext.put("detail", detail);
    assertThat(p.decide(List.of(report(NOTARY, true, ext))).allowed()).isTrue();
  }

  @Test
  void a_failed_report_carries_its_error_code() throws Exception {
    CelPolicy p = cel("verifierReports.all(r, r.errorCode == 'VERIFY_REFERENCE_FAILURE')");
    assertThat(p.allows(List.of(report(NOTARY, false)))).isTrue();
  }

  @Test
  void the_subject_is_a_variable() throws Exception {
    CelPolicy p =
        cel("!subject.startsWith('registry.example.com/') || verifierReports.all(r, r.isSuccess)");
    assertThat(p.allows(List.of(report(NOTARY, false)))).isFalse();
    VerifierReport elsewhere =
        VerifierReport.about("other.example/app:1")
            .verifier("n", "notation")
            .referrer("", NOTARY)
            .build();
    assertThat(p.allows(List.of(elsewhere))).isTrue();
  }

  @Test
  void nested_results_are_reports_too() throws Exception {
    CelPolicy p =
        cel("verifierReports.all(r, r.isSuccess && r.nestedResults.all(n, n.isSuccess))");
    VerifierReport sbom =
        VerifierReport.about(SUBJECT)
            .verifier("sbom", "sbom")
            .referrer("sha256:c", SBOM)
            .success(true)
            .nestedResults(List.of(report(NOTARY, false)))
            .build();
    assertThat(p.allows(List.of(sbom))).isFalse();
    VerifierReport signedSbom =
        VerifierReport.about(SUBJECT)
            .verifier("sbom", "sbom")
            .referrer("sha256:c", SBOM)
            .success(true)
            .nestedResults(List.of(report(NOTARY, true)))
            .build();
    assertThat(p.allows(List.of(signedSbom))).isTrue();
  }

  @Test
  void a_syntax_error_is_reported_with_its_position() {
    assertThatThrownBy(() -> cel("verifierReports.exists(r, r.isSuccess &&)"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("does not compile")
        .hasMessageContaining("line 1, column ");
  }

  @Test
  void an_unknown_variable_is_a_compile_error_naming_it_and_its_position() {
    assertThatThrownBy(() -> cel("true &&\n  input.verifierReports.size() > 0"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("line 2, column 3")
        .hasMessageContaining("input");
  }

  @Test
  void an_expression_whose_type_is_not_bool_is_a_compile_error() {
    assertThatThrownBy(() -> cel("size(verifierReports)"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("does not compile")
        .hasMessageContaining("bool");
    assertThatThrownBy(() -> cel("'yes'")).isInstanceOf(PolicyException.class);
  }

  @Test
  void empty_and_oversized_expressions_are_refused() {
    assertThatThrownBy(() -> cel(" ")).hasMessageContaining("empty");
    String huge = "true" + " && true".repeat(CelPolicy.MAX_EXPRESSION_CHARS / 8);
    assertThatThrownBy(() -> cel(huge))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("limit is " + CelPolicy.MAX_EXPRESSION_CHARS);
  }

  @Test
  void a_runtime_error_denies_with_the_reason() throws Exception {
    // A failed report has no Issuer: reading it is an error, and an error is never an allow.
    CelPolicy p = cel("verifierReports.all(r, r.extensions.Issuer == 'CN=CA')");
    PolicyDecision d = p.decide(List.of(report(NOTARY, false)));
    assertThat(d.verdict()).isEqualTo(PolicyDecision.Verdict.ERROR);
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains("the CEL policy failed").contains("Issuer");

    PolicyDecision outOfRange = cel("verifierReports[3].isSuccess").decide(List.of(report(NOTARY, true)));
    assertThat(outOfRange.verdict()).isEqualTo(PolicyDecision.Verdict.ERROR);
  }

  @Test
  void a_value_that_is_not_a_bool_at_run_time_denies() throws Exception {
    // The key's type is dyn, so the checker lets it through; the value is a string.
    CelPolicy p = cel("verifierReports[0].message");
    PolicyDecision d = p.decide(List.of(report(NOTARY, true)));
    assertThat(d.verdict()).isEqualTo(PolicyDecision.Verdict.ERROR);
    assertThat(d.reason()).contains("not a bool").contains("Notation signature verification success");
  }

  @Test
  void an_expression_that_iterates_too_much_denies() throws Exception {
    CelPolicy p =
        cel(
            "verifierReports.all(a, verifierReports.all(b, verifierReports.all(c,"
                + " a.isSuccess || b.isSuccess || c.isSuccess)))");
    List<VerifierReport> many = new ArrayList<>(Collections.nCopies(100, report(NOTARY, true)));
    PolicyDecision d = p.decide(many);
    assertThat(d.verdict()).isEqualTo(PolicyDecision.Verdict.ERROR);
    // The same expression over a few reports stays within the budget.
    assertThat(p.allows(many.subList(0, 10))).isTrue();
  }

  @Test
  void judging_adds_a_report_with_the_reason_only_when_the_policy_failed() throws Exception {
    List<VerifierReport> reports = List.of(report(NOTARY, true));
    VerificationResult failed = cel("verifierReports[0].nope").judge(SUBJECT, reports);
    assertThat(failed.isSuccess()).isFalse();
    assertThat(failed.verifierReports()).hasSize(2);
    VerifierReport reason = failed.verifierReports().get(1);
    assertThat(reason.errorCode()).isEqualTo(ErrorCode.EXECUTOR_FAILURE);
    assertThat(reason.errorReason()).contains("nope");
    assertThat(reason.subject()).isEqualTo(SUBJECT);

    VerificationResult denied = cel("false").judge(SUBJECT, reports);
    assertThat(denied.isSuccess()).isFalse();
    assertThat(denied.verifierReports()).isEqualTo(reports);

    VerificationResult allowed = cel("true").judge(SUBJECT, reports);
    assertThat(allowed.isSuccess()).isTrue();
    assertThat(allowed.verifierReports()).isEqualTo(reports);
  }

  @Test
  void the_expression_is_kept_as_written() throws Exception {
    assertThat(cel("true").expression()).isEqualTo("true");
  }

  @Test
  void extension_values_of_other_types_read_as_in_the_json_result() throws Exception {
    Map<String, Object> ext =
        Map.of("path", java.nio.file.Path.of("/etc/certs"), "big", new java.math.BigInteger("7"));
    CelPolicy p = cel("verifierReports.all(r, r.extensions.path.endsWith('certs') && r.extensions.big == 7)");
    PolicyDecision d = p.decide(List.of(report(NOTARY, true, ext)));
    assertThat(d.allowed()).as(d.reason()).isTrue();
  }

  @Test
  void deeply_nested_expressions_are_refused_not_overflowing_the_stack() throws Exception {
    int n = CelPolicy.MAX_EXPRESSION_CHARS / 2 - 4;
    assertThatThrownBy(() -> cel("(".repeat(n) + "true" + ")".repeat(n)))
        .isInstanceOf(PolicyException.class);
    // A run of negations is folded by the parser, not nested: it compiles and evaluates safely.
    assertThat(cel("!".repeat(CelPolicy.MAX_EXPRESSION_CHARS - 4) + "true").decide(List.of()))
        .isEqualTo(PolicyDecision.allow());
    assertThatThrownBy(() -> cel("[".repeat(n) + "]".repeat(n) + " == []"))
        .isInstanceOf(PolicyException.class);
  }

  @Test
  void one_compiled_policy_serves_many_threads_at_once() throws Exception {
    CelPolicy p = cel("verifierReports.exists(r, r.isSuccess && r.extensions.Issuer == 'CN=CA')");
    List<VerifierReport> good = List.of(report(NOTARY, true, Map.of("Issuer", "CN=CA")));
    List<VerifierReport> bad = List.of(report(NOTARY, true, Map.of("Issuer", "CN=Other")));
    List<Throwable> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      boolean allow = t % 2 == 0;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 500; i++) {
                      if (p.allows(allow ? good : bad) != allow) {
                        problems.add(new AssertionError("wrong decision in a concurrent evaluation"));
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(problems).isEmpty();
  }
}
