package dev.signet.verify;

/** The steps of a verification a deadline can interrupt, with their stable names ({@code extensions.step}). */
public enum Step {
  RESOLVE("resolve", "resolving the subject"),
  LIST_REFERRERS("list referrers", "listing the referrers"),
  FETCH("fetch", "fetching a referrer's manifest or blob"),
  VERIFY("verify", "verifying a referrer");

  /** The name reports give the step. */
  public final String key;
  /** What the step does, as a report phrases it. */
  public final String doing;

  Step(String key, String doing) {
    this.key = key;
    this.doing = doing;
  }
}
