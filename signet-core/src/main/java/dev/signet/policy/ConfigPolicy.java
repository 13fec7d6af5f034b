package dev.signet.policy;

import dev.signet.result.VerifierReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ratify's config policy: per artifact type, {@code any} report or {@code all} reports must pass;
 * {@code default} covers unlisted types (and is {@code all} when absent). Every listed type must
 * have at least one report.
 */
public final class ConfigPolicy implements VerificationPolicy {
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
  @Override
  public boolean allows(List<VerifierReport> reports) {
    return decide(reports).allowed();
  }

  @Override
  public PolicyDecision decide(List<VerifierReport> reports) {
    if (reports.isEmpty()) {
      return PolicyDecision.deny("there is no report to judge");
    }
    for (Map.Entry<String, Rule> e : rules.entrySet()) {
      List<VerifierReport> ofType =
          reports.stream().filter(r -> r.artifactType().equals(e.getKey())).toList();
      if (!satisfied(e.getValue(), ofType)) {
        return PolicyDecision.deny(unsatisfied(e.getKey(), e.getValue(), ofType));
      }
    }
    Map<String, List<VerifierReport>> others = new LinkedHashMap<>();
    for (VerifierReport r : reports) {
      if (!rules.containsKey(r.artifactType())) {
        others.computeIfAbsent(r.artifactType(), k -> new java.util.ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<VerifierReport>> e : others.entrySet()) {
      if (!satisfied(defaultRule, e.getValue())) {
        return PolicyDecision.deny(unsatisfied(e.getKey(), defaultRule, e.getValue()));
      }
    }
    return PolicyDecision.allow();
  }

  private static String unsatisfied(String type, Rule rule, List<VerifierReport> reports) {
    if (reports.isEmpty()) {
      return "the policy requires artifacts of type " + type + " and there is none";
    }
    return rule == Rule.ANY
        ? "no artifact of type " + type + " passed verification (policy \"any\")"
        : "an artifact of type " + type + " failed verification (policy \"all\")";
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
