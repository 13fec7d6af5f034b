package dev.signet.notation.timestamp;

// RFC 3161 §2.4.2 (TSTInfo), RFC 3628 §7.4.2 (baseline policy accuracy); checklist §9 "TSTInfo".

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.tsp.Accuracy;
import org.bouncycastle.asn1.tsp.TSTInfo;

/** The fields of a TSTInfo that verification relies on. */
record TokenInfo(
    Instant genTime, Duration accuracy, String imprintAlgorithm, byte[] imprint, String policy) {

  /** RFC 3628 baseline time-stamp policy: an accuracy of at least one second is implied. */
  static final String BASELINE_POLICY = "0.4.0.2023.1.1";

  /** The SHA-2 digests allowed for imprints, message digests and ESS certificate hashes. */
  static final Map<ASN1ObjectIdentifier, String> SHA2 =
      Map.of(
          NISTObjectIdentifiers.id_sha256, "SHA-256",
          NISTObjectIdentifiers.id_sha384, "SHA-384",
          NISTObjectIdentifiers.id_sha512, "SHA-512");

  // GeneralizedTime as RFC 3161 allows it (UTC, optional fraction); Go also tolerates an offset.
  private static final Pattern GENERALIZED_TIME =
      Pattern.compile("(\\d{14})(?:\\.(\\d{1,9}))?(Z|[+-]\\d{4})");

  private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

  /** Accuracy beyond a day is no timestamp worth the name; larger values are rejected. */
  private static final BigInteger MAX_ACCURACY_SECONDS = BigInteger.valueOf(86_400);

  static TokenInfo parse(byte[] encoded) throws TokenException {
    TSTInfo info;
    try {
      info = TSTInfo.getInstance(ASN1Primitive.fromByteArray(encoded));
      // Force lazy parts to decode now, inside the catch.
      info.getMessageImprint().getHashAlgorithm();
      info.getGenTime();
    } catch (Exception e) {
      throw new TokenException(
          "cannot unmarshal TSTInfo from timestamp token: " + e.getMessage(), e);
    }
    BigInteger version = info.getVersion().getValue();
    if (!BigInteger.ONE.equals(version)) {
      throw new TokenException(
          "invalid TSTInfo: timestamp token info version must be 1, but got " + version);
    }
    ASN1ObjectIdentifier hashOid = info.getMessageImprint().getHashAlgorithm().getAlgorithm();
    String hash = SHA2.get(hashOid);
    if (hash == null) {
      throw new TokenException("invalid TSTInfo: unrecognized hash algorithm: " + hashOid.getId());
    }
    byte[] imprint = info.getMessageImprint().getHashedMessage();
    if (imprint.length != digestLength(hash)) {
      throw new TokenException("invalid TSTInfo: message imprint length does not match " + hash);
    }
    Instant genTime = genTime(info.getGenTime().getTimeString());
    String policy = info.getPolicy().getId();
    Duration accuracy = accuracy(info.getAccuracy(), policy);
    return new TokenInfo(genTime, accuracy, hash, imprint, policy);
  }

  /** Whether the imprint is the hash of {@code message} (constant-time comparison). */
  boolean imprintMatches(byte[] message) {
    return MessageDigest.isEqual(imprint, digest(imprintAlgorithm, message));
  }

  static Instant genTime(String text) throws TokenException {
    Matcher m = GENERALIZED_TIME.matcher(text);
    if (!m.matches()) {
      throw new TokenException("invalid TSTInfo: malformed genTime: " + text);
    }
    try {
      LocalDateTime local = LocalDateTime.parse(m.group(1), BASIC);
      String fraction = m.group(2) == null ? "" : m.group(2);
      int nanos =
          fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
      ZoneOffset offset =
          m.group(3).equals("Z")
              ? ZoneOffset.UTC
              : ZoneOffset.of(m.group(3).substring(0, 3) + ":" + m.group(3).substring(3));
      return local.withNano(nanos).toInstant(offset);
    } catch (java.time.DateTimeException e) {
      throw new TokenException("invalid TSTInfo: malformed genTime: " + text, e);
    }
  }

  static Duration accuracy(Accuracy accuracy, String policy) throws TokenException {
    BigInteger seconds = value(accuracy == null ? null : accuracy.getSeconds());
    BigInteger millis = value(accuracy == null ? null : accuracy.getMillis());
    BigInteger micros = value(accuracy == null ? null : accuracy.getMicros());
    if (seconds.signum() < 0 || millis.signum() < 0 || micros.signum() < 0) {
      throw new TokenException("invalid TSTInfo: negative accuracy");
    }
    if (seconds.compareTo(MAX_ACCURACY_SECONDS) > 0
        || millis.compareTo(BigInteger.valueOf(999)) > 0
        || micros.compareTo(BigInteger.valueOf(999)) > 0) {
      throw new TokenException("invalid TSTInfo: accuracy out of range");
    }
    Duration total =
        Duration.ofSeconds(seconds.longValueExact())
            .plusMillis(millis.longValueExact())
            .plusNanos(micros.longValueExact() * 1_000);
    if (total.isZero() && BASELINE_POLICY.equals(policy)) {
      return Duration.ofSeconds(1);
    }
    return total;
  }

  private static BigInteger value(ASN1Integer i) {
    return i == null ? BigInteger.ZERO : i.getValue();
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /** The length in bytes of a SHA-2 digest named as in {@link #SHA2}. */
  static int digestLength(String algorithm) {
    return switch (algorithm) {
      case "SHA-256" -> 32;
      case "SHA-384" -> 48;
      default -> 64;
    };
  }
}
