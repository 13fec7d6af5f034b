package dev.signet.result;

/**
 * What a failure says about retrying, recorded where the failure is built. Every kind fails closed;
 * they differ in what a retry can change, and so in whether a cache may keep the decision.
 */
public enum FailureKind {
  /** The subject or its referrers were judged and found wanting: a retry gives the same answer. */
  DENIED,
  /** A store or the time budget failed this attempt: a retry may succeed. */
  TRANSIENT,
  /** The request or the configuration cannot work as given: fix it, then retry. */
  CONFIGURATION,
  /** Something that should not happen happened: report it. */
  BUG;

  /** The name reports give the kind ({@code failureKind}). */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
