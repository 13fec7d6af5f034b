package dev.signet.reference;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest {@code algorithm:hex}; sha256 and sha512 are supported for content. */
public record Digest(String algorithm, String hex) {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    Pattern pattern =
        switch (algorithm) {
          case "sha256" -> SHA256;
          case "sha512" -> SHA512;
          default -> throw new IllegalArgumentException(
              "unsupported digest algorithm \"" + algorithm + "\" (expected sha256 or sha512)");
        };
    if (!pattern.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "invalid " + algorithm + " digest \"" + hex + "\": expected lowercase hex of the right length");
    }
  }

  /** Parses {@code sha256:<hex>}; throws IllegalArgumentException with a readable message. */
  public static Digest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("digest is missing");
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "invalid digest \"" + text + "\": expected <algorithm>:<hex>, e.g. sha256:...");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  public static Digest sha256(byte[] content) {
    return new Digest("sha256", HexFormat.of().formatHex(hash("SHA-256", content)));
  }

  /** True when {@code content} hashes to this digest. */
  public boolean matches(byte[] content) {
    String jca = algorithm.equals("sha256") ? "SHA-256" : "SHA-512";
    return MessageDigest.isEqual(hash(jca, content), HexFormat.of().parseHex(hex));
  }

  private static byte[] hash(String jca, byte[] content) {
    try {
      return MessageDigest.getInstance(jca).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
