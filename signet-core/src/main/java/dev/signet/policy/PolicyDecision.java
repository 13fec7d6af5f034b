package dev.signet.policy;

import java.util.Objects;

/**
 * What a policy decided and why.
 *
 * @param verdict {@link Verdict#ALLOW}, a plain {@link Verdict#DENY}, or {@link Verdict#ERROR} when
 *     the policy could not reach a decision (which denies too: fail closed)
 * @param reason why, in words for a user; empty for an allow
 */
public record PolicyDecision(Verdict verdict, String reason) {
  public enum Verdict {
    ALLOW,
    DENY,
    ERROR
  }

  private static final PolicyDecision ALLOWED = new PolicyDecision(Verdict.ALLOW, "");

  public PolicyDecision {
    Objects.requireNonNull(verdict, "verdict");
    reason = reason == null ? "" : reason;
  }

  public static PolicyDecision allow() {
    return ALLOWED;
  }

  public static PolicyDecision deny(String reason) {
    return new PolicyDecision(Verdict.DENY, reason);
  }

  public static PolicyDecision error(String reason) {
    return new PolicyDecision(Verdict.ERROR, reason);
  }

  public boolean allowed() {
    return verdict == Verdict.ALLOW;
  }
}
