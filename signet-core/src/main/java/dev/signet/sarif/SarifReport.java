package dev.signet.sarif;

// SARIF 2.1.0 (OASIS), sections 3.13 sarifLog (version, runs), 3.14 run (tool, results),
// 3.18-3.19 tool/toolComponent (driver.name, rules), 3.49 reportingDescriptor (id, help,
// properties), 3.27 result (ruleId, ruleIndex, rule, level). Severity as Trivy and Grype write it:
// "Severity: <level>" in rules[].help.text, and the CVSS score in properties["security-severity"].

import dev.signet.json.JsonFormatException;
import dev.signet.json.JsonFields;
import dev.signet.json.StrictJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The findings of a SARIF 2.1.0 report: every result of every run, with the severity its rule
 * states.
 *
 * @param scanner the first run's tool name, lower case (e.g. {@code trivy}, {@code grype})
 * @param findings every result, in document order
 */
public record SarifReport(String scanner, List<Finding> findings) {
  public static final int MAX_BYTES = 32 * 1024 * 1024;
  public static final int MAX_RUNS = 64;
  public static final int MAX_RULES = 100_000;
  public static final int MAX_RESULTS = 100_000;

  private static final Pattern SEVERITY = Pattern.compile("Severity:\\s*(\\w+)");

  public SarifReport {
    findings = List.copyOf(findings);
  }

  /**
   * One result.
   *
   * @param ruleId the rule (for vulnerability scanners the CVE or other advisory id; Grype
   *     appends the package name)
   * @param severity lower case ({@code critical}, {@code high}, ...), or null when the rule does
   *     not say
   */
  public record Finding(String ruleId, String severity) {}

  /**
   * Reads a SARIF 2.1.0 report.
   *
   * @throws SarifFormatException saying what is wrong
   */
  public static SarifReport parse(byte[] content) throws SarifFormatException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(content, MAX_BYTES, "the SARIF report");
    } catch (JsonFormatException e) {
      throw new SarifFormatException(e.getMessage(), e);
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isString() || !version.asString().equals("2.1.0")) {
      throw new SarifFormatException("the document is not SARIF 2.1.0: version must be \"2.1.0\"");
    }
    JsonNode runs = root.get("runs");
    if (runs == null || !runs.isArray()) {
      throw new SarifFormatException("runs must be an array");
    }
    if (runs.isEmpty()) {
      throw new SarifFormatException("the report has no runs");
    }
    if (runs.size() > MAX_RUNS) {
      throw new SarifFormatException("the report has " + runs.size() + " runs, more than " + MAX_RUNS);
    }
    String scanner = "";
    List<Finding> findings = new ArrayList<>();
    int rulesSeen = 0;
    for (int r = 0; r < runs.size(); r++) {
      String where = "runs[" + r + "]";
      JsonNode run = object(runs.get(r), where);
      JsonNode driver = object(object(run.get("tool"), where + ".tool").get("driver"), where + ".tool.driver");
      String name = string(driver, "name", where + ".tool.driver.name");
      if (name == null) {
        throw new SarifFormatException(where + ".tool.driver.name is required");
      }
      if (r == 0) {
        scanner = name.toLowerCase(Locale.ROOT);
      }
      JsonNode rules = array(driver, "rules", where + ".tool.driver.rules");
      rulesSeen += rules.size();
      if (rulesSeen > MAX_RULES) {
        throw new SarifFormatException("the report has more than " + MAX_RULES + " rules");
      }
      List<String> ruleSeverities = new ArrayList<>(rules.size());
      Map<String, Integer> byId = new HashMap<>();
      for (int i = 0; i < rules.size(); i++) {
        String at = where + ".tool.driver.rules[" + i + "]";
        JsonNode rule = object(rules.get(i), at);
        String id = string(rule, "id", at + ".id");
        if (id == null) {
          throw new SarifFormatException(at + ".id is required");
        }
        byId.putIfAbsent(id, i);
        ruleSeverities.add(severity(rule, at));
      }
      JsonNode results = array(run, "results", where + ".results");
      for (int i = 0; i < results.size(); i++) {
        if (findings.size() >= MAX_RESULTS) {
          throw new SarifFormatException("the report has more than " + MAX_RESULTS + " results");
        }
        String at = where + ".results[" + i + "]";
        JsonNode result = object(results.get(i), at);
        String ruleId = string(result, "ruleId", at + ".ruleId");
        JsonNode ruleRef = result.get("rule");
        if (ruleId == null && ruleRef != null && ruleRef.isObject()) {
          ruleId = string(ruleRef, "id", at + ".rule.id");
        }
        if (ruleId == null || ruleId.isBlank()) {
          throw new SarifFormatException(at + " names no rule (ruleId)");
        }
        Integer index = byId.get(ruleId);
        JsonNode ruleIndex = result.get("ruleIndex");
        if (index == null && ruleIndex != null && ruleIndex.isInt()
            && ruleIndex.asInt() >= 0 && ruleIndex.asInt() < ruleSeverities.size()) {
          index = ruleIndex.asInt();
        }
        findings.add(new Finding(ruleId, index == null ? null : ruleSeverities.get(index)));
      }
    }
    return new SarifReport(scanner, findings);
  }

  /**
   * The severity a rule states: {@code Severity: <level>} in its help text (Trivy, Grype), else
   * its CVSS score ({@code properties["security-severity"]}) in the CVSS v3 bands.
   */
  private static String severity(JsonNode rule, String where) throws SarifFormatException {
    JsonNode help = rule.get("help");
    if (help != null && help.isObject()) {
      String text = string(help, "text", where + ".help.text");
      if (text != null) {
        Matcher m = SEVERITY.matcher(text);
        if (m.find()) {
          return m.group(1).toLowerCase(Locale.ROOT);
        }
      }
    }
    JsonNode properties = rule.get("properties");
    JsonNode score = properties != null && properties.isObject() ? properties.get("security-severity") : null;
    if (score != null && (score.isString() || score.isNumber())) {
      double value;
      try {
        value = Double.parseDouble(score.asString().trim());
      } catch (NumberFormatException e) {
        throw new SarifFormatException(where + ".properties.security-severity \"" + score.asString()
            + "\" is not a number");
      }
      if (value >= 9.0) {
        return "critical";
      } else if (value >= 7.0) {
        return "high";
      } else if (value >= 4.0) {
        return "medium";
      } else if (value > 0) {
        return "low";
      }
      return "none";
    }
    return null;
  }

  private static JsonNode object(JsonNode node, String where) throws SarifFormatException {
    return JsonFields.object(node, where, SarifFormatException::new);
  }

  private static JsonNode array(JsonNode parent, String key, String where)
      throws SarifFormatException {
    return JsonFields.optionalArray(parent, key, where, SarifFormatException::new);
  }

  private static String string(JsonNode node, String key, String where)
      throws SarifFormatException {
    return JsonFields.optionalString(node, key, where, SarifFormatException::new);
  }
}
