// Sigstore's trusted root (protobuf-specs dev.sigstore.trustroot.v1.TrustedRoot, JSON form): the
// transparency logs' keys and the certificate authorities (Fulcio) a keyless signature may chain to.
package dev.signet.cosign;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The trust anchors of a Sigstore instance: transparency logs (Rekor) by log id, and certificate
 * authorities (Fulcio) and RFC 3161 timestamp authorities with their chains, each valid for a
 * period.
 */
public record TrustedRoot(
    List<Log> logs,
    List<CertificateAuthority> authorities,
    List<Log> ctLogs,
    List<CertificateAuthority> timestampAuthorities) {
  private static final int MAX_BYTES = 1024 * 1024;

  public TrustedRoot {
    logs = List.copyOf(logs);
    authorities = List.copyOf(authorities);
    ctLogs = List.copyOf(ctLogs);
    timestampAuthorities = List.copyOf(timestampAuthorities);
  }

  /** A transparency log: its id (SHA-256 of the DER public key, hex) and key, valid in a window. */
  public record Log(String baseUrl, String logId, PublicKey key, Instant start, Instant end) {
    boolean validAt(Instant t) {
      return !t.isBefore(start) && (end == null || !t.isAfter(end));
    }
  }

  /** A certificate authority: its chain, leaf-most first, root last, valid in a window. */
  public record CertificateAuthority(
      String uri, List<X509Certificate> chain, Instant start, Instant end) {
    public CertificateAuthority {
      chain = List.copyOf(chain);
    }

    boolean validAt(Instant t) {
      return !t.isBefore(start) && (end == null || !t.isAfter(end));
    }
  }

  /** The log with this id (hex), if the root trusts it. */
  public Optional<Log> log(String logIdHex) {
    return logs.stream().filter(l -> l.logId().equalsIgnoreCase(logIdHex)).findFirst();
  }

  /** The certificate transparency log with this id (hex), if the root trusts it. */
  public Optional<Log> ctLog(String logIdHex) {
    return ctLogs.stream().filter(l -> l.logId().equalsIgnoreCase(logIdHex)).findFirst();
  }

  /** Reads a {@code trusted_root.json}. */
  public static TrustedRoot read(Path file) throws CosignException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new CosignException("the trusted root " + file + " is larger than 1 MiB",
            "Point trustedRoot at Sigstore's trusted_root.json.");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CosignException("cannot read the trusted root " + file + ": " + e.getMessage(),
          "Check the trustedRoot path of the cosign verifier.");
    }
    return parse(bytes, file.toString());
  }

  /** Parses a trusted root in protobuf JSON form; {@code source} names it in errors. */
  public static TrustedRoot parse(byte[] json, String source) throws CosignException {
    try {
      JsonNode root = StrictJson.parseObject(json, MAX_BYTES, "trusted root");
      List<Log> logs = logs(root.path("tlogs"), source);
      List<Log> ctLogs = logs(root.path("ctlogs"), source);
      return new TrustedRoot(logs, authorities(root.path("certificateAuthorities"), source),
          ctLogs, authorities(root.path("timestampAuthorities"), source));
    } catch (JsonFormatException | IllegalArgumentException | GeneralSecurityException e) {
      throw new CosignException("the trusted root " + source + " is not valid: " + e.getMessage(),
          "Use the trusted_root.json published by the Sigstore instance.");
    }
  }

  private static List<CertificateAuthority> authorities(JsonNode list, String source)
      throws CosignException, GeneralSecurityException {
    List<CertificateAuthority> authorities = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    for (JsonNode ca : list) {
      List<X509Certificate> chain = new ArrayList<>();
      for (JsonNode c : ca.path("certChain").path("certificates")) {
        chain.add((X509Certificate) cf.generateCertificate(
            new ByteArrayInputStream(Base64.getDecoder().decode(text(c, "rawBytes")))));
      }
      if (chain.isEmpty()) {
        throw new CosignException("an authority in " + source + " has no certificates",
            "Use the trusted_root.json published by the Sigstore instance.");
      }
      authorities.add(new CertificateAuthority(ca.path("uri").asString(""), chain,
          instant(ca.path("validFor").path("start"), Instant.EPOCH),
          instant(ca.path("validFor").path("end"), null)));
    }
    return authorities;
  }

  private static List<Log> logs(JsonNode list, String source)
      throws CosignException, GeneralSecurityException {
      List<Log> logs = new ArrayList<>();
      for (JsonNode t : list) {
        JsonNode key = t.path("publicKey");
        byte[] der = Base64.getDecoder().decode(text(key, "rawBytes"));
        PublicKey publicKey = publicKey(der);
        String logId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        String declared = t.path("logId").path("keyId").asString("");
        if (!declared.isEmpty()
            && !HexFormat.of().formatHex(Base64.getDecoder().decode(declared)).equals(logId)) {
          throw new CosignException("the trusted root " + source + " gives log "
              + t.path("baseUrl").asString("") + " a log id that is not the hash of its key",
              "Use the trusted_root.json published by the Sigstore instance.");
        }
        logs.add(new Log(t.path("baseUrl").asString(""), logId, publicKey,
            instant(key.path("validFor").path("start"), Instant.EPOCH),
            instant(key.path("validFor").path("end"), null)));
      }
      return logs;
  }

  static PublicKey publicKey(byte[] spki) throws GeneralSecurityException {
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("the public key is not an EC, RSA or Ed25519 key");
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    if (!v.isString() || v.asString().isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v.asString();
  }

  private static Instant instant(JsonNode v, Instant absent) {
    return v.isString() ? Instant.parse(v.asString()) : absent;
  }
}
