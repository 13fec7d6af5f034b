// A transparency log (Rekor) entry as carried by a cosign signature or a Sigstore bundle: the signed
// entry timestamp (a promise of inclusion that also signs the integrated time) and, when present,
// the RFC 9162 inclusion proof with its signed checkpoint (C2SP signed-note format).
package dev.signet.cosign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * One log entry about a signature.
 *
 * @param logIndex the entry's index in the log
 * @param logId the log's id (SHA-256 of its public key, hex)
 * @param integratedTime when the log integrated the entry, seconds since the epoch
 * @param body the canonicalized entry body the log hashed
 * @param signedEntryTimestamp the log's signature over the entry, or null
 * @param proof the inclusion proof, or null
 */
public record TlogEntry(
    long logIndex,
    String logId,
    long integratedTime,
    byte[] body,
    byte[] signedEntryTimestamp,
    InclusionProof proof) {

  /** An RFC 9162 inclusion proof and the checkpoint that signs its root. */
  public record InclusionProof(
      long logIndex, long treeSize, byte[] rootHash, List<byte[]> hashes, String checkpoint) {
    public InclusionProof {
      hashes = List.copyOf(hashes);
    }
  }

  /** What a verified entry proves: the time, when the log signed it, else null. */
  public record Verified(TrustedRoot.Log log, Instant integratedTime) {}

  /**
   * Checks the entry against the trusted root: the log must be trusted, and the signed entry
   * timestamp or the inclusion proof (with its checkpoint) must verify with the log's key.
   */
  public Verified verify(TrustedRoot root) throws CosignException {
    TrustedRoot.Log log = root.log(logId).orElseThrow(() -> new CosignException(
        "the transparency log entry names log " + logId + ", which the trusted root does not hold",
        "Add the log's key to the trusted root, or sign against a trusted log."));
    if (signedEntryTimestamp == null && proof == null) {
      throw new CosignException(
          "the transparency log entry has neither a signed entry timestamp nor an inclusion proof",
          "Sign with a client that records the log's answer in the signature (cosign 2+).");
    }
    Instant integrated = null;
    if (signedEntryTimestamp != null) {
      verifySignature(log.key(), canonicalEntry(), signedEntryTimestamp,
          "the signed entry timestamp of log entry " + logIndex + " does not verify with the key of"
              + " log " + log.baseUrl());
      integrated = Instant.ofEpochSecond(integratedTime);
      if (!log.validAt(integrated)) {
        throw new CosignException("log entry " + logIndex + " was integrated at " + integrated
            + ", outside the period the trusted root gives the log's key",
            "Update the trusted root.");
      }
    }
    if (proof != null) {
      verifyInclusion(log);
    }
    return new Verified(log, integrated);
  }

  /** Rekor's signed entry timestamp covers the canonical JSON of these four fields. */
  private byte[] canonicalEntry() {
    return ("{\"body\":\"" + Base64.getEncoder().encodeToString(body) + "\",\"integratedTime\":"
            + integratedTime + ",\"logID\":\"" + logId + "\",\"logIndex\":" + logIndex + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void verifyInclusion(TrustedRoot.Log log) throws CosignException {
    if (proof.logIndex() < 0 || proof.logIndex() >= proof.treeSize()) {
      throw new CosignException("the inclusion proof's index " + proof.logIndex()
          + " is outside its tree of " + proof.treeSize(), "Re-sign; the log answer is corrupt.");
    }
    byte[] computed = rootFromPath(proof.logIndex(), proof.treeSize(), leafHash(body),
        proof.hashes());
    if (computed == null || !MessageDigest.isEqual(computed, proof.rootHash())) {
      throw new CosignException("the inclusion proof of log entry " + logIndex
          + " does not lead to the root hash it names", "Re-sign; the log answer is corrupt.");
    }
    Checkpoint checkpoint = Checkpoint.parse(proof.checkpoint());
    verifySignature(log.key(), checkpoint.signedText(), checkpoint.signature(),
        "the checkpoint of log entry " + logIndex + " is not signed by log " + log.baseUrl());
    if (checkpoint.treeSize() != proof.treeSize()
        || !MessageDigest.isEqual(checkpoint.rootHash(), proof.rootHash())) {
      throw new CosignException("the checkpoint of log entry " + logIndex
          + " names another tree than the inclusion proof", "Re-sign; the log answer is corrupt.");
    }
  }

  static byte[] leafHash(byte[] leaf) {
    return hash(new byte[] {0}, leaf);
  }

  /** RFC 9162 section 2.1.3.2: the root a leaf's audit path leads to, or null when malformed. */
  static byte[] rootFromPath(long index, long size, byte[] leafHash, List<byte[]> path) {
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0 || p.length != 32) {
        return null;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hash(new byte[] {1}, p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = hash(new byte[] {1}, r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 ? r : null;
  }

  private static byte[] hash(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static void verifySignature(PublicKey key, byte[] data, byte[] signature, String failure)
      throws CosignException {
    if (!Signatures.verify(key, data, signature)) {
      throw new CosignException(failure, "Check that the trusted root is the log's own.");
    }
  }

  /** A signed note: origin, tree size, root hash, then a blank line and signature lines. */
  record Checkpoint(long treeSize, byte[] rootHash, byte[] signedText, byte[] signature) {
    private static final int MAX_CHARS = 16 * 1024;

    static Checkpoint parse(String envelope) throws CosignException {
      if (envelope == null || envelope.length() > MAX_CHARS) {
        throw malformed("missing or larger than 16 KiB");
      }
      int split = envelope.indexOf("\n\n");
      if (split < 0) {
        throw malformed("no blank line before the signatures");
      }
      String text = envelope.substring(0, split + 1);
      String[] lines = text.split("\n", -1);
      if (lines.length < 4) {
        throw malformed("fewer than three lines of body");
      }
      long size;
      byte[] root;
      try {
        size = Long.parseLong(lines[1]);
        root = Base64.getDecoder().decode(lines[2]);
      } catch (IllegalArgumentException e) {
        throw malformed("the tree size or root hash is not readable");
      }
      for (String line : envelope.substring(split + 2).split("\n")) {
        if (!line.startsWith("\u2014 ")) {
          continue;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3) {
          continue;
        }
        byte[] raw;
        try {
          raw = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (raw.length > 4) {
          return new Checkpoint(size, root, text.getBytes(StandardCharsets.UTF_8),
              Arrays.copyOfRange(raw, 4, raw.length));
        }
      }
      throw malformed("no signature line");
    }

    private static CosignException malformed(String why) {
      return new CosignException("the log checkpoint is malformed: " + why,
          "Re-sign; the log answer is corrupt.");
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
