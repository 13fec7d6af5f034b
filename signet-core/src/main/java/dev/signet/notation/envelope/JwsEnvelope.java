package dev.signet.notation.envelope;

// Notary Project JWS envelope: specifications signature-envelope-jws.md and
// signature-specification.md (payload, protected header, crit, signing schemes); RFC 7515 §7.2.2
// (flattened JWS JSON serialization), §4.1.11 (crit) and §7.2.1 (disjoint header names).

import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Parses and verifies a JWS signature envelope ({@code application/jose+json}).
 *
 * <p>Verification here is the integrity step only: the envelope is well formed, its protected
 * header follows the Notary rules, and the signature verifies with the leaf certificate's key for
 * the algorithm bound to that key. It does not validate the certificate chain, trust, expiry
 * against the clock, the timestamp token, or whether unknown critical extended attributes are
 * acceptable; those are reported in the result for the verification workflow to judge.
 */
public final class JwsEnvelope {
  /** The envelope media type. */
  public static final String MEDIA_TYPE = "application/jose+json";

  /** Largest envelope accepted (notation's blob limit). */
  static final int MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;

  /** Largest decoded protected header accepted. */
  static final int MAX_PROTECTED_HEADER_BYTES = 64 * 1024;

  /** Most entries accepted in either header. */
  static final int MAX_HEADER_ENTRIES = 64;

  /** Most certificates accepted in {@code x5c}. */
  static final int MAX_CERTIFICATES = 10;

  static final String KEY_X5C = "x5c";
  static final String KEY_SIGNING_AGENT = NotaryHeaders.SIGNING_AGENT;

  /** The notation-go mock vectors spell the signing agent with a capital S; Go matched it. */
  static final String KEY_SIGNING_AGENT_LEGACY = "io.cncf.notary.SigningAgent";

  static final String KEY_TIMESTAMP = NotaryHeaders.TIMESTAMP_SIGNATURE;

  private static final Set<String> TOP_LEVEL_MEMBERS =
      Set.of("payload", "protected", "header", "signature");
  private static final List<String> UNPROTECTED_KEYS =
      List.of(KEY_X5C, KEY_SIGNING_AGENT, KEY_TIMESTAMP, "crit");

  private JwsEnvelope() {}

  /**
   * Parses the envelope, checks its header rules and verifies its signature.
   *
   * @param envelope the envelope bytes as fetched (at most 32 MiB)
   * @return what the envelope says
   * @throws EnvelopeException when the envelope is malformed, breaks a Notary header rule, or its
   *     signature does not verify
   */
  public static EnvelopeContent verify(byte[] envelope) throws EnvelopeException {
    if (envelope == null) {
      throw new EnvelopeException("signature envelope is missing");
    }
    ParsedJws parsed = parse(envelope);
    checkSignature(parsed);
    NotaryPayload.check(parsed.payload());
    return parsed.content();
  }

  /**
   * The parsed envelope before its signature is checked.
   *
   * @param signingInput ASCII(protected "." payload) as received
   */
  record ParsedJws(
      byte[] signingInput,
      SignedAttributes header,
      byte[] payload,
      byte[] signature,
      List<X509Certificate> certificateChain,
      byte[] timestampToken,
      String signingAgent) {

    EnvelopeContent content() {
      return EnvelopeContent.of(
          payload, header, certificateChain, signature.clone(), timestampToken, signingAgent);
    }
  }

  /** Everything except the signature check and the payload shape (visible for tests). */
  static ParsedJws parse(byte[] envelope) throws EnvelopeException {
    JsonNode root;
    try {
      root = StrictJson.parseObject(envelope, MAX_ENVELOPE_BYTES, "JWS envelope");
    } catch (JsonFormatException e) {
      throw new EnvelopeException(e.getMessage(), e);
    }
    for (String name : root.propertyNames()) {
      if (!TOP_LEVEL_MEMBERS.contains(name)) {
        if (name.equals("signatures")) {
          throw new EnvelopeException(
              "JWS envelope uses the general JSON serialization (\"signatures\"); only the"
                  + " flattened JSON serialization is supported");
        }
        throw new EnvelopeException(
            "JWS envelope has an unexpected member \""
                + name
                + "\" (allowed: payload, protected, header, signature; names are case-sensitive)");
      }
    }
    String protectedText = requiredString(root, "protected");
    String payloadText = requiredString(root, "payload");
    String signatureText = requiredString(root, "signature");
    JsonNode unprotected = root.get("header");
    if (unprotected == null) {
      throw new EnvelopeException(
          "JWS envelope is missing the \"header\" member (the unprotected header holding x5c)");
    }
    if (!unprotected.isObject()) {
      throw new EnvelopeException(
          "JWS envelope member \"header\" must be a JSON object, found " + typeOf(unprotected));
    }

    int protectedLimit = (MAX_PROTECTED_HEADER_BYTES * 4 + 2) / 3;
    if (protectedText.length() > protectedLimit) {
      throw new EnvelopeException(
          "JWS protected header is larger than the limit of "
              + MAX_PROTECTED_HEADER_BYTES
              + " bytes");
    }
    byte[] protectedBytes = base64Url(protectedText, "protected");
    byte[] payload = base64Url(payloadText, "payload");
    byte[] signature = base64Url(signatureText, "signature");
    if (protectedBytes.length == 0) {
      throw new EnvelopeException("JWS protected header is empty");
    }
    if (payload.length == 0) {
      throw new EnvelopeException("signature is invalid. Error: payload is empty");
    }
    if (signature.length == 0) {
      throw new EnvelopeException("signature missing in jws-json envelope");
    }

    JsonNode protectedJson;
    try {
      protectedJson =
          StrictJson.parseObject(
              protectedBytes, MAX_PROTECTED_HEADER_BYTES, "JWS protected header");
    } catch (JsonFormatException e) {
      throw new EnvelopeException(e.getMessage(), e);
    }
    SignedAttributes header = JwsProtectedHeader.parse(protectedJson);

    // golang-jwt decodes the payload as JSON claims; a non-object payload never verifies there.
    try {
      StrictJson.parseObject(payload, MAX_ENVELOPE_BYTES, "JWS payload");
    } catch (JsonFormatException e) {
      throw new EnvelopeException(e.getMessage(), e);
    }

    UnprotectedHeader u = UnprotectedHeader.parse(unprotected, protectedJson);
    byte[] signingInput = (protectedText + "." + payloadText).getBytes(StandardCharsets.US_ASCII);
    return new ParsedJws(
        signingInput,
        header,
        payload,
        signature,
        u.certificateChain(),
        u.timestampToken(),
        u.signingAgent());
  }

  /** Binds the algorithm to the leaf key and verifies the signature over the signing input. */
  static void checkSignature(ParsedJws parsed) throws EnvelopeException {
    PublicKey key = parsed.certificateChain().get(0).getPublicKey();
    // Binds RSA sizes and the exact NIST curves; anything else (EdDSA, DSA, brainpool) fails.
    SignatureAlgorithm fromKey = SignatureAlgorithm.forKey(key);
    SignatureAlgorithm declared = parsed.header().algorithm();
    if (fromKey != declared) {
      throw new EnvelopeException(
          "mismatch between signature algorithm derived from signing certificate ("
              + fromKey.jwsName()
              + ") and signing algorithm specified ("
              + declared.jwsName()
              + ")");
    }
    boolean valid = declared.verify(key, parsed.signingInput(), parsed.signature());
    if (!valid && declared.isRsaPss()) {
      valid =
          PssSaltRecovery.verify(
              (RSAPublicKey) key, declared, parsed.signingInput(), parsed.signature());
    }
    if (!valid) {
      String goError =
          declared.isRsaPss()
              ? "crypto/rsa: verification error"
              : "crypto/ecdsa: verification error";
      throw new EnvelopeException(
          "signature is invalid. Error: "
              + goError
              + " (the "
              + declared.jwsName()
              + " signature does not match the signed content and the signing certificate's key)");
    }
  }

  private static String requiredString(JsonNode root, String name) throws EnvelopeException {
    JsonNode value = root.get(name);
    if (value == null) {
      throw new EnvelopeException("JWS envelope is missing the \"" + name + "\" member");
    }
    if (!value.isString()) {
      throw new EnvelopeException(
          "JWS envelope member \"" + name + "\" must be a string, found " + typeOf(value));
    }
    return value.asString();
  }

  private static byte[] base64Url(String text, String member) throws EnvelopeException {
    try {
      return StrictBase64.decodeUrlUnpadded(text);
    } catch (StrictBase64.IllegalBase64Exception e) {
      throw new EnvelopeException(
          "signature is invalid. Error: "
              + e.getMessage()
              + " (JWS member \""
              + member
              + "\" must be unpadded base64url)");
    }
  }

  static String typeOf(JsonNode node) {
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  /** The unprotected header: certificate chain, timestamp token, signing agent. */
  private record UnprotectedHeader(
      List<X509Certificate> certificateChain, byte[] timestampToken, String signingAgent) {

    static UnprotectedHeader parse(JsonNode header, JsonNode protectedHeader)
        throws EnvelopeException {
      if (header.size() > MAX_HEADER_ENTRIES) {
        throw new EnvelopeException(
            "JWS unprotected header has "
                + header.size()
                + " entries, more than the limit of "
                + MAX_HEADER_ENTRIES);
      }
      for (Map.Entry<String, JsonNode> e : header.properties()) {
        String key = e.getKey();
        if (key.equalsIgnoreCase("crit")) {
          throw new EnvelopeException(
              "\"" + key + "\" must be in the protected header, not the unprotected header");
        }
        if (protectedHeader.has(key)) {
          throw new EnvelopeException(
              "header parameter \""
                  + key
                  + "\" appears in both the protected and the unprotected header");
        }
        if (!key.equals(KEY_SIGNING_AGENT_LEGACY)) {
          for (String known : UNPROTECTED_KEYS) {
            if (!key.equals(known) && key.equalsIgnoreCase(known)) {
              throw new EnvelopeException(
                  "unprotected header key \""
                      + key
                      + "\" differs from \""
                      + known
                      + "\" only in case; header names are case-sensitive");
            }
          }
        }
      }
      if (header.has(KEY_SIGNING_AGENT) && header.has(KEY_SIGNING_AGENT_LEGACY)) {
        throw new EnvelopeException(
            "unprotected header has both \""
                + KEY_SIGNING_AGENT
                + "\" and \""
                + KEY_SIGNING_AGENT_LEGACY
                + "\"; only one signing agent is allowed");
      }
      String agentKey =
          header.has(KEY_SIGNING_AGENT) ? KEY_SIGNING_AGENT : KEY_SIGNING_AGENT_LEGACY;
      String signingAgent = null;
      JsonNode agent = header.get(agentKey);
      if (agent != null) {
        if (!agent.isString()) {
          throw new EnvelopeException(
              "unprotected header \"" + agentKey + "\" must be a string, found " + typeOf(agent));
        }
        signingAgent = agent.asString();
      }

      byte[] token = null;
      JsonNode tokenNode = header.get(KEY_TIMESTAMP);
      if (tokenNode != null) {
        if (!tokenNode.isString()) {
          throw new EnvelopeException(
              "unprotected header \""
                  + KEY_TIMESTAMP
                  + "\" must be a base64 string, found "
                  + typeOf(tokenNode));
        }
        try {
          token = StrictBase64.decodeStandardPadded(tokenNode.asString());
        } catch (StrictBase64.IllegalBase64Exception e) {
          throw new EnvelopeException(
              "unprotected header \""
                  + KEY_TIMESTAMP
                  + "\" is not standard padded base64: "
                  + e.getMessage());
        }
        // Go leaves an empty []byte, which notation treats as no countersignature.
        if (token.length == 0) {
          token = null;
        }
      }
      return new UnprotectedHeader(certificates(header.get(KEY_X5C)), token, signingAgent);
    }

    private static List<X509Certificate> certificates(JsonNode x5c) throws EnvelopeException {
      if (x5c == null || x5c.isNull()) {
        throw new EnvelopeException("certificate chain is not present");
      }
      if (!x5c.isArray()) {
        throw new EnvelopeException(
            "unprotected header \"x5c\" must be an array of base64 strings, found " + typeOf(x5c));
      }
      if (x5c.isEmpty()) {
        throw new EnvelopeException("certificate chain is not present");
      }
      if (x5c.size() > MAX_CERTIFICATES) {
        throw new EnvelopeException(
            "certificate chain in \"x5c\" has "
                + x5c.size()
                + " certificates, more than the limit of "
                + MAX_CERTIFICATES);
      }
      CertificateFactory factory;
      try {
        factory = CertificateFactory.getInstance("X.509");
      } catch (CertificateException e) {
        throw new EnvelopeException(
            "X.509 certificate parsing is unavailable: " + e.getMessage(), e);
      }
      List<X509Certificate> chain = new ArrayList<>();
      for (int i = 0; i < x5c.size(); i++) {
        JsonNode entry = x5c.get(i);
        String what =
            i == 0 ? "malformed leaf certificate" : "malformed certificate x5c[" + i + "]";
        if (!entry.isString()) {
          throw new EnvelopeException(what + ": expected a base64 string, found " + typeOf(entry));
        }
        byte[] der;
        try {
          der = StrictBase64.decodeStandardPadded(entry.asString());
        } catch (StrictBase64.IllegalBase64Exception e) {
          throw new EnvelopeException(what + ": not standard padded base64: " + e.getMessage());
        }
        chain.add(certificate(factory, der, what));
      }
      return List.copyOf(chain);
    }

    private static X509Certificate certificate(CertificateFactory factory, byte[] der, String what)
        throws EnvelopeException {
      // Only DER: the JCA factory also takes PEM text and ignores trailing bytes.
      if (der.length == 0 || der[0] != 0x30) {
        throw new EnvelopeException(what + ": not a DER-encoded certificate");
      }
      X509Certificate certificate;
      try {
        certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        if (!Arrays.equals(certificate.getEncoded(), der)) {
          throw new EnvelopeException(what + ": x509: trailing data or non-DER encoding");
        }
      } catch (CertificateException | RuntimeException e) {
        throw new EnvelopeException(what + ": " + e.getMessage(), e);
      }
      return certificate;
    }
  }
}
