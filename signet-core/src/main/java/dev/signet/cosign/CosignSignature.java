// The two ways Sigstore signatures sit beside an image: cosign's ".sig" manifest (one simple-signing
// layer per signature, with the signature, certificate, chain and Rekor bundle as annotations) and a
// Sigstore bundle (protobuf-specs dev.sigstore.bundle.v1.Bundle, JSON, media types v0.1 to v0.3)
// attached as an OCI referrer. Both are read into one shape here.
package dev.signet.cosign;

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.notation.x509.CertificateFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One signature: what it signs, the signature bytes, the certificates of a keyless signer (empty
 * for a key), the transparency log entries that record it, and RFC 3161 timestamp tokens over the
 * signature bytes.
 *
 * @param source where it came from (the layer digest), for reports
 */
public record CosignSignature(
    String source,
    SignedContent content,
    byte[] signature,
    List<X509Certificate> certificates,
    List<TlogEntry> tlogEntries,
    List<byte[]> timestamps) {

  public static final String SIMPLE_SIGNING_MEDIA_TYPE =
      "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
  static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
  static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
  static final String TIMESTAMP_ANNOTATION = "dev.sigstore.cosign/rfc3161timestamp";

  /** The media types of Sigstore bundles, as layers and as referrer artifact types. */
  public static final Set<String> BUNDLE_MEDIA_TYPES =
      Set.of(
          "application/vnd.dev.sigstore.bundle+json;version=0.1",
          "application/vnd.dev.sigstore.bundle+json;version=0.2",
          "application/vnd.dev.sigstore.bundle.v0.3+json");

  private static final int MAX_BUNDLE_BYTES = 1024 * 1024;
  private static final int MAX_ANNOTATION_CHARS = 256 * 1024;
  private static final int MAX_ENTRIES = 8;
  private static final int MAX_PROOF_HASHES = 64;

  public CosignSignature {
    certificates = List.copyOf(certificates);
    tlogEntries = List.copyOf(tlogEntries);
    timestamps = List.copyOf(timestamps);
  }

  /** A layer of cosign's {@code .sig} manifest: the payload and its annotations. */
  public static CosignSignature fromSimpleSigningLayer(
      String source, byte[] payload, Map<String, String> annotations) throws CosignException {
    String sig = annotation(annotations, SIGNATURE_ANNOTATION);
    if (sig == null) {
      throw new CosignException("signature layer " + source + " has no "
          + SIGNATURE_ANNOTATION + " annotation", "Sign the image with cosign sign.");
    }
    List<X509Certificate> certs = new ArrayList<>();
    String leaf = annotation(annotations, CERTIFICATE_ANNOTATION);
    if (leaf != null && !leaf.isBlank()) {
      certs.addAll(pem(leaf, source));
      String chain = annotation(annotations, CHAIN_ANNOTATION);
      if (chain != null && !chain.isBlank()) {
        certs.addAll(pem(chain, source));
      }
    }
    List<TlogEntry> entries = new ArrayList<>();
    String bundle = annotation(annotations, BUNDLE_ANNOTATION);
    if (bundle != null) {
      entries.add(rekorBundle(bundle, source));
    }
    List<byte[]> timestamps = new ArrayList<>();
    String timestamp = annotation(annotations, TIMESTAMP_ANNOTATION);
    if (timestamp != null) {
      timestamps.add(base64(json(timestamp, "cosign timestamp annotation", source)
          .path("SignedRFC3161Timestamp").asString(""), "RFC 3161 timestamp"));
    }
    return new CosignSignature(source, new SignedContent.SimpleSigning(payload),
        base64(sig, "signature of " + source), certs, entries, timestamps);
  }

  /** A Sigstore bundle document. */
  public static CosignSignature fromBundle(String source, byte[] json) throws CosignException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(json, MAX_BUNDLE_BYTES, "Sigstore bundle");
    } catch (JsonFormatException e) {
      throw unreadable(source, e.getMessage());
    }
    String mediaType = root.path("mediaType").asString("");
    if (!BUNDLE_MEDIA_TYPES.contains(mediaType)) {
      throw unreadable(source, "media type \"" + mediaType + "\" is not a Sigstore bundle v0.1-v0.3");
    }
    JsonNode material = root.path("verificationMaterial");
    List<X509Certificate> certs = new ArrayList<>();
    if (material.has("x509CertificateChain")) {
      for (JsonNode c : material.path("x509CertificateChain").path("certificates")) {
        certs.add(der(c.path("rawBytes").asString(""), source));
      }
    } else if (material.has("certificate")) {
      certs.add(der(material.path("certificate").path("rawBytes").asString(""), source));
    } else if (!material.has("publicKey")) {
      throw unreadable(source, "verificationMaterial names no public key and no certificate");
    }
    List<TlogEntry> entries = new ArrayList<>();
    JsonNode tlog = material.path("tlogEntries");
    if (tlog.size() > MAX_ENTRIES) {
      throw unreadable(source, "more than " + MAX_ENTRIES + " transparency log entries");
    }
    for (JsonNode e : tlog) {
      entries.add(bundleEntry(e, source));
    }
    List<byte[]> timestamps = new ArrayList<>();
    JsonNode tokens = material.path("timestampVerificationData").path("rfc3161Timestamps");
    if (tokens.size() > MAX_ENTRIES) {
      throw unreadable(source, "more than " + MAX_ENTRIES + " RFC 3161 timestamps");
    }
    for (JsonNode t : tokens) {
      timestamps.add(base64(t.path("signedTimestamp").asString(""), "RFC 3161 timestamp"));
    }
    SignedContent content;
    byte[] signature;
    if (root.has("messageSignature")) {
      JsonNode m = root.path("messageSignature");
      String algorithm = m.path("messageDigest").path("algorithm").asString("");
      if (!algorithm.equals("SHA2_256")) {
        throw unreadable(source, "message digest algorithm \"" + algorithm + "\" is not SHA2_256");
      }
      content = new SignedContent.MessageDigest(algorithm,
          base64(m.path("messageDigest").path("digest").asString(""), "message digest"));
      signature = base64(m.path("signature").asString(""), "signature");
    } else if (root.has("dsseEnvelope")) {
      JsonNode d = root.path("dsseEnvelope");
      if (d.path("signatures").size() != 1) {
        throw unreadable(source, "the DSSE envelope must carry exactly one signature");
      }
      content = new SignedContent.Dsse(d.path("payloadType").asString(""),
          base64(d.path("payload").asString(""), "DSSE payload"));
      signature = base64(d.path("signatures").get(0).path("sig").asString(""), "DSSE signature");
    } else {
      throw unreadable(source, "neither messageSignature nor dsseEnvelope is present");
    }
    return new CosignSignature(source, content, signature, certs, entries, timestamps);
  }

  private static TlogEntry bundleEntry(JsonNode e, String source) throws CosignException {
    String kind = e.path("kindVersion").path("kind").asString("");
    if (!Set.of("hashedrekord", "dsse", "intoto").contains(kind)) {
      throw unreadable(source, "transparency log entry kind \"" + kind
          + "\" is not supported (hashedrekord, dsse, intoto)");
    }
    byte[] set = null;
    if (e.has("inclusionPromise")) {
      set = base64(e.path("inclusionPromise").path("signedEntryTimestamp").asString(""),
          "signed entry timestamp");
    }
    TlogEntry.InclusionProof proof = null;
    if (e.has("inclusionProof")) {
      JsonNode p = e.path("inclusionProof");
      JsonNode hashes = p.path("hashes");
      if (hashes.size() > MAX_PROOF_HASHES) {
        throw unreadable(source, "the inclusion proof has more than " + MAX_PROOF_HASHES + " hashes");
      }
      List<byte[]> path = new ArrayList<>();
      for (JsonNode h : hashes) {
        path.add(base64(h.asString(""), "inclusion proof hash"));
      }
      proof = new TlogEntry.InclusionProof(integer(p.path("logIndex"), "proof logIndex", source),
          integer(p.path("treeSize"), "treeSize", source),
          base64(p.path("rootHash").asString(""), "root hash"), path,
          p.path("checkpoint").path("envelope").asString(null));
    }
    return new TlogEntry(integer(e.path("logIndex"), "logIndex", source),
        TlogEntry.hex(base64(e.path("logId").path("keyId").asString(""), "log id")),
        integer(e.path("integratedTime"), "integratedTime", source),
        base64(e.path("canonicalizedBody").asString(""), "canonicalized body"), set, proof);
  }

  /** cosign's Rekor bundle annotation: the signed entry timestamp and the entry it signs. */
  private static TlogEntry rekorBundle(String json, String source) throws CosignException {
    JsonNode root = json(json, "cosign bundle annotation", source);
    JsonNode payload = root.path("Payload");
    return new TlogEntry(integer(payload.path("logIndex"), "logIndex", source),
        payload.path("logID").asString(""),
        integer(payload.path("integratedTime"), "integratedTime", source),
        base64(payload.path("body").asString(""), "log entry body"),
        base64(root.path("SignedEntryTimestamp").asString(""), "signed entry timestamp"), null);
  }

  private static JsonNode json(String text, String what, String source) throws CosignException {
    try {
      return StrictJson.parseObject(text.getBytes(StandardCharsets.UTF_8), MAX_ANNOTATION_CHARS,
          what);
    } catch (JsonFormatException e) {
      throw unreadable(source, e.getMessage());
    }
  }

  private static String annotation(Map<String, String> annotations, String key)
      throws CosignException {
    String v = annotations.get(key);
    if (v != null && v.length() > MAX_ANNOTATION_CHARS) {
      throw new CosignException("annotation " + key + " is larger than 256 KiB",
          "Sign the image with cosign sign.");
    }
    return v;
  }

  private static long integer(JsonNode v, String what, String source) throws CosignException {
    // protobuf JSON writes int64 as a string; cosign's annotation writes numbers.
    try {
      long n = v.isString() ? Long.parseLong(v.asString()) : v.isIntegralNumber() ? v.asLong() : -1;
      if (n < 0) {
        throw unreadable(source, what + " is missing or negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw unreadable(source, what + " is not an integer");
    }
  }

  private static byte[] base64(String text, String what) throws CosignException {
    try {
      byte[] b = Base64.getDecoder().decode(text.strip());
      if (b.length == 0) {
        throw new CosignException(what + " is empty", "Re-sign the image.");
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new CosignException(what + " is not base64", "Re-sign the image.");
    }
  }

  private static List<X509Certificate> pem(String text, String source) throws CosignException {
    try {
      return CertificateFiles.read(text.getBytes(StandardCharsets.UTF_8));
    } catch (CertificateException e) {
      throw unreadable(source, "certificate annotation: " + e.getMessage());
    }
  }

  private static X509Certificate der(String base64, String source) throws CosignException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(base64(base64, "certificate")));
    } catch (CertificateException e) {
      throw unreadable(source, "certificate: " + e.getMessage());
    }
  }

  private static CosignException unreadable(String source, String why) {
    return new CosignException("the signature " + source + " cannot be read: " + why,
        "Sign with cosign 2 or later, or a Sigstore client that writes bundles v0.1-v0.3.");
  }
}
