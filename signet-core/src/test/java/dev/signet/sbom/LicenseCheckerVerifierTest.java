package dev.signet.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.artifact.Attachments;
import dev.signet.artifact.Attachments.Layer;
import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.result.VerifierReport;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** licensechecker over npm's documents and over Ratify's allowedLicenses samples. */
class LicenseCheckerVerifierTest {
  static final Clock CLOCK = Clock.systemUTC();
  /** Ratify's test config complete_licensechecker_config.json. */
  static final List<String> RATIFY_COMPLETE = List.of("GPL-2.0-only", "MIT", "OpenSSL",
      "BSD-2-Clause AND BSD-3-Clause", "Zlib", "MPL-2.0 AND MIT", "ISC", "Apache-2.0",
      "MIT AND BSD-2-Clause AND GPL-2.0-or-later",
      "MIT AND LicenseRef-AND AND BSD-2-Clause AND LicenseRef-AND AND GPL-2.0-or-later",
      "MPL-2.0 AND LicenseRef-AND AND MIT", "BSD-2-Clause AND LicenseRef-AND AND BSD-3-Clause",
      "NONE", "NOASSERTION", "");

  final Attachments store = new Attachments();
  final Descriptor spdx = store.attach(Sbom.SPDX_JSON, Map.of(), new Layer(Sbom.SPDX_JSON, SbomTest.npm("spdx.json")));
  final Descriptor cyclonedx = store.attach(Sbom.CYCLONEDX_JSON, Map.of(),
      new Layer(Sbom.CYCLONEDX_JSON, SbomTest.npm("cyclonedx.json")));
  /** An SPDX tag-value document like Ratify's licensechecker test image. */
  final Descriptor tagValue = store.attach("application/vnd.ratify.spdx.v0", Map.of(), Layer.of(Sbom.SPDX_TAG_VALUE, """
      SPDXVersion: SPDX-2.2
      PackageName: musl
      PackageLicenseConcluded: MIT
      PackageName: busybox
      PackageLicenseConcluded: GPL-2.0-only
      PackageName: alpine-keys
      PackageLicenseConcluded: MIT AND LicenseRef-AND AND BSD-2-Clause AND LicenseRef-AND AND GPL-2.0-or-later
      PackageName: ssl_client
      PackageLicenseConcluded: NOASSERTION
      PackageName: scanelf
      PackageLicenseConcluded: NONE
      PackageName: unknown
      """));

  VerifierReport judge(List<String> allowed, Descriptor referrer) throws Exception {
    LicenseCheckerVerifier v = new LicenseCheckerVerifier("license-checker",
        Set.of("*"), Set.of(), allowed);
    return v.verify(Attachments.SUBJECT, Attachments.SUBJECT_DESCRIPTOR, referrer, store, Deadline.none(CLOCK));
  }

  @Test
  void ratifysCompleteListAllowsItsSampleAndThePartialOneDoesNot() throws Exception {
    VerifierReport complete = judge(RATIFY_COMPLETE, tagValue);
    assertThat(complete.isSuccess()).as(complete.toString()).isTrue();
    assertThat(complete.message()).isEqualTo("License Check: SUCCESS. All packages have allowed licenses");
    VerifierReport partial = judge(List.of("MIT"), tagValue);
    assertThat(partial.isSuccess()).isFalse();
    assertThat(partial.extensions()).containsEntry("licenseViolationCount", 5L);
    assertThat(partial.errorReason()).contains("busybox").contains("unknown").doesNotContain("musl:");
  }

  @Test
  void noneNoAssertionAndEmptyMustBeListedToPass() throws Exception {
    List<String> base = List.of("MIT", "GPL-2.0-only", "BSD-2-Clause", "GPL-2.0-or-later", "LicenseRef-AND");
    VerifierReport r = judge(base, tagValue);
    assertThat(r.extensions()).containsEntry("licenseViolationCount", 3L);
    assertThat(r.errorReason()).contains("ssl_client").contains("scanelf").contains("unknown");
    List<String> more = new java.util.ArrayList<>(base);
    more.addAll(List.of("NONE", "NOASSERTION"));
    VerifierReport r2 = judge(more, tagValue);
    assertThat(r2.extensions()).containsEntry("licenseViolationCount", 1L);
    more.add("");
    assertThat(judge(more, tagValue).isSuccess()).isTrue();
  }

  @Test
  void npmDocumentsChoicesAndCompoundsAreEvaluated() throws Exception {
    List<String> allowed = List.of("MIT", "ISC", "Apache-2.0", "Python-2.0", "BSD-3-Clause", "LGPL-3.0-or-later",
        "LGPL-3.0-only", "Zlib");
    for (Descriptor d : List.of(spdx, cyclonedx)) {
      VerifierReport r = judge(allowed, d);
      assertThat(r.isSuccess()).as(r.toString()).isTrue();
      assertThat(r.extensions()).containsEntry("packageCount", 19L);
    }
    // without Zlib, pako's (MIT AND Zlib) fails; listing the whole compound allows it, as in Ratify
    List<String> noZlib = allowed.subList(0, allowed.size() - 1);
    VerifierReport r = judge(noZlib, spdx);
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.errorReason()).isEqualTo("pako@1.0.11: \"(MIT AND Zlib)\" is not allowed");
    List<String> withCompound = new java.util.ArrayList<>(noZlib);
    withCompound.add("MIT AND Zlib");
    assertThat(judge(withCompound, spdx).isSuccess()).isTrue();
    // without MIT, jszip's choice still needs GPL-3.0-or-later, which is not listed
    VerifierReport noMit = judge(List.of("ISC", "Apache-2.0"), spdx);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> violations = (List<Map<String, Object>>) noMit.extensions().get("licenseViolations");
    assertThat(violations).extracting(m -> m.get("name")).contains("jszip", "pako").doesNotContain("inherits", "dompurify");
  }
}
