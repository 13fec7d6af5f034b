package dev.signet.notation.envelope;

// RFC 8017 §8.1.2 (RSASSA-PSS-VERIFY) and §9.1.2 (EMSA-PSS-VERIFY) with the salt length recovered
// from the encoded message instead of fixed in advance.
//
// notation-go verifies JWS PS* signatures with Go's PSSSaltLengthAuto, so a JWS signed with any
// salt length verifies there. JCA's RSASSA-PSS needs the salt length up front, so JwsEnvelope first
// tries salt = hash length (what every Notary signer uses) and falls back to this check.

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/** RSASSA-PSS verification that accepts any salt length (MGF1 with the message hash). */
final class PssSaltRecovery {
  private PssSaltRecovery() {}

  static boolean verify(
      RSAPublicKey key, SignatureAlgorithm algorithm, byte[] message, byte[] signature) {
    try {
      return verifyOrThrow(key, algorithm.hash(), message, signature);
    } catch (NoSuchAlgorithmException e) {
      return false;
    }
  }

  private static boolean verifyOrThrow(
      RSAPublicKey key, String hash, byte[] message, byte[] signature)
      throws NoSuchAlgorithmException {
    BigInteger n = key.getModulus();
    int modBits = n.bitLength();
    int k = (modBits + 7) / 8;
    // §8.1.2 step 1: the signature is exactly k octets.
    if (signature.length != k) {
      return false;
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(n) >= 0) {
      return false;
    }
    BigInteger m = s.modPow(key.getPublicExponent(), n);
    int emBits = modBits - 1;
    int emLen = (emBits + 7) / 8;
    byte[] em = toOctets(m, emLen);
    if (em == null) {
      return false;
    }
    MessageDigest digest = MessageDigest.getInstance(hash);
    int hLen = digest.getDigestLength();
    byte[] mHash = digest.digest(message);
    // §9.1.2 steps 3-4 (the smallest salt is empty).
    if (emLen < hLen + 2 || (em[emLen - 1] & 0xff) != 0xbc) {
      return false;
    }
    int dbLen = emLen - hLen - 1;
    byte[] maskedDb = Arrays.copyOfRange(em, 0, dbLen);
    byte[] h = Arrays.copyOfRange(em, dbLen, dbLen + hLen);
    int unusedBits = 8 * emLen - emBits;
    int topMask = 0xff >>> unusedBits;
    // Step 6: the leftmost unused bits are zero.
    if ((maskedDb[0] & ~topMask & 0xff) != 0) {
      return false;
    }
    byte[] dbMask = mgf1(digest, h, dbLen);
    byte[] db = new byte[dbLen];
    for (int i = 0; i < dbLen; i++) {
      db[i] = (byte) (maskedDb[i] ^ dbMask[i]);
    }
    db[0] &= (byte) topMask;
    // Step 10, with the salt length recovered: zeros, then 0x01, then the salt.
    int separator = 0;
    while (separator < dbLen && db[separator] == 0) {
      separator++;
    }
    if (separator == dbLen || db[separator] != 0x01) {
      return false;
    }
    byte[] salt = Arrays.copyOfRange(db, separator + 1, dbLen);
    digest.reset();
    digest.update(new byte[8]);
    digest.update(mHash);
    digest.update(salt);
    return MessageDigest.isEqual(digest.digest(), h);
  }

  private static byte[] toOctets(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    if (raw.length == length) {
      return raw;
    }
    if (raw.length == length + 1 && raw[0] == 0) {
      return Arrays.copyOfRange(raw, 1, raw.length);
    }
    if (raw.length < length) {
      byte[] out = new byte[length];
      System.arraycopy(raw, 0, out, length - raw.length, raw.length);
      return out;
    }
    return null;
  }

  private static byte[] mgf1(MessageDigest digest, byte[] seed, int length) {
    byte[] out = new byte[length];
    int hLen = digest.getDigestLength();
    int done = 0;
    for (int counter = 0; done < length; counter++) {
      digest.reset();
      digest.update(seed);
      digest.update(
          new byte[] {
            (byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter
          });
      byte[] block = digest.digest();
      int take = Math.min(hLen, length - done);
      System.arraycopy(block, 0, out, done, take);
      done += take;
    }
    return out;
  }
}
