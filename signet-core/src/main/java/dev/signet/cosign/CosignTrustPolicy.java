// Ratify v1.4's cosign trust policy (pkg/verifier/cosign): scopes, keys or keyless identity, and
// whether a transparency log entry is required; the checks follow cosign's own verification.
package dev.signet.cosign;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.notation.x509.CertificateFiles;
import dev.signet.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One trust policy of the cosign verifier.
 *
 * @param name the policy's name, reported with each result
 * @param scopes the repositories it covers: {@code *}, a repository, or a prefix ending in {@code *}
 * @param keys the public keys a keyed signature must verify with; empty for keyless
 * @param keyless the identity of a keyless signer; null for keyed
 * @param tlogVerify whether a verified transparency log entry is required
 */
public record CosignTrustPolicy(
    String name, List<String> scopes, List<TrustedKey> keys, KeylessIdentity keyless,
    boolean tlogVerify) {

  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private static final String SIMPLE_SIGNING_TYPE = "cosign container image signature";
  private static final String IN_TOTO = "application/vnd.in-toto+json";
  private static final int MAX_PAYLOAD = 256 * 1024;

  /** A public key trusted for keyed signatures, named for reports (file, provider or inline). */
  public record TrustedKey(String name, PublicKey key) {}

  public CosignTrustPolicy {
    scopes = List.copyOf(scopes);
    keys = List.copyOf(keys);
  }

  /** What a verified signature proved. */
  public record Verified(String signer, Instant integratedTime, Long logIndex) {}

  /** How specific a scope's match of a repository is: -1 none, then global, prefix, exact. */
  int match(String repository) {
    int best = -1;
    for (String s : scopes) {
      if (s.equals("*")) {
        best = Math.max(best, 0);
      } else if (s.endsWith("*") && repository.startsWith(s.substring(0, s.length() - 1))) {
        best = Math.max(best, s.length());
      } else if (s.equals(repository)) {
        best = Math.max(best, Integer.MAX_VALUE);
      }
    }
    return best;
  }

  /**
   * Verifies one signature of the subject.
   *
   * @param subject the digest of the image being admitted
   * @param artifact the bytes of the signed artifact (the image manifest), for message signatures
   */
  public Verified verify(
      CosignSignature sig, Digest subject, ArtifactBytes artifact, TrustedRoot root, Instant now)
      throws CosignException {
    byte[] signed = signedBytes(sig, subject, artifact);
    PublicKey key;
    String signer;
    if (keyless == null) {
      TrustedKey match = null;
      for (TrustedKey k : keys) {
        if (Signatures.verify(k.key(), signed, sig.signature())) {
          match = k;
          break;
        }
      }
      if (match == null) {
        throw new CosignException("the signature does not verify with any key of trust policy \""
            + name + "\"", "Sign with the private key of a configured public key, or add the"
            + " signer's public key to the trust policy.");
      }
      key = match.key();
      signer = "key " + match.name();
    } else {
      if (sig.certificates().isEmpty()) {
        throw new CosignException("the signature has no certificate, but trust policy \"" + name
            + "\" expects keyless signatures", "Sign keylessly (cosign sign without --key), or"
            + " configure keys in the trust policy.");
      }
      X509Certificate leaf = sig.certificates().get(0);
      key = leaf.getPublicKey();
      if (!Signatures.verify(key, signed, sig.signature())) {
        throw new CosignException("the signature does not verify with its certificate's key",
            "The signature or its payload was altered; sign again.");
      }
      keyless.check(leaf);
      signer = String.join(",", KeylessIdentity.subjectAlternativeNames(leaf));
    }

    Instant integrated = null;
    Long logIndex = null;
    if (tlogVerify || keyless != null) {
      if (root == null) {
        throw new CosignException("trust policy \"" + name + "\" requires a transparency log"
            + " entry, but the verifier has no trusted root", "Set trustedRoot to Sigstore's"
            + " trusted_root.json, or set tLogVerify to false for keyed signatures.");
      }
      CosignException last = null;
      for (TlogEntry entry : sig.tlogEntries()) {
        try {
          TlogEntry.Verified v = entry.verify(root);
          bindBody(entry.body(), sig, signed, key);
          if (v.integratedTime() != null || integrated == null) {
            integrated = v.integratedTime();
            logIndex = entry.logIndex();
          }
          if (integrated != null) {
            break;
          }
        } catch (CosignException e) {
          last = e;
        }
      }
      if (logIndex == null) {
        throw last != null ? last : new CosignException("the signature has no transparency log"
            + " entry, and trust policy \"" + name + "\" requires one", "Sign with upload to the"
            + " transparency log, or set tLogVerify to false for keyed signatures.");
      }
    }
    if (keyless != null) {
      if (integrated == null) {
        throw new CosignException("no signed entry timestamp proves when the keyless signature was"
            + " made", "Sign with a client that records Rekor's signed entry timestamp.");
      }
      chain(sig.certificates(), root, integrated);
      if (keyless.ctLogVerify()) {
        CertificateTransparency.verifyEmbedded(sig.certificates(), root);
      }
    }
    return new Verified(signer, integrated, logIndex);
  }

  /** Access to the signed artifact's bytes, read only for message signatures. */
  public interface ArtifactBytes {
    byte[] read() throws CosignException;
  }

  private static byte[] signedBytes(CosignSignature sig, Digest subject, ArtifactBytes artifact)
      throws CosignException {
    return switch (sig.content()) {
      case SignedContent.SimpleSigning s -> {
        JsonNode critical = json(s.payload(), "simple-signing payload").path("critical");
        String type = critical.path("type").asString("");
        if (!SIMPLE_SIGNING_TYPE.equalsIgnoreCase(type)) {
          throw new CosignException("the payload's type \"" + type + "\" is not \""
              + SIMPLE_SIGNING_TYPE + "\"", "Sign the image with cosign sign.");
        }
        String claimed = critical.path("image").path("docker-manifest-digest").asString("");
        if (!claimed.equals(subject.toString())) {
          throw new CosignException("the signature is for image " + claimed + ", not " + subject,
              "The signature was copied from another image; sign this image.");
        }
        yield s.payload();
      }
      case SignedContent.Dsse d -> {
        if (!IN_TOTO.equals(d.payloadType())) {
          throw new CosignException("the DSSE payload type \"" + d.payloadType() + "\" is not "
              + IN_TOTO, "Sign the image with cosign sign or a Sigstore client.");
        }
        boolean names = false;
        for (JsonNode s : json(d.payload(), "in-toto statement").path("subject")) {
          String hex = s.path("digest").path(subject.algorithm()).asString("");
          names |= hex.equals(subject.hex());
        }
        if (!names) {
          throw new CosignException("the signed statement does not name image " + subject,
              "The signature was made for another image; sign this image.");
        }
        yield d.preAuthenticationEncoding();
      }
      case SignedContent.MessageDigest m -> {
        if (!subject.algorithm().equals("sha256")
            || !HexFormat.of().formatHex(m.digest()).equals(subject.hex())) {
          throw new CosignException("the message signature is over sha256:"
              + HexFormat.of().formatHex(m.digest()) + ", not image " + subject,
              "The signature was made for another artifact; sign this image.");
        }
        yield artifact.read();
      }
    };
  }

  /** The log entry must record this very signature, over this content, by this key. */
  private static void bindBody(byte[] body, CosignSignature sig, byte[] signed, PublicKey key)
      throws CosignException {
    JsonNode entry = json(body, "transparency log entry");
    String kind = entry.path("kind").asString("");
    JsonNode spec = entry.path("spec");
    boolean ok;
    switch (kind) {
      case "hashedrekord" -> {
        byte[] recorded = decode(spec.path("signature").path("content").asString(""));
        ok = MessageDigest.isEqual(recorded, sig.signature())
            && spec.path("data").path("hash").path("algorithm").asString("").equals("sha256")
            && spec.path("data").path("hash").path("value").asString("").equals(sha256(signed))
            && sameKey(spec.path("signature").path("publicKey").path("content").asString(""), key);
      }
      case "dsse" -> {
        boolean signatureRecorded = false;
        for (JsonNode s : spec.path("signatures")) {
          signatureRecorded |= MessageDigest.isEqual(
                  decode(s.path("signature").asString("")), sig.signature())
              && sameKey(s.path("verifier").asString(""), key);
        }
        ok = signatureRecorded
            && sig.content() instanceof SignedContent.Dsse d
            && spec.path("payloadHash").path("value").asString("").equals(sha256(d.payload()));
      }
      default -> ok = false;
    }
    if (!ok) {
      throw new CosignException("the transparency log entry (" + (kind.isEmpty() ? "no kind" : kind)
          + ") does not record this signature, content and key",
          "The log entry belongs to another signature; sign again with upload to the log.");
    }
  }

  private static boolean sameKey(String base64Pem, PublicKey key) {
    byte[] pem = decode(base64Pem);
    if (pem.length == 0) {
      return false;
    }
    String text = new String(pem, StandardCharsets.US_ASCII);
    try {
      PublicKey recorded;
      if (text.contains("CERTIFICATE")) {
        recorded = CertificateFiles.read(pem).get(0).getPublicKey();
      } else {
        recorded = PublicKeys.parsePem(text);
      }
      return MessageDigest.isEqual(recorded.getEncoded(), key.getEncoded());
    } catch (GeneralSecurityException | IndexOutOfBoundsException e) {
      return false;
    }
  }

  /** The chain from the leaf to a trusted certificate authority valid at the signing time. */
  private static void chain(List<X509Certificate> certs, TrustedRoot root, Instant at)
      throws CosignException {
    X509Certificate leaf = certs.get(0);
    try {
      leaf.checkValidity(Date.from(at));
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku == null || !eku.contains(CODE_SIGNING)) {
        throw new CosignException("the signing certificate is not for code signing",
            "Sign with a certificate Fulcio issued.");
      }
    } catch (GeneralSecurityException e) {
      throw new CosignException("the signing certificate was not valid when the log recorded the"
          + " signature (" + at + "): " + e.getMessage(), "Sign again.");
    }
    CosignException last = null;
    for (TrustedRoot.CertificateAuthority ca : root.authorities()) {
      if (!ca.validAt(at)) {
        continue;
      }
      try {
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        path.addAll(ca.chain().subList(0, ca.chain().size() - 1));
        PKIXParameters params = new PKIXParameters(
            Set.of(new TrustAnchor(ca.chain().get(ca.chain().size() - 1), null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(
            CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        return;
      } catch (CertPathValidatorException | InvalidAlgorithmParameterException e) {
        last = new CosignException("the signing certificate does not chain to certificate"
            + " authority " + ca.uri() + ": " + e.getMessage(), "Trust the authority that issued"
            + " it in the trusted root.");
      } catch (GeneralSecurityException e) {
        last = new CosignException("cannot check the signing certificate's chain: "
            + e.getMessage(), "Sign with a certificate Fulcio issued.");
      }
    }
    throw last != null ? last : new CosignException("no certificate authority of the trusted"
        + " root was valid at " + at, "Update the trusted root.");
  }

  private static JsonNode json(byte[] bytes, String what) throws CosignException {
    try {
      return StrictJson.parseObject(bytes, MAX_PAYLOAD, what);
    } catch (JsonFormatException e) {
      throw new CosignException("the " + what + " is not valid: " + e.getMessage(),
          "Sign with cosign 2 or later.");
    }
  }

  private static byte[] decode(String b64) {
    try {
      return Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
