package dev.signet.verify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ratify's config policy: per artifact type, {@code any} report or {@code all} reports must pass;
 * {@code default} covers unlisted types (and is {@code all} when absent). Every listed type must
 * have at least one report.
 */
public final class ConfigPolicy {
  public enum Rule {
    ANY,
    ALL
  }

  static final String DEFAULT = "default";

  private final Map<String, Rule> rules;
  private final Rule defaultRule;

  public ConfigPolicy(Map<String, Rule> artifactVerificationPolicies) {
    Map<String, Rule> listed = new LinkedHashMap<>(artifactVerificationPolicies);
    Rule d = listed.remove(DEFAULT);
    this.defaultRule = d == null ? Rule.ALL : d;
    this.rules = Map.copyOf(listed);
  }

  /** Parses {@code any} / {@code all}, case-insensitively; null when neither. */
  public static Rule rule(String text) {
    return switch (text == null ? "" : text.toLowerCase(java.util.Locale.ROOT)) {
      case "any" -> Rule.ANY;
      case "all" -> Rule.ALL;
      default -> null;
    };
  }

  /** The decision over the reports of one subject. */
  public boolean allows(List<VerifierReport> reports) {
    if (reports.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, Rule> e : rules.entrySet()) {
      List<VerifierReport> ofType =
          reports.stream().filter(r -> r.artifactType().equals(e.getKey())).toList();
      if (!satisfied(e.getValue(), ofType)) {
        return false;
      }
    }
    Map<String, List<VerifierReport>> others = new LinkedHashMap<>();
    for (VerifierReport r : reports) {
      if (!rules.containsKey(r.artifactType())) {
        others.computeIfAbsent(r.artifactType(), k -> new java.util.ArrayList<>()).add(r);
      }
    }
    for (List<VerifierReport> ofType : others.values()) {
      if (!satisfied(defaultRule, ofType)) {
        return false;
      }
    }
    return true;
  }

  private static boolean satisfied(Rule rule, List<VerifierReport> reports) {
    if (reports.isEmpty()) {
      return false;
    }
    return switch (rule) {
      case ANY -> reports.stream().anyMatch(VerifierReport::isSuccess);
      case ALL -> reports.stream().allMatch(VerifierReport::isSuccess);
    };
  }
}
