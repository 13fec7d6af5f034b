package dev.signet.config;

import dev.signet.artifact.AgeLimit;
import dev.signet.oci.MediaTypes;
import dev.signet.sbom.LicenseCheckerVerifier;
import dev.signet.sarif.VulnerabilityReportVerifier;
import dev.signet.sbom.SbomVerifier;
import dev.signet.verify.ReferenceVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The verifier plugins that judge what is attached beside a signature ({@code sbom}, {@code
 * licensechecker}, {@code vulnerabilityreport}), read from their {@code config.json} sections with Ratify's parameter names.
 */
final class ArtifactVerifiers {
  /** The verifier types this class builds. */
  static final Set<String> TYPES =
      Set.of(SbomVerifier.TYPE, LicenseCheckerVerifier.TYPE, VulnerabilityReportVerifier.TYPE);

  /** Ratify's versions of these plugins; another version is refused, as Ratify does. */
  private static final Set<String> VERSIONS = Set.of("1.0.0", "2.0.0-alpha.1");

  private static final Set<String> COMMON =
      Set.of("name", "type", "version", "artifactTypes", "nestedReferences",
          "notaryProjectSignatureRequired", "source");

  private ArtifactVerifiers() {}

  static ReferenceVerifier verifier(ConfigNode plugin, String name, String type, Clock clock)
      throws ConfigException {
    String version = plugin.string("version");
    if (version != null && !VERSIONS.contains(version)) {
      throw new ConfigException(plugin.at("version") + " \"" + version + "\" is not a version of the "
          + type + " verifier; use one of " + VERSIONS + " or leave it out");
    }
    Set<String> types = VerificationConfig.commaList(plugin.requiredString("artifactTypes"));
    Set<String> nested = nestedReferences(plugin);
    return switch (type) {
      case SbomVerifier.TYPE -> sbom(plugin, name, types, nested, clock);
      case LicenseCheckerVerifier.TYPE -> {
        allowOnly(plugin, "allowedLicenses");
        if (!plugin.has("allowedLicenses")) {
          throw new ConfigException(plugin.at("allowedLicenses")
              + " is required: list the licenses every package must be under");
        }
        yield new LicenseCheckerVerifier(name, types, nested, plugin.strings("allowedLicenses"));
      }
      case VulnerabilityReportVerifier.TYPE -> {
        allowOnly(plugin, "maximumAge", "disallowedSeverities", "denylistCVEs", "passthrough",
            "createdAnnotationName");
        yield new VulnerabilityReportVerifier(name, types, nested,
            new VulnerabilityReportVerifier.Settings(
                plugin.string("createdAnnotationName"),
                maximumAge(plugin),
                plugin.strings("disallowedSeverities"),
                plugin.strings("denylistCVEs"),
                Boolean.TRUE.equals(plugin.bool("passthrough"))),
            clock);
      }
      default -> throw new IllegalArgumentException(type);
    };
  }

  private static ReferenceVerifier sbom(
      ConfigNode plugin, String name, Set<String> types, Set<String> nested, Clock clock)
      throws ConfigException {
    allowOnly(plugin, "disallowedLicenses", "disallowedPackages", "maximumAge");
    List<SbomVerifier.PackageRule> packages = new ArrayList<>();
    for (ConfigNode p : plugin.objects("disallowedPackages")) {
      p.allowOnly(Set.of("name", "version"));
      String version = p.string("version");
      packages.add(new SbomVerifier.PackageRule(
          p.requiredString("name"), version == null || version.isEmpty() ? null : version));
    }
    try {
      return new SbomVerifier(name, types, nested, plugin.strings("disallowedLicenses"), packages,
          maximumAge(plugin), clock);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(plugin.at("disallowedLicenses") + ": " + e.getMessage(), e);
    }
  }

  static Duration maximumAge(ConfigNode plugin) throws ConfigException {
    String text = plugin.string("maximumAge");
    if (text == null) {
      return null;
    }
    try {
      return AgeLimit.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(plugin.at("maximumAge") + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code nestedReferences}, plus the Notary Project signature type when {@code
   * notaryProjectSignatureRequired} is true: the executor then verifies the artifact's own
   * referrers, and an artifact without a passing signature fails.
   */
  private static Set<String> nestedReferences(ConfigNode plugin) throws ConfigException {
    Set<String> nested = new LinkedHashSet<>();
    String listed = plugin.string("nestedReferences");
    if (listed != null) {
      nested.addAll(VerificationConfig.commaList(listed));
    }
    if (Boolean.TRUE.equals(plugin.bool("notaryProjectSignatureRequired"))) {
      nested.add(MediaTypes.NOTARY_SIGNATURE);
    }
    return nested;
  }

  static void allowOnly(ConfigNode plugin, String... parameters) throws ConfigException {
    Set<String> known = new LinkedHashSet<>(COMMON);
    known.addAll(List.of(parameters));
    plugin.allowOnly(known);
  }
}
