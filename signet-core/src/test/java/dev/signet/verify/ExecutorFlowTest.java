package dev.signet.verify;

import dev.signet.policy.ConfigPolicy;
import dev.signet.result.ErrorCode;
import dev.signet.result.ResultJson;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The executor's flow: verifier choice and order, nested verification, batches. */
class ExecutorFlowTest {
  static final Clock CLOCK = Clock.systemUTC();
  static final String SBOM = "application/spdx+json";
  static final String REPO = "registry.test/team/app";

  final MemoryStore store = new MemoryStore();
  final Signing pki = new Signing("Flow");

  Executor executor(ConfigPolicy policy, ReferenceVerifier... verifiers) {
    return new Executor(List.of(store), List.of(verifiers), policy, Duration.ofSeconds(20), CLOCK);
  }

  static ConfigPolicy allByDefault() {
    return new ConfigPolicy(Map.of());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void a_signed_image_is_allowed_by_the_notation_verifier() {
    Descriptor image = store.image("signed", "v1");
    store.signature(image, pki.sign(image));

    VerificationResult result = executor(allByDefault(), pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    assertThat(result.subject()).isEqualTo(REPO + ":v1");
    assertThat(result.verifierReports()).singleElement()
        .satisfies(r -> assertThat(r.extensions().get("SN")).isEqualTo("CN=Flow Signer"));
  }

  @Test
  void each_referrer_goes_to_the_first_matching_verifier_and_reports_keep_the_referrer_order() {
    Descriptor image = store.image("ordered", "v1");
    Descriptor x1 = store.referrer(image, "application/x", bytes("x1"), "text/plain");
    Descriptor y = store.referrer(image, "application/y", bytes("y"), "text/plain");
    Descriptor x2 = store.referrer(image, "application/x", bytes("x2"), "text/plain");
    Descriptor other = store.referrer(image, "application/other", bytes("u"), "text/plain");
    RecordingVerifier first = new RecordingVerifier("first", Set.of("application/x"), Set.of(), true);
    RecordingVerifier wildcard = new RecordingVerifier("wildcard", Set.of("*"), Set.of(), true);
    RecordingVerifier shadowed = new RecordingVerifier("shadowed", Set.of("application/x"), Set.of(), false);
    // The first referrer is judged slowest: the order of reports must not depend on timing.
    first.pauseMillis = 300;

    VerificationResult result = executor(allByDefault(), first, wildcard, shadowed).verify(REPO + ":v1");

    assertThat(result.verifierReports())
        .extracting(VerifierReport::referenceDigest, VerifierReport::verifierName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(x1.digest().toString(), "first"),
            org.assertj.core.groups.Tuple.tuple(y.digest().toString(), "wildcard"),
            org.assertj.core.groups.Tuple.tuple(x2.digest().toString(), "first"),
            // The wildcard verifier comes before "shadowed" in configuration order.
            org.assertj.core.groups.Tuple.tuple(other.digest().toString(), "wildcard"));
    assertThat(shadowed.judged).isEmpty();
    assertThat(result.isSuccess()).isTrue();
  }

  @Test
  void the_referrers_of_a_subject_are_judged_in_parallel() {
    Descriptor image = store.image("parallel", "v1");
    for (int i = 0; i < 4; i++) {
      store.referrer(image, "application/x", bytes("x" + i), "text/plain");
    }
    RecordingVerifier slow = new RecordingVerifier("slow", Set.of("*"), Set.of(), true);
    slow.pauseMillis = 400;

    VerificationResult result = executor(allByDefault(), slow).verify(REPO + ":v1");

    assertThat(result.verifierReports()).hasSize(4).allMatch(VerifierReport::isSuccess);
    assertThat(slow.maxRunning.get()).isGreaterThan(1);
  }

  @Test
  void nested_references_verify_the_signature_of_an_sbom() {
    Descriptor image = store.image("with-sbom", "v1");
    Descriptor sbom = store.referrer(image, SBOM, bytes("{\"spdxVersion\":\"SPDX-2.3\"}"), SBOM);
    store.signature(sbom, pki.sign(sbom));
    RecordingVerifier sbomVerifier =
        new RecordingVerifier("sbom", Set.of(SBOM), Set.of(MediaTypes.NOTARY_SIGNATURE), true);

    VerificationResult result =
        executor(allByDefault(), sbomVerifier, pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    VerifierReport report = result.verifierReports().get(0);
    assertThat(report.verifierName()).isEqualTo("sbom");
    assertThat(report.nestedResults()).singleElement().satisfies(n -> {
      assertThat(n.isSuccess()).isTrue();
      assertThat(n.verifierName()).isEqualTo("notation");
      assertThat(n.subject()).isEqualTo(REPO + "@" + sbom.digest());
    });
    // Ratify's result shape: the nested reports under the parent report.
    tools.jackson.databind.JsonNode json = ResultJson.of(result);
    assertThat(json.get("verifierReports").get(0).get("nestedResults").get(0).get("verifierName").asString())
        .isEqualTo("notation");
  }

  @Test
  void nested_referrers_are_not_held_to_the_policys_per_type_rules() {
    Descriptor image = store.image("typed-policy", "v1");
    store.signature(image, pki.sign(image));
    Descriptor sbom = store.referrer(image, SBOM, bytes("{\"spdxVersion\":\"SPDX-2.3\"}"), SBOM);
    store.signature(sbom, pki.sign(sbom));
    RecordingVerifier sbomVerifier =
        new RecordingVerifier("sbom", Set.of(SBOM), Set.of(MediaTypes.NOTARY_SIGNATURE), true);
    // The SBOM's own referrers include no SBOM: the "all" rule for SBOMs is about the subject only.
    ConfigPolicy typed = new ConfigPolicy(
        Map.of(MediaTypes.NOTARY_SIGNATURE, ConfigPolicy.Rule.ANY, SBOM, ConfigPolicy.Rule.ALL));

    VerificationResult result =
        executor(typed, sbomVerifier, pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).as(result.toString()).isTrue();
    VerifierReport sbomReport = result.verifierReports().stream()
        .filter(r -> r.artifactType().equals(SBOM)).findFirst().orElseThrow();
    assertThat(sbomReport.nestedResults()).singleElement()
        .satisfies(n -> assertThat(n.isSuccess()).isTrue());
    // and the policy still applies to the subject: without the SBOM, the image is denied
    Descriptor bare = store.image("typed-policy-bare", "v2");
    store.signature(bare, pki.sign(bare));
    assertThat(executor(typed, sbomVerifier, pki.notation("notation", CLOCK)).verify(REPO + ":v2").isSuccess())
        .isFalse();
  }

  @Test
  void a_failing_nested_signature_fails_the_parent_report() {
    Descriptor image = store.image("bad-sbom", "v1");
    Descriptor sbom = store.referrer(image, SBOM, bytes("{\"spdxVersion\":\"SPDX-2.3\"}"), SBOM);
    store.signature(sbom, new Signing("Stranger").sign(sbom));
    RecordingVerifier sbomVerifier =
        new RecordingVerifier("sbom", Set.of(SBOM), Set.of(MediaTypes.NOTARY_SIGNATURE), true);

    VerificationResult result =
        executor(allByDefault(), sbomVerifier, pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).isFalse();
    VerifierReport report = result.verifierReports().get(0);
    assertThat(report.isSuccess()).isFalse();
    assertThat(report.message()).isEqualTo("nested verification failed");
    assertThat(report.errorCode()).isEqualTo(ErrorCode.VERIFY_REFERENCE_FAILURE);
    assertThat(report.errorReason()).contains("authenticity");
    assertThat(report.nestedResults()).singleElement().satisfies(n -> {
      assertThat(n.isSuccess()).isFalse();
      assertThat(n.errorCode()).isEqualTo(ErrorCode.VERIFY_REFERENCE_FAILURE);
    });
  }

  @Test
  void an_unsigned_nested_artifact_fails_the_parent_report() {
    Descriptor image = store.image("unsigned-sbom", "v1");
    store.referrer(image, SBOM, bytes("{}"), SBOM);
    RecordingVerifier sbomVerifier =
        new RecordingVerifier("sbom", Set.of(SBOM), Set.of(MediaTypes.NOTARY_SIGNATURE), true);

    VerificationResult result =
        executor(allByDefault(), sbomVerifier, pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.verifierReports().get(0).message()).isEqualTo("nested verification failed");
    assertThat(result.verifierReports().get(0).nestedResults()).singleElement()
        .satisfies(n -> assertThat(n.errorCode()).isEqualTo(ErrorCode.NO_VERIFIER_REPORT));
  }

  @Test
  void without_nested_references_the_referrers_of_a_referrer_are_not_read() {
    Descriptor image = store.image("flat", "v1");
    Descriptor sbom = store.referrer(image, SBOM, bytes("{}"), SBOM);
    store.signature(sbom, new Signing("Stranger").sign(sbom));
    RecordingVerifier sbomVerifier = new RecordingVerifier("sbom", Set.of(SBOM), Set.of(), true);

    VerificationResult result =
        executor(allByDefault(), sbomVerifier, pki.notation("notation", CLOCK)).verify(REPO + ":v1");

    assertThat(result.isSuccess()).isTrue();
    assertThat(result.verifierReports().get(0).nestedResults()).isEmpty();
    assertThat(store.count(MemoryStore.Op.REFERRERS)).isEqualTo(1);
  }

  @Test
  void nesting_is_bounded() {
    Descriptor subject = store.image("deep", "v1");
    List<Descriptor> chain = new ArrayList<>();
    for (int i = 0; i < Executor.MAX_NESTING_DEPTH + 3; i++) {
      subject = store.referrer(subject, "application/chain", bytes("link " + i), "text/plain");
      chain.add(subject);
    }
    RecordingVerifier links =
        new RecordingVerifier("links", Set.of("application/chain"), Set.of("application/chain"), true);

    VerificationResult result = executor(allByDefault(), links).verify(REPO + ":v1");

    assertThat(result.isSuccess()).isFalse();
    assertThat(links.judged).hasSize(Executor.MAX_NESTING_DEPTH + 1);
    VerifierReport r = result.verifierReports().get(0);
    for (int level = 0; level < Executor.MAX_NESTING_DEPTH + 1; level++) {
      assertThat(r.message()).isEqualTo("nested verification failed");
      r = r.nestedResults().get(0);
    }
    assertThat(r.message()).contains("deeper than " + Executor.MAX_NESTING_DEPTH + " levels");
  }

  @Test
  void a_batch_is_verified_in_parallel_and_answered_in_order() {
    Descriptor signed = store.image("batch-signed", "signed");
    store.signature(signed, pki.sign(signed));
    store.image("batch-unsigned", "unsigned");
    Descriptor slow = store.image("batch-slow", "slow");
    store.referrer(slow, "application/x", bytes("slow"), "text/plain");
    Descriptor slow2 = store.image("batch-slow2", "slow2");
    store.referrer(slow2, "application/x", bytes("slow2"), "text/plain");
    RecordingVerifier x = new RecordingVerifier("x", Set.of("application/x"), Set.of(), true);
    x.pauseMillis = 400;
    Executor executor = executor(allByDefault(), pki.notation("notation", CLOCK), x);

    List<VerificationResult> results =
        executor.verifyAll(
            List.of(REPO + ":signed", REPO + ":unsigned", "Not A Reference", REPO + ":slow", REPO + ":slow2"));

    assertThat(results).extracting(VerificationResult::subject)
        .containsExactly(REPO + ":signed", REPO + ":unsigned", "Not A Reference", REPO + ":slow", REPO + ":slow2");
    assertThat(results).extracting(VerificationResult::isSuccess).containsExactly(true, false, false, true, true);
    assertThat(results.get(1).verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.NO_VERIFIER_REPORT);
    assertThat(results.get(2).verifierReports().get(0).errorCode()).isEqualTo(ErrorCode.REFERENCE_INVALID);
    assertThat(x.maxRunning.get()).isEqualTo(2);
  }
}
