package dev.signet.sbom;

import dev.signet.verify.ReferrerFailure;
import dev.signet.artifact.AttachedArtifact;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.verify.Referrer;
import dev.signet.result.ErrorCode;
import dev.signet.result.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the SBOM verifiers share: reading every layer of a referrer as an SBOM, and violation lists. */
final class SbomReading {
  /** Reports list at most this many violations (the count is always complete). */
  static final int MAX_LISTED = 100;

  private SbomReading() {}

  /** Reads every layer of the referrer as an SBOM. */
  static List<Sbom> read(Referrer referrer, Deadline deadline)
      throws ReferrerFailure, DeadlineExceededException {
    AttachedArtifact artifact = AttachedArtifact.fetch(referrer, Sbom.MAX_BYTES, deadline);
    List<Sbom> sboms = new ArrayList<>();
    for (AttachedArtifact.Layer layer : artifact.layers()) {
      try {
        sboms.add(Sbom.parse(layer.content(), layer.descriptor().mediaType()));
      } catch (SbomFormatException e) {
        throw new ReferrerFailure(FailureKind.DENIED, ErrorCode.VERIFY_REFERENCE_FAILURE,
            "the SBOM could not be read",
            "layer " + layer.descriptor().digest() + ": " + e.getMessage(),
            "Attach an SPDX JSON, SPDX tag-value or CycloneDX JSON document with its media type"
                + " (application/spdx+json, text/spdx, application/vnd.cyclonedx+json).");
      }
    }
    return sboms;
  }

  /** A package that breaks a rule, and why. */
  record Violation(Sbom.SbomPackage pkg, String reason) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", pkg.name());
      m.put("version", pkg.version());
      m.put("license", pkg.license());
      m.put("reason", reason);
      return m;
    }
  }

  static List<Map<String, Object>> listed(List<Violation> violations) {
    return violations.stream().limit(MAX_LISTED).map(Violation::toMap).toList();
  }

  /** A short human summary: the first few violations. */
  static String summary(List<Violation> violations) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(5, violations.size()); i++) {
      Violation v = violations.get(i);
      if (i > 0) {
        b.append("; ");
      }
      b.append(v.pkg().name());
      if (!v.pkg().version().isEmpty()) {
        b.append('@').append(v.pkg().version());
      }
      b.append(": ").append(v.reason());
    }
    if (violations.size() > 5) {
      b.append("; and ").append(violations.size() - 5).append(" more");
    }
    return b.toString();
  }

  /** The license text as given, or a parse failure. */
  static LicenseExpression parseOrNull(String license) {
    try {
      return LicenseExpression.parse(license);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
