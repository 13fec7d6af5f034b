package dev.signet.engine;

import dev.signet.config.ConfigException;
import dev.signet.config.ConfigNode;
import dev.signet.policy.CelPolicy;
import dev.signet.policy.ConfigPolicy;
import dev.signet.policy.PolicyException;
import dev.signet.policy.VerificationPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code policy} section: Ratify's {@code configPolicy} (a rule per artifact type) or a
 * {@code celPolicy} given inline or in a file.
 */
final class PolicyProviders {
  private PolicyProviders() {}

  static VerificationPolicy read(ConfigNode section, Path baseDir, List<Path> referenced)
      throws ConfigException {
    if (section == null) {
      throw new ConfigException(
          "policy is required: add {\"policy\": {\"plugin\": {\"name\": \"configPolicy\", ...}}}");
    }
    section.allowOnly(Set.of("version", "plugin"));
    ConfigNode plugin = section.object("plugin");
    if (plugin == null) {
      throw new ConfigException("policy.plugin is required");
    }
    // Ratify lower-cases provider names and drops dashes: config-policy, configPolicy, configpolicy.
    String name = plugin.requiredString("name").toLowerCase(Locale.ROOT).replace("-", "");
    if (name.equals("celpolicy")) {
      return celPolicy(plugin, baseDir, referenced);
    }
    if (!name.equals("configpolicy")) {
      throw new ConfigException(
          plugin.at("name")
              + " \""
              + plugin.string("name")
              + "\" is not a supported policy provider; use \"configPolicy\" or \"celPolicy\""
              + " (Rego policies are not supported; docs/policies.md shows how to write one in CEL)");
    }
    plugin.allowOnly(Set.of("name", "artifactVerificationPolicies"));
    Map<String, ConfigPolicy.Rule> rules = new LinkedHashMap<>();
    ConfigNode policies = plugin.object("artifactVerificationPolicies");
    if (policies != null) {
      for (String type : policies.json().propertyNames()) {
        String value = policies.string(type);
        ConfigPolicy.Rule rule = ConfigPolicy.rule(value);
        if (rule == null) {
          throw new ConfigException(
              policies.at(type) + " must be \"any\" or \"all\", found \"" + value + "\"");
        }
        rules.put(type, rule);
      }
    }
    return new ConfigPolicy(rules);
  }

  /** {@code {"name": "celPolicy", "expression": "<CEL>"}} or {@code "expressionFile": PATH}. */
  private static CelPolicy celPolicy(ConfigNode plugin, Path baseDir, List<Path> referenced)
      throws ConfigException {
    plugin.allowOnly(Set.of("name", "expression", "expressionFile"));
    String inline = plugin.string("expression");
    String fileName = plugin.string("expressionFile");
    if ((inline == null) == (fileName == null)) {
      throw new ConfigException(
          plugin.path() + ": give the CEL policy as either expression or expressionFile");
    }
    String key = inline != null ? plugin.at("expression") : plugin.at("expressionFile");
    String expression = inline;
    if (fileName != null) {
      Path file = ConfigSections.path(baseDir, fileName);
      referenced.add(file);
      expression = policyFile(key, file);
    }
    try {
      return CelPolicy.compile(expression);
    } catch (PolicyException e) {
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
  }

  private static String policyFile(String key, Path file) throws ConfigException {
    try {
      if (Files.size(file) > CelPolicy.MAX_EXPRESSION_CHARS * 4L) {
        throw new ConfigException(
            key + ": " + file + " is larger than a CEL policy may be ("
                + CelPolicy.MAX_EXPRESSION_CHARS + " characters)");
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(key + ": " + file + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException(key + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
