package dev.signet.sbom;

import dev.signet.verify.ReferrerFailure;
import dev.signet.verify.ConfiguredVerifier;
import dev.signet.verify.Referrer;
import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.ReferrerStore;
import dev.signet.reference.Reference;
import dev.signet.result.VerifierReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ratify's {@code licensechecker}: every package of the attached SBOM must be under an allowed
 * license ({@code allowedLicenses}).
 *
 * <p>As in Ratify, a package passes when its license, as a whole, is one of the listed entries:
 * compound expressions ({@code MIT AND Zlib}), {@code NONE}, {@code NOASSERTION} and {@code ""} (no
 * license given) must be listed to be allowed; whitespace, letter case and outer parentheses do not
 * matter. Beyond Ratify, an SPDX expression also passes when it can be complied with using listed
 * single licenses only ({@code MIT OR GPL-3.0-only} with MIT listed, {@code MIT AND Zlib} with both
 * listed). A license that is not an SPDX expression passes only when listed exactly.
 */
public final class LicenseCheckerVerifier extends ConfiguredVerifier {
  public static final String TYPE = "licensechecker";

  private final Set<String> literal;
  private final Set<String> wholeExpressions;
  private final Set<String> singleLicenses;

  /** @param allowedLicenses Ratify's list: license expressions, NONE, NOASSERTION or "" */
  public LicenseCheckerVerifier(
      String name, Set<String> artifactTypes, Set<String> nestedReferences, List<String> allowedLicenses) {
    super(name, TYPE, artifactTypes, nestedReferences);
    Set<String> lit = new HashSet<>();
    Set<String> whole = new HashSet<>();
    Set<String> single = new HashSet<>();
    for (String entry : allowedLicenses) {
      lit.add(literal(entry));
      LicenseExpression e = SbomReading.parseOrNull(entry);
      if (e instanceof LicenseExpression.Term t) {
        single.add(t.key());
      } else if (e != null) {
        whole.add(e.canonical());
      }
    }
    this.literal = Set.copyOf(lit);
    this.wholeExpressions = Set.copyOf(whole);
    this.singleLicenses = Set.copyOf(single);
  }

  private static String literal(String license) {
    return license.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
  }

  @Override
  protected VerifierReport judge(Referrer reports, Deadline deadline)
      throws ReferrerFailure, DeadlineExceededException {
    List<Sbom> sboms = SbomReading.read(reports, deadline);
    List<SbomReading.Violation> violations = new ArrayList<>();
    long packages = 0;
    for (Sbom sbom : sboms) {
      for (Sbom.SbomPackage p : sbom.packages()) {
        packages++;
        String why = notAllowed(p.license());
        if (why != null) {
          violations.add(new SbomReading.Violation(p, why));
        }
      }
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("sbomFormat", sboms.get(0).format().label);
    extensions.put("packageCount", packages);
    if (violations.isEmpty()) {
      return reports.success("License Check: SUCCESS. All packages have allowed licenses", extensions);
    }
    extensions.put("licenseViolationCount", (long) violations.size());
    extensions.put("licenseViolations", SbomReading.listed(violations));
    return reports.failure(
        "License Check: FAILED. " + violations.size() + " package(s) have licenses that are not allowed",
        SbomReading.summary(violations),
        "Replace the packages listed in extensions, or add their licenses to allowedLicenses.",
        extensions);
  }

  /** Why a license is not allowed, or null when it is. */
  private String notAllowed(String license) {
    if (literal.contains(literal(license))) {
      return null;
    }
    if (license.isBlank()) {
      return "the package states no license, and \"\" is not in allowedLicenses";
    }
    LicenseExpression expression = SbomReading.parseOrNull(license);
    if (expression == null) {
      return "\"" + license + "\" is not an SPDX license expression and is not listed as it is";
    }
    if (wholeExpressions.contains(expression.canonical())
        || expression.satisfiable(t -> singleLicenses.contains(t.key()))) {
      return null;
    }
    return "\"" + license + "\" is not allowed";
  }
}
