package dev.signet.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Reading the SBOMs npm generated (see resources dev/signet/sbom/npm/README.md) and hostile ones. */
class SbomTest {
  static byte[] npm(String file) {
    try (InputStream in = SbomTest.class.getResourceAsStream("npm/" + file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> licenses(Sbom sbom) {
    return sbom.packages().stream()
        .collect(Collectors.toMap(Sbom.SbomPackage::name, Sbom.SbomPackage::license, (a, b) -> a));
  }

  @Test
  void npmSpdxJson() throws Exception {
    Sbom sbom = Sbom.parse(npm("spdx.json"), Sbom.SPDX_JSON);
    assertThat(sbom.format()).isEqualTo(Sbom.Format.SPDX_JSON);
    assertThat(sbom.created()).isEqualTo(Instant.parse("2026-12-04T05:52:49.913Z"));
    assertThat(sbom.packages()).hasSize(19);
    Map<String, String> licenses = licenses(sbom);
    assertThat(licenses).containsEntry("jszip", "(MIT OR GPL-3.0-or-later)")
        .containsEntry("pako", "(MIT AND Zlib)")
        .containsEntry("openpgp", "LGPL-3.0+")
        .containsEntry("signet-sbom-fixture", "Apache-2.0");
    assertThat(sbom.packages()).contains(new Sbom.SbomPackage("pako", "1.0.11", "(MIT AND Zlib)"));
  }

  @Test
  void npmCycloneDxJson() throws Exception {
    Sbom sbom = Sbom.parse(npm("cyclonedx.json"), Sbom.CYCLONEDX_JSON);
    assertThat(sbom.format()).isEqualTo(Sbom.Format.CYCLONEDX_JSON);
    assertThat(sbom.created()).isEqualTo(Instant.parse("2026-12-04T05:52:50.992Z"));
    // metadata.component (the project) and its 18 components
    assertThat(sbom.packages()).hasSize(19);
    assertThat(licenses(sbom)).containsEntry("jszip", "(MIT OR GPL-3.0-or-later)")
        .containsEntry("openpgp", "LGPL-3.0")
        .containsEntry("sbom-project", "Apache-2.0");
  }

  @Test
  void genericMediaTypesAreRecognisedByContent() throws Exception {
    assertThat(Sbom.parse(npm("spdx.json"), "application/json").format()).isEqualTo(Sbom.Format.SPDX_JSON);
    assertThat(Sbom.parse(npm("cyclonedx.json"), "application/octet-stream").format())
        .isEqualTo(Sbom.Format.CYCLONEDX_JSON);
  }

  @Test
  void spdxTagValue() throws Exception {
    String doc = """
        SPDXVersion: SPDX-2.2
        DataLicense: CC0-1.0
        Created: 2024-01-02T03:04:05Z
        PackageComment: <text>spans
        PackageName: not-a-package
        </text>
        PackageName: musl-utils
        PackageVersion: 1.2.3-r4
        PackageLicenseConcluded: MIT AND BSD-2-Clause AND GPL-2.0-or-later
        PackageLicenseDeclared: NOASSERTION
        PackageName: zlib
        PackageVersion: 1.2.13-r0
        PackageLicenseConcluded: NOASSERTION
        PackageLicenseDeclared: Zlib
        FileName: ./etc/x
        LicenseConcluded: GPL-3.0-only
        """;
    Sbom sbom = Sbom.parse(doc.getBytes(StandardCharsets.UTF_8), Sbom.SPDX_TAG_VALUE);
    assertThat(sbom.created()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    assertThat(sbom.packages()).containsExactly(
        new Sbom.SbomPackage("musl-utils", "1.2.3-r4", "MIT AND BSD-2-Clause AND GPL-2.0-or-later"),
        new Sbom.SbomPackage("zlib", "1.2.13-r0", "Zlib"));
  }

  @Test
  void concludedLicenseWinsUnlessItIsNoAssertion() {
    assertThat(Sbom.spdxLicense("MIT", "Apache-2.0")).isEqualTo("MIT");
    assertThat(Sbom.spdxLicense("NOASSERTION", "Apache-2.0")).isEqualTo("Apache-2.0");
    assertThat(Sbom.spdxLicense("NOASSERTION", null)).isEqualTo("NOASSERTION");
    assertThat(Sbom.spdxLicense(null, null)).isEmpty();
  }

  @Test
  void hostileOrWrongDocumentsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Sbom.parse(npm("cyclonedx.json"), Sbom.SPDX_JSON))
        .hasMessageContaining("not SPDX JSON");
    assertThatThrownBy(() -> Sbom.parse(npm("spdx.json"), Sbom.CYCLONEDX_JSON))
        .hasMessageContaining("not CycloneDX JSON");
    assertThatThrownBy(() -> Sbom.parse(npm("spdx.json"), "application/vnd.oci.image.layer.v1.tar"))
        .hasMessageContaining("not an SBOM format");
    assertThatThrownBy(() -> Sbom.parse("{\"spdxVersion\":".getBytes(StandardCharsets.UTF_8), Sbom.SPDX_JSON))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> Sbom.parse(new byte[Sbom.MAX_BYTES + 1], Sbom.SPDX_JSON))
        .hasMessageContaining("larger than the limit");
    String deep = "{\"spdxVersion\":\"SPDX-2.3\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThatThrownBy(() -> Sbom.parse(deep.getBytes(StandardCharsets.UTF_8), Sbom.SPDX_JSON))
        .hasMessageContaining("not valid JSON");
    String nested = "{\"bomFormat\":\"CycloneDX\",\"components\":"
        + "[{\"name\":\"a\",\"components\":".repeat(20) + "[]" + "}]".repeat(20) + "}";
    assertThatThrownBy(() -> Sbom.parse(nested.getBytes(StandardCharsets.UTF_8), Sbom.CYCLONEDX_JSON))
        .hasMessageContaining("nest deeper than 16");
    String many = "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":["
        + "{\"name\":\"p\"},".repeat(Sbom.MAX_PACKAGES) + "{\"name\":\"q\"}]}";
    assertThatThrownBy(() -> Sbom.parse(many.getBytes(StandardCharsets.UTF_8), Sbom.SPDX_JSON))
        .hasMessageContaining("more than 100000 packages");
    assertThatThrownBy(() -> Sbom.parse(
            "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":{}}".getBytes(StandardCharsets.UTF_8), Sbom.SPDX_JSON))
        .hasMessageContaining("packages must be an array");
    assertThatThrownBy(() -> Sbom.parse(
            "{\"spdxVersion\":\"SPDX-2.3\",\"creationInfo\":{\"created\":\"yesterday\"}}".getBytes(StandardCharsets.UTF_8),
            Sbom.SPDX_JSON))
        .hasMessageContaining("not an RFC 3339 time");
    assertThatThrownBy(() -> Sbom.parse(new byte[] {(byte) 0xff, (byte) 0xfe}, Sbom.SPDX_TAG_VALUE))
        .hasMessageContaining("not UTF-8");
  }
}
