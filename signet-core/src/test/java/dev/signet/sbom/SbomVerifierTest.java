package dev.signet.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.artifact.Attachments;
import dev.signet.artifact.Attachments.Layer;
import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.result.ErrorCode;
import dev.signet.result.VerifierReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sbom verifier over npm's SPDX and CycloneDX documents; every parameter both ways. */
class SbomVerifierTest {
  /** A day after npm made the documents. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T05:00:00Z"), ZoneOffset.UTC);

  final Attachments store = new Attachments();
  final Descriptor spdx = store.attach(Sbom.SPDX_JSON, Map.of(), new Layer(Sbom.SPDX_JSON, SbomTest.npm("spdx.json")));
  final Descriptor cyclonedx = store.attach(Sbom.CYCLONEDX_JSON, Map.of(),
      new Layer(Sbom.CYCLONEDX_JSON, SbomTest.npm("cyclonedx.json")));

  static SbomVerifier verifier(List<String> licenses, List<SbomVerifier.PackageRule> packages, Duration age) {
    return new SbomVerifier("sbom-check", Set.of(Sbom.SPDX_JSON, Sbom.CYCLONEDX_JSON), Set.of(),
        licenses, packages, age, CLOCK);
  }

  VerifierReport judge(SbomVerifier v, Descriptor referrer) throws Exception {
    return v.verify(Attachments.SUBJECT, Attachments.SUBJECT_DESCRIPTOR, referrer, store, Deadline.none(CLOCK));
  }

  @Test
  void withoutRulesEveryReadableSbomPasses() throws Exception {
    for (Descriptor d : List.of(spdx, cyclonedx)) {
      VerifierReport r = judge(verifier(List.of(), List.of(), null), d);
      assertThat(r.isSuccess()).as(r.toString()).isTrue();
      assertThat(r.verifierType()).isEqualTo("sbom");
      assertThat(r.verifierName()).isEqualTo("sbom-check");
      assertThat(r.referenceDigest()).isEqualTo(d.digest().toString());
      assertThat(r.extensions()).containsEntry("packageCount", 19L);
    }
  }

  @Test
  void aLicenseThatCannotBeAvoidedFailsOneThatCanBeChosenAwayDoesNot() throws Exception {
    // pako is (MIT AND Zlib): Zlib cannot be avoided.
    for (Descriptor d : List.of(spdx, cyclonedx)) {
      VerifierReport r = judge(verifier(List.of("Zlib"), List.of(), null), d);
      assertThat(r.isSuccess()).isFalse();
      assertThat(r.errorCode()).isEqualTo(ErrorCode.VERIFY_REFERENCE_FAILURE);
      assertThat(r.extensions()).containsEntry("licenseViolationCount", 1L);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> v = (List<Map<String, Object>>) r.extensions().get("licenseViolations");
      assertThat(v).singleElement().satisfies(m -> {
        assertThat(m).containsEntry("name", "pako").containsEntry("version", "1.0.11");
        assertThat(m.get("license")).isEqualTo("(MIT AND Zlib)");
      });
      assertThat(r.errorReason()).contains("pako@1.0.11");
    }
    // jszip is (MIT OR GPL-3.0-or-later), node-forge (BSD-3-Clause OR GPL-2.0): MIT / BSD can be chosen.
    VerifierReport gpl = judge(verifier(List.of("GPL-3.0-or-later", "GPL-2.0-only", "GPL-3.0-only"), List.of(), null), spdx);
    assertThat(gpl.isSuccess()).as(gpl.toString()).isTrue();
    // not by substring: "MIT" appears inside no other identifier here, but LGPL-3.0+ contains "GPL-3.0"
    VerifierReport lgpl = judge(verifier(List.of("GPL-3.0"), List.of(), null), spdx);
    assertThat(lgpl.isSuccess()).as(lgpl.toString()).isTrue();
    VerifierReport lgplBanned = judge(verifier(List.of("LGPL-3.0-or-later"), List.of(), null), spdx);
    assertThat(lgplBanned.isSuccess()).isFalse();
    assertThat(lgplBanned.errorReason()).contains("openpgp@6.1.0");
  }

  @Test
  void disallowingBothSidesOfAChoiceFails() throws Exception {
    VerifierReport r = judge(verifier(List.of("MIT", "GPL-3.0-or-later"), List.of(), null), spdx);
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.errorReason()).contains("jszip@3.10.1");
  }

  @Test
  void disallowedPackagesMatchNameAndVersion() throws Exception {
    VerifierReport otherVersion = judge(verifier(List.of(), List.of(new SbomVerifier.PackageRule("pako", "1.0.10")), null), spdx);
    assertThat(otherVersion.isSuccess()).isTrue();
    VerifierReport same = judge(verifier(List.of(), List.of(new SbomVerifier.PackageRule("pako", "1.0.11")), null), cyclonedx);
    assertThat(same.isSuccess()).isFalse();
    assertThat(same.extensions()).containsEntry("packageViolationCount", 1L).containsEntry("licenseViolationCount", 0L);
    VerifierReport anyVersion = judge(verifier(List.of(), List.of(new SbomVerifier.PackageRule("node-forge", null)), null), spdx);
    assertThat(anyVersion.isSuccess()).isFalse();
    assertThat(anyVersion.errorReason()).contains("node-forge@1.3.1");
  }

  @Test
  void maximumAge() throws Exception {
    assertThat(judge(verifier(List.of(), List.of(), Duration.ofHours(48)), spdx).isSuccess()).isTrue();
    VerifierReport old = judge(verifier(List.of(), List.of(), Duration.ofHours(12)), cyclonedx);
    assertThat(old.isSuccess()).isFalse();
    assertThat(old.message()).contains("older than maximumAge");
    Descriptor undated = store.attach(Sbom.SPDX_JSON, Map.of(), Layer.of(Sbom.SPDX_JSON, "{\"spdxVersion\":\"SPDX-2.3\"}"));
    VerifierReport unknown = judge(verifier(List.of(), List.of(), Duration.ofHours(48)), undated);
    assertThat(unknown.isSuccess()).isFalse();
    assertThat(unknown.errorReason()).contains("does not say when it was created");
  }

  @Test
  void noAssertionNoneAndMissingLicensesCanBeDisallowed() throws Exception {
    Descriptor d = store.attach(Sbom.SPDX_JSON, Map.of(), Layer.of(Sbom.SPDX_JSON, """
        {"spdxVersion":"SPDX-2.3","packages":[
          {"name":"a","licenseConcluded":"NOASSERTION","licenseDeclared":"NOASSERTION"},
          {"name":"b","licenseConcluded":"NONE"},
          {"name":"c"},
          {"name":"d","licenseConcluded":"GPL-2.0-only WITH Classpath-exception-2.0"},
          {"name":"e","licenseConcluded":"Apache License 2.0"}]}"""));
    assertThat(judge(verifier(List.of("NOASSERTION"), List.of(), null), d).errorReason())
        .startsWith("a:").doesNotContain("b:").doesNotContain("c:").doesNotContain("d:").contains("e:");
    assertThat(judge(verifier(List.of("NONE"), List.of(), null), d).errorReason()).startsWith("b:");
    assertThat(judge(verifier(List.of(""), List.of(), null), d).errorReason()).startsWith("c:");
    assertThat(judge(verifier(List.of("GPL-2.0-only"), List.of(), null), d).errorReason()).startsWith("d:");
    // a license that is not an SPDX expression cannot be checked: a violation when licenses are checked
    VerifierReport mit = judge(verifier(List.of("MIT"), List.of(), null), d);
    assertThat(mit.errorReason()).startsWith("e:").contains("not an SPDX license expression");
    assertThat(judge(verifier(List.of(), List.of(), null), d).isSuccess()).isTrue();
  }

  @Test
  void compoundDisallowedEntriesAreRefused() {
    assertThatThrownBy(() -> verifier(List.of("MIT AND Zlib"), List.of(), null))
        .hasMessageContaining("compound expression");
  }

  @Test
  void unreadableOrWronglyTypedSbomsFailWithAClearReason() throws Exception {
    Descriptor tar = store.attach(Sbom.SPDX_JSON, Map.of(), Layer.of("application/vnd.oci.image.layer.v1.tar", "x"));
    VerifierReport r = judge(verifier(List.of(), List.of(), null), tar);
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.message()).isEqualTo("the SBOM could not be read");
    assertThat(r.errorReason()).contains("is not an SBOM format");
    Descriptor broken = store.attach(Sbom.SPDX_JSON, Map.of(), Layer.of(Sbom.SPDX_JSON, "{\"spdxVersion\": [}"));
    assertThat(judge(verifier(List.of(), List.of(), null), broken).errorReason()).contains("not valid JSON");
    Descriptor empty = store.attach(Sbom.SPDX_JSON, Map.of());
    assertThat(judge(verifier(List.of(), List.of(), null), empty).errorReason()).contains("no layers");
  }
}
