package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.artifact.AgeLimit;
import dev.signet.oci.MediaTypes;
import dev.signet.sbom.LicenseCheckerVerifier;
import dev.signet.sarif.VulnerabilityReportVerifier;
import dev.signet.schema.JsonSchema;
import dev.signet.schema.SchemaSource;
import dev.signet.schema.SchemaValidatorVerifier;
import dev.signet.sbom.SbomVerifier;
import dev.signet.verify.ReferenceVerifier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The verifier plugins that judge what is attached beside a signature ({@code sbom}, {@code
 * licensechecker}, {@code vulnerabilityreport}, {@code schemavalidator}), read from their {@code config.json} sections with Ratify's parameter names.
 */
final class ArtifactVerifiers {
  /** The verifier types this class builds. */
  static final Set<String> TYPES =
      Set.of(SbomVerifier.TYPE, LicenseCheckerVerifier.TYPE, VulnerabilityReportVerifier.TYPE,
          SchemaValidatorVerifier.TYPE);

  /** Ratify's versions of these plugins; another version is refused, as Ratify does. */
  private static final Set<String> VERSIONS = Set.of("1.0.0", "2.0.0-alpha.1");

  private static final Set<String> COMMON =
      Set.of("name", "type", "version", "artifactTypes", "nestedReferences",
          "notaryProjectSignatureRequired", "source");

  private ArtifactVerifiers() {}

  /**
   * @param referenced collects the schema files the verifier reads (a change calls for a reload)
   */
  static ReferenceVerifier verifier(
      ConfigNode plugin, String name, String type, Path baseDir, Clock clock, List<Path> referenced)
      throws ConfigException {
    String version = plugin.string("version");
    if (version != null && !VERSIONS.contains(version)) {
      throw new ConfigException(plugin.at("version") + " \"" + version + "\" is not a version of the "
          + type + " verifier; use one of " + VERSIONS + " or leave it out");
    }
    Set<String> types = ConfigSections.commaList(plugin.requiredString("artifactTypes"));
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
      case SchemaValidatorVerifier.TYPE -> {
        allowOnly(plugin, "schemas", "allowRemoteSchemas");
        yield new SchemaValidatorVerifier(name, types, nested,
            schemas(plugin, Boolean.TRUE.equals(plugin.bool("allowRemoteSchemas")), baseDir, referenced));
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

  /**
   * {@code schemas}: media type to schema location, a file ({@code file:///...} or a path, relative
   * to the configuration) read now, or an http(s) URL, only with {@code allowRemoteSchemas}.
   */
  private static Map<String, SchemaSource> schemas(
      ConfigNode plugin, boolean allowRemote, Path baseDir, List<Path> referenced) throws ConfigException {
    ConfigNode node = plugin.object("schemas");
    if (node == null || node.json().isEmpty()) {
      throw new ConfigException(plugin.at("schemas")
          + " is required: map each media type to validate to its JSON schema");
    }
    Map<String, SchemaSource> out = new LinkedHashMap<>();
    for (String mediaType : node.json().propertyNames()) {
      String location = node.requiredString(mediaType);
      String key = node.at(mediaType);
      String scheme = location.contains(":") ? location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT) : "";
      if (scheme.equals("http") || scheme.equals("https")) {
        if (!allowRemote) {
          throw new ConfigException(key + " \"" + location + "\" is a URL and remote schemas are off:"
              + " download the schema and give its file path, or set allowRemoteSchemas to true"
              + " (it is then fetched within the verification deadline the first time it is needed)");
        }
        out.put(mediaType, new SchemaSource.Remote(URI.create(location)));
        continue;
      }
      Path file;
      try {
        file = scheme.equals("file") ? Path.of(URI.create(location)) : baseDir.resolve(location).normalize();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": \"" + location + "\" is not a file path or file URL", e);
      }
      referenced.add(file);
      try {
        if (Files.size(file) > JsonSchema.MAX_SCHEMA_BYTES) {
          throw new ConfigException(key + ": " + file + " is larger than "
              + JsonSchema.MAX_SCHEMA_BYTES + " bytes");
        }
        out.put(mediaType, new SchemaSource.Loaded(JsonSchema.compile(Files.readAllBytes(file), file.toString())));
      } catch (IOException e) {
        throw new ConfigException(key + ": cannot read the schema " + file + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage(), e);
      }
    }
    return out;
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
  static Set<String> nestedReferences(ConfigNode plugin) throws ConfigException {
    Set<String> nested = new LinkedHashSet<>();
    String listed = plugin.string("nestedReferences");
    if (listed != null) {
      nested.addAll(ConfigSections.commaList(listed));
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
