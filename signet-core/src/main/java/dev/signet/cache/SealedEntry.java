package dev.signet.cache;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.result.ResultJson;
import dev.signet.result.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A decision as stored in the shared cache: {@code s1.<mac>.<payload>}, where the payload is JSON
 * (the key's fingerprint, repository and digest, the expiry, the result in Ratify's shape) and the
 * MAC is HMAC-SHA256 over the Redis key and the payload. The MAC is checked before the payload is
 * parsed; it binds the entry to its Redis key, so an entry copied to another key (another image,
 * another configuration) does not authenticate.
 */
final class SealedEntry {
  private static final String VERSION = "s1";
  private static final String DOMAIN = "signet decision cache v1\n";
  /** Decisions are a few KB; anything much larger is not ours. */
  static final int MAX_BYTES = 1 << 20;

  private SealedEntry() {}

  /** Why a stored value is not used. */
  enum Rejection {
    /** No MAC, a malformed one, or one no accepted key makes. */
    AUTHENTICATION,
    /** Authenticated but not a decision this version reads. */
    UNPARSABLE,
    /** Authenticated, but for another fingerprint, repository or digest. */
    OTHER_KEY,
    /** Authenticated, but past its expiry or claiming to live longer than the policy allows. */
    EXPIRY
  }

  /** A stored decision that authenticated and belongs to the key. */
  record Opened(VerificationResult result, Instant expiresAt) {}

  /** What {@link #open} found: the decision, or why there is none. */
  record Outcome(Opened opened, Rejection rejection) {}

  static String seal(
      HmacKeys keys, String redisKey, ResultKey key, VerificationResult result, Instant expiresAt) {
    ObjectNode payload = StrictJson.MAPPER.createObjectNode();
    payload.put("fingerprint", key.fingerprint());
    payload.put("repository", key.repository());
    payload.put("digest", key.digest().toString());
    payload.put("subject", result.subject());
    payload.put("expiresAt", expiresAt.toEpochMilli());
    payload.set("result", ResultJson.of(result));
    String text = StrictJson.MAPPER.writeValueAsString(payload);
    return VERSION + "." + base64(mac(keys.current(), redisKey, text)) + "." + text;
  }

  /**
   * The decision in {@code stored}, if it authenticates under an accepted key, parses, names {@code
   * key} and has not expired by {@code now}.
   *
   * @param longestTtl the longest life the cache policy gives an entry (longer claims are forged)
   */
  static Outcome open(
      HmacKeys keys,
      String redisKey,
      ResultKey key,
      String stored,
      Instant now,
      java.time.Duration longestTtl) {
    if (stored.length() > MAX_BYTES) {
      return rejected(Rejection.AUTHENTICATION);
    }
    int first = stored.indexOf('.');
    int second = first < 0 ? -1 : stored.indexOf('.', first + 1);
    if (second < 0 || !stored.substring(0, first).equals(VERSION)) {
      return rejected(Rejection.AUTHENTICATION);
    }
    byte[] claimed;
    try {
      claimed = Base64.getUrlDecoder().decode(stored.substring(first + 1, second));
    } catch (IllegalArgumentException e) {
      return rejected(Rejection.AUTHENTICATION);
    }
    String payload = stored.substring(second + 1);
    boolean authentic = false;
    for (byte[] k : keys.accepted()) {
      // Every key is tried, so the time taken does not tell which one matched.
      authentic |= MessageDigest.isEqual(claimed, mac(k, redisKey, payload));
    }
    if (!authentic) {
      return rejected(Rejection.AUTHENTICATION);
    }
    JsonNode root;
    VerificationResult result;
    try {
      root =
          StrictJson.parseObject(
              payload.getBytes(StandardCharsets.UTF_8), MAX_BYTES, "cached decision");
      if (!key.fingerprint().equals(root.path("fingerprint").asString(""))
          || !key.repository().equals(root.path("repository").asString(""))
          || !key.digest().toString().equals(root.path("digest").asString(""))) {
        return rejected(Rejection.OTHER_KEY);
      }
      if (!root.path("expiresAt").isIntegralNumber() || !root.path("subject").isString()) {
        return rejected(Rejection.UNPARSABLE);
      }
      result = ResultJson.parse(root.get("subject").asString(), root.path("result"));
    } catch (JsonFormatException | RuntimeException e) {
      return rejected(Rejection.UNPARSABLE);
    }
    Instant expiresAt = Instant.ofEpochMilli(root.get("expiresAt").asLong());
    if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(longestTtl).plus(CLOCK_SKEW))) {
      return rejected(Rejection.EXPIRY);
    }
    return new Outcome(new Opened(result, expiresAt), null);
  }

  /** How far replicas' clocks may disagree. */
  static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofSeconds(2);

  private static Outcome rejected(Rejection why) {
    return new Outcome(null, why);
  }

  private static byte[] mac(byte[] key, String redisKey, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(DOMAIN.getBytes(StandardCharsets.UTF_8));
      mac.update(redisKey.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '\n');
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String base64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
