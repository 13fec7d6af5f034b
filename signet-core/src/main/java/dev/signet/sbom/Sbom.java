package dev.signet.sbom;

// SPDX 2.3 (JSON: spdxVersion, creationInfo.created, packages[].name/versionInfo/licenseConcluded/
// licenseDeclared; tag-value: PackageName, PackageVersion, PackageLicenseConcluded,
// PackageLicenseDeclared, Created) and CycloneDX 1.x JSON (bomFormat, metadata.timestamp,
// metadata.component, components[] with nested components, licenses[].license.id|name and
// licenses[].expression).

import dev.signet.json.JsonFormatException;
import dev.signet.json.JsonFields;
import dev.signet.json.StrictJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The packages of an SBOM with the license each one is under, and when the document was made.
 *
 * @param format what the document is
 * @param created the document's creation time, or null when it does not say
 * @param packages every package, in document order
 */
public record Sbom(Format format, Instant created, List<SbomPackage> packages) {
  /** Larger documents are refused unread. */
  public static final int MAX_BYTES = 32 * 1024 * 1024;
  /** More packages than this are refused. */
  public static final int MAX_PACKAGES = 100_000;
  /** CycloneDX components nest; deeper than this is refused. */
  public static final int MAX_COMPONENT_DEPTH = 16;

  public static final String SPDX_JSON = "application/spdx+json";
  public static final String SPDX_TAG_VALUE = "text/spdx";
  public static final String CYCLONEDX_JSON = "application/vnd.cyclonedx+json";

  public enum Format {
    SPDX_JSON("spdx-json"),
    SPDX_TAG_VALUE("spdx-tag-value"),
    CYCLONEDX_JSON("cyclonedx-json");

    public final String label;

    Format(String label) {
      this.label = label;
    }
  }

  public Sbom {
    packages = List.copyOf(packages);
  }

  /**
   * One package.
   *
   * @param license the SPDX license expression it is under as the document states it; {@code ""}
   *     when the document gives none
   */
  public record SbomPackage(String name, String version, String license) {}

  /**
   * Reads an SBOM. The media type decides the format ({@code application/spdx+json}, {@code
   * application/vnd.cyclonedx+json}, {@code text/spdx}); for the generic {@code application/json}
   * and {@code application/octet-stream} the content does. Content that is not the declared format
   * is refused.
   *
   * @throws SbomFormatException saying what is wrong
   */
  public static Sbom parse(byte[] content, String mediaType) throws SbomFormatException {
    String type = mediaType == null ? "" : mediaType;
    int semicolon = type.indexOf(';');
    if (semicolon >= 0) {
      type = type.substring(0, semicolon).trim();
    }
    if (content.length > MAX_BYTES) {
      throw new SbomFormatException("the SBOM is " + content.length
          + " bytes, larger than the limit of " + MAX_BYTES + " bytes");
    }
    return switch (type) {
      case SPDX_JSON -> spdxJson(json(content));
      case CYCLONEDX_JSON -> cycloneDx(json(content));
      case SPDX_TAG_VALUE -> spdxTagValue(text(content));
      case "application/json", "application/octet-stream" -> sniff(content);
      default -> throw new SbomFormatException("media type \"" + mediaType
          + "\" is not an SBOM format this verifier reads (" + SPDX_JSON + ", " + CYCLONEDX_JSON
          + ", " + SPDX_TAG_VALUE + ")");
    };
  }

  private static Sbom sniff(byte[] content) throws SbomFormatException {
    int i = 0;
    while (i < content.length && Character.isWhitespace(content[i])) {
      i++;
    }
    if (i < content.length && content[i] == '{') {
      JsonNode root = json(content);
      return root.has("bomFormat") ? cycloneDx(root) : spdxJson(root);
    }
    return spdxTagValue(text(content));
  }

  private static JsonNode json(byte[] content) throws SbomFormatException {
    try {
      return StrictJson.parseObject(content, MAX_BYTES, "the SBOM");
    } catch (JsonFormatException e) {
      throw new SbomFormatException(e.getMessage(), e);
    }
  }

  private static String text(byte[] content) throws SbomFormatException {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw new SbomFormatException("the SBOM is not UTF-8 text", e);
    }
  }

  // ------------------------------------------------------------------ SPDX JSON

  private static Sbom spdxJson(JsonNode root) throws SbomFormatException {
    String version = optionalString(root, "spdxVersion", "spdxVersion");
    if (version == null || !version.startsWith("SPDX-")) {
      throw new SbomFormatException(
          "the document is not SPDX JSON: spdxVersion \"SPDX-2.x\" is missing");
    }
    Instant created = null;
    JsonNode info = root.get("creationInfo");
    if (info != null && !info.isNull()) {
      if (!info.isObject()) {
        throw new SbomFormatException("creationInfo must be an object");
      }
      created = instant(optionalString(info, "created", "creationInfo.created"), "creationInfo.created");
    }
    List<SbomPackage> packages = new ArrayList<>();
    JsonNode list = array(root, "packages", "packages");
    for (int i = 0; i < list.size(); i++) {
      String where = "packages[" + i + "]";
      JsonNode p = list.get(i);
      JsonFields.object(p, where, SbomFormatException::new);
      add(packages, new SbomPackage(
          orEmpty(optionalString(p, "name", where + ".name")),
          orEmpty(optionalString(p, "versionInfo", where + ".versionInfo")),
          spdxLicense(
              optionalString(p, "licenseConcluded", where + ".licenseConcluded"),
              optionalString(p, "licenseDeclared", where + ".licenseDeclared"))));
    }
    return new Sbom(Format.SPDX_JSON, created, packages);
  }

  /**
   * The license a package is under: the concluded license, unless the document concludes nothing
   * ({@code NOASSERTION} or absent), then the declared one.
   */
  static String spdxLicense(String concluded, String declared) {
    String c = concluded == null ? "" : concluded.trim();
    if (!c.isEmpty() && !c.equals("NOASSERTION")) {
      return c;
    }
    String d = declared == null ? "" : declared.trim();
    return d.isEmpty() ? c : d;
  }

  // ------------------------------------------------------------------ SPDX tag-value

  private static Sbom spdxTagValue(String text) throws SbomFormatException {
    List<SbomPackage> packages = new ArrayList<>();
    Instant created = null;
    boolean sawVersion = false;
    String name = null;
    String version = "";
    String concluded = null;
    String declared = null;
    String[] lines = text.split("\r?\n", -1);
    boolean inText = false;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (inText) {
        inText = !line.contains("</text>");
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new SbomFormatException("the SPDX tag-value document has no tag on line " + (n + 1));
      }
      String tag = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (value.startsWith("<text>")) {
        inText = !value.contains("</text>");
        continue;
      }
      switch (tag) {
        case "SPDXVersion" -> sawVersion = true;
        case "Created" -> created = instant(value, "Created (line " + (n + 1) + ")");
        case "PackageName" -> {
          if (name != null) {
            add(packages, new SbomPackage(name, version, spdxLicense(concluded, declared)));
          }
          name = value;
          version = "";
          concluded = null;
          declared = null;
        }
        case "PackageVersion" -> version = value;
        case "PackageLicenseConcluded" -> concluded = value;
        case "PackageLicenseDeclared" -> declared = value;
        case "FileName", "SnippetSPDXID", "LicenseID" -> {
          if (name != null) {
            add(packages, new SbomPackage(name, version, spdxLicense(concluded, declared)));
            name = null;
          }
        }
        default -> {
          // Other tags say nothing about package licenses.
        }
      }
    }
    if (!sawVersion) {
      throw new SbomFormatException("the document is not SPDX: the SPDXVersion tag is missing");
    }
    if (name != null) {
      add(packages, new SbomPackage(name, version, spdxLicense(concluded, declared)));
    }
    return new Sbom(Format.SPDX_TAG_VALUE, created, packages);
  }

  // ------------------------------------------------------------------ CycloneDX JSON

  private static Sbom cycloneDx(JsonNode root) throws SbomFormatException {
    if (!"CycloneDX".equals(optionalString(root, "bomFormat", "bomFormat"))) {
      throw new SbomFormatException("the document is not CycloneDX JSON: bomFormat \"CycloneDX\" is missing");
    }
    Instant created = null;
    List<SbomPackage> packages = new ArrayList<>();
    JsonNode metadata = root.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        throw new SbomFormatException("metadata must be an object");
      }
      created = instant(optionalString(metadata, "timestamp", "metadata.timestamp"), "metadata.timestamp");
      JsonNode component = metadata.get("component");
      if (component != null && !component.isNull()) {
        component(packages, component, "metadata.component", 0);
      }
    }
    components(packages, root, "", 0);
    return new Sbom(Format.CYCLONEDX_JSON, created, packages);
  }

  private static void components(List<SbomPackage> out, JsonNode parent, String where, int depth)
      throws SbomFormatException {
    JsonNode list = array(parent, "components", where + "components");
    for (int i = 0; i < list.size(); i++) {
      component(out, list.get(i), where + "components[" + i + "]", depth);
    }
  }

  private static void component(List<SbomPackage> out, JsonNode c, String where, int depth)
      throws SbomFormatException {
    if (depth >= MAX_COMPONENT_DEPTH) {
      throw new SbomFormatException(where + ": components nest deeper than " + MAX_COMPONENT_DEPTH);
    }
    JsonFields.object(c, where, SbomFormatException::new);
    add(out, new SbomPackage(
        orEmpty(optionalString(c, "name", where + ".name")),
        orEmpty(optionalString(c, "version", where + ".version")),
        cycloneDxLicense(c, where)));
    components(out, c, where + ".", depth + 1);
  }

  /**
   * A component's licenses as one SPDX expression: every entry applies, so several entries are
   * joined with AND. A license given by name rather than SPDX id is kept as written.
   */
  private static String cycloneDxLicense(JsonNode c, String where) throws SbomFormatException {
    JsonNode list = array(c, "licenses", where + ".licenses");
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = where + ".licenses[" + i + "]";
      JsonNode entry = list.get(i);
      JsonFields.object(entry, at, SbomFormatException::new);
      String expression = optionalString(entry, "expression", at + ".expression");
      JsonNode license = entry.get("license");
      if (expression != null) {
        parts.add(expression.trim());
      } else if (license != null && license.isObject()) {
        String id = optionalString(license, "id", at + ".license.id");
        String name = optionalString(license, "name", at + ".license.name");
        String text = id != null ? id : name;
        if (text == null) {
          throw new SbomFormatException(at + ".license has neither id nor name");
        }
        parts.add(text.trim());
      } else {
        throw new SbomFormatException(at + " has neither expression nor license");
      }
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<String> grouped = parts.stream().map(p -> "(" + p + ")").toList();
    return String.join(" AND ", grouped);
  }

  // ------------------------------------------------------------------ helpers

  private static void add(List<SbomPackage> packages, SbomPackage p) throws SbomFormatException {
    if (packages.size() >= MAX_PACKAGES) {
      throw new SbomFormatException("the SBOM lists more than " + MAX_PACKAGES + " packages");
    }
    packages.add(p);
  }

  private static JsonNode array(JsonNode parent, String key, String where)
      throws SbomFormatException {
    return JsonFields.optionalArray(parent, key, where, SbomFormatException::new);
  }

  private static String optionalString(JsonNode node, String key, String where)
      throws SbomFormatException {
    return JsonFields.optionalString(node, key, where, SbomFormatException::new);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Instant instant(String text, String where) throws SbomFormatException {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw new SbomFormatException(where + " \"" + text + "\" is not an RFC 3339 time", e);
    }
  }
}
