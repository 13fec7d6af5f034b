package dev.signet.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.json.JsonFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ResultJsonTest {
  static VerificationResult result(FailureKind kind) {
    return new VerificationResult("registry.test/app:v1", false, List.of(
        VerifierReport.about("registry.test/app@sha256:aa")
            .verifier("notation", "notation")
            .failure(kind, ErrorCode.GET_BLOB_CONTENT_FAILURE, "could not read", "503", "Retry.")
            .build()));
  }

  @Test
  void a_failure_names_its_kind_and_reads_back_with_it() throws Exception {
    ObjectNode json = ResultJson.of(result(FailureKind.TRANSIENT));
    assertThat(json.get("verifierReports").get(0).get("failureKind").asString())
        .isEqualTo("transient");

    VerificationResult back = ResultJson.parse("registry.test/app:v1", json);
    assertThat(back.verifierReports().get(0).failureKind()).isEqualTo(FailureKind.TRANSIENT);
    assertThat(back).isEqualTo(result(FailureKind.TRANSIENT));
  }

  @Test
  void a_pass_has_no_kind_and_an_unknown_kind_is_refused() {
    VerifierReport pass = VerifierReport.about("s").failureKind(FailureKind.DENIED).passed("ok")
        .build();
    assertThat(pass.failureKind()).isNull();
    assertThat(ResultJson.reports(List.of(pass)).get(0).has("failureKind")).isFalse();

    ObjectNode json = ResultJson.of(result(FailureKind.DENIED));
    ((ObjectNode) json.get("verifierReports").get(0)).put("failureKind", "maybe");
    assertThatThrownBy(() -> ResultJson.parse("s", json))
        .isInstanceOf(JsonFormatException.class)
        .hasMessageContaining("maybe");
  }
}
