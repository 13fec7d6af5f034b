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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ratify's {@code sbom} verifier: the attached SBOM must not contain a package under a disallowed
 * license ({@code disallowedLicenses}) or a disallowed package ({@code disallowedPackages}), and,
 * with {@code maximumAge}, must not be older than that.
 *
 * <p>Licenses are SPDX expressions and are evaluated, not searched as text: a package violates
 * when its expression cannot be complied with without a disallowed license ({@code MIT OR
 * GPL-3.0-only} passes with GPL-3.0-only disallowed, {@code MIT AND GPL-3.0-only} does not). A
 * disallowed identifier also covers its use with an exception ({@code WITH}). {@code NONE}, {@code
 * NOASSERTION} and {@code ""} (no license given) can be disallowed too. A license that is not an
 * SPDX expression is a violation whenever licenses are checked.
 */
public final class SbomVerifier extends ConfiguredVerifier {
  public static final String TYPE = "sbom";

  /** A disallowed package: a name, and a version unless every version is disallowed. */
  public record PackageRule(String name, String version) {
    boolean matches(Sbom.SbomPackage p) {
      return p.name().equals(name) && (version == null || version.equals(p.version()));
    }
  }

  private final Set<String> disallowedKeys;
  private final boolean noLicenseDisallowed;
  private final List<PackageRule> disallowedPackages;
  private final Duration maximumAge;
  private final Clock clock;

  /**
   * @param disallowedLicenses SPDX license identifiers (with {@code +} or {@code WITH} allowed),
   *     {@code NONE}, {@code NOASSERTION} or {@code ""}
   * @param maximumAge the oldest SBOM accepted, or null for any age
   * @throws IllegalArgumentException for an entry that is not a single license
   */
  public SbomVerifier(
      String name,
      Set<String> artifactTypes,
      Set<String> nestedReferences,
      List<String> disallowedLicenses,
      List<PackageRule> disallowedPackages,
      Duration maximumAge,
      Clock clock) {
    super(name, TYPE, artifactTypes, nestedReferences);
    Set<String> keys = new java.util.HashSet<>();
    boolean noLicense = false;
    for (String entry : disallowedLicenses) {
      if (entry.isBlank()) {
        noLicense = true;
        continue;
      }
      if (!(LicenseExpression.parse(entry) instanceof LicenseExpression.Term term)) {
        throw new IllegalArgumentException("\"" + entry
            + "\" is a compound expression; list single licenses (each one is disallowed wherever"
            + " it cannot be avoided)");
      }
      keys.add(term.key());
    }
    this.disallowedKeys = Set.copyOf(keys);
    this.noLicenseDisallowed = noLicense;
    this.disallowedPackages = List.copyOf(disallowedPackages);
    this.maximumAge = maximumAge;
    this.clock = clock;
  }

  @Override
  protected VerifierReport judge(Referrer reports, Deadline deadline)
      throws ReferrerFailure, DeadlineExceededException {
    List<Sbom> sboms = SbomReading.read(reports, deadline);
    Map<String, Object> extensions = new LinkedHashMap<>();
    Sbom first = sboms.get(0);
    extensions.put("sbomFormat", first.format().label);
    if (first.created() != null) {
      extensions.put("created", first.created().toString());
    }
    extensions.put("packageCount", (long) sboms.stream().mapToInt(s -> s.packages().size()).sum());

    if (maximumAge != null) {
      Instant now = clock.instant();
      for (Sbom sbom : sboms) {
        if (sbom.created() == null) {
          return reports.failure("SBOM validation failed: its age is unknown",
              "maximumAge is " + maximumAge + " and the SBOM does not say when it was created"
                  + " (creationInfo.created, metadata.timestamp or Created)",
              "Generate the SBOM with a tool that records its creation time.", extensions);
        }
        if (sbom.created().plus(maximumAge).isBefore(now)) {
          return reports.failure("SBOM validation failed: the SBOM is older than maximumAge",
              "created " + sbom.created() + ", more than " + maximumAge + " before " + now,
              "Generate and attach a fresh SBOM.", extensions);
        }
      }
    }

    List<SbomReading.Violation> licenseViolations = new ArrayList<>();
    List<SbomReading.Violation> packageViolations = new ArrayList<>();
    for (Sbom sbom : sboms) {
      for (Sbom.SbomPackage p : sbom.packages()) {
        String why = licenseViolation(p.license());
        if (why != null) {
          licenseViolations.add(new SbomReading.Violation(p, why));
        }
        for (PackageRule rule : disallowedPackages) {
          if (rule.matches(p)) {
            packageViolations.add(new SbomReading.Violation(p, "the package "
                + (rule.version() == null ? "" : "version ") + "is disallowed"));
            break;
          }
        }
      }
    }
    if (licenseViolations.isEmpty() && packageViolations.isEmpty()) {
      return reports.success(
          "SBOM verification success. No license or package violation found.", extensions);
    }
    extensions.put("licenseViolationCount", (long) licenseViolations.size());
    extensions.put("licenseViolations", SbomReading.listed(licenseViolations));
    extensions.put("packageViolationCount", (long) packageViolations.size());
    extensions.put("packageViolations", SbomReading.listed(packageViolations));
    List<SbomReading.Violation> all = new ArrayList<>(packageViolations);
    all.addAll(licenseViolations);
    return reports.failure(
        "SBOM validation failed: " + licenseViolations.size() + " license violation(s), "
            + packageViolations.size() + " package violation(s)",
        SbomReading.summary(all),
        "Remove or replace the packages listed in extensions, or change the verifier's"
            + " disallowedLicenses / disallowedPackages.",
        extensions);
  }

  /** Why a package's license is disallowed, or null when it is not. */
  private String licenseViolation(String license) {
    if (disallowedKeys.isEmpty() && !noLicenseDisallowed) {
      return null;
    }
    if (license.isBlank()) {
      return noLicenseDisallowed ? "the package states no license, and \"\" is disallowed" : null;
    }
    LicenseExpression expression = SbomReading.parseOrNull(license);
    if (expression == null) {
      return "\"" + license + "\" is not an SPDX license expression, so it cannot be checked";
    }
    if (expression.satisfiable(t -> !disallowed(t))) {
      return null;
    }
    return "\"" + license + "\" cannot be complied with without a disallowed license";
  }

  private boolean disallowed(LicenseExpression.Term term) {
    return disallowedKeys.contains(term.key()) || disallowedKeys.contains(term.keyWithoutException());
  }
}
