package dev.signet.cache;

import dev.signet.reference.Digest;
import dev.signet.result.VerificationResult;
import dev.signet.result.VerifierReport;
import java.time.Instant;
import java.util.List;

/**
 * Entries an attacker with write access to Redis could store, for tests of other packages: the
 * Redis key of a decision, and entries sealed with a key of the attacker's choosing for a key of
 * their choosing.
 */
public final class ForgedEntries {
  private ForgedEntries() {}

  /** The Redis key under which replicas with {@code fingerprint} look up the decision. */
  public static String redisKey(String fingerprint, String repository, Digest digest) {
    return "signet:v1:decision:" + fingerprint + ":" + repository + "@" + digest;
  }

  /** The fingerprint in a Redis key made by {@link #redisKey}. */
  public static String fingerprintOf(String redisKey) {
    String rest = redisKey.substring("signet:v1:decision:".length());
    return rest.substring(0, rest.indexOf(':', rest.indexOf(':') + 1));
  }

  /**
   * An allow for {@code claimed}, sealed with {@code hmacKey} as if it belonged at {@code at}
   * (Redis key), valid for a few seconds.
   */
  public static String allow(byte[] hmacKey, String at, ResultKey claimed, String subject) {
    VerificationResult allow =
        new VerificationResult(
            subject,
            true,
            List.of(
                VerifierReport.about(subject)
                    .verifier("notation", "notation")
                    .passed("forged")
                    .build()));
    return SealedEntry.seal(
        HmacKeys.of(hmacKey, List.of()), at, claimed, allow, Instant.now().plusSeconds(5));
  }
}
