package dev.signet.testing;

// Builds Notary Project JWS envelopes (signature-envelope-jws.md) for tests, including hostile
// variants: every header value, the crit list, the encodings and the signature can be overridden.

import dev.signet.testkit.TestPki;
import dev.signet.json.StrictJson;
import dev.signet.notation.envelope.SignatureAlgorithm;
import dev.signet.notation.envelope.SigningScheme;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A JWS envelope signer for tests.
 *
 * <pre>{@code
 * TestPki.Issued leaf = TestPki.leaf("CN=Leaf").keyType(KeyType.EC_P256).issuedBy(root);
 * byte[] envelope = JwsTestSigner.of(leaf, root.certificate()).sign().bytes();
 * }</pre>
 */
public final class JwsTestSigner {
  public static final String PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";
  public static final String DEFAULT_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String DEFAULT_DIGEST =
      "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0";
  public static final Instant DEFAULT_SIGNING_TIME = Instant.parse("2024-01-02T03:04:05Z");

  /** Marks a protected header entry for removal in {@link #protectedEntry}. */
  public static final Object REMOVE = new Object();

  private final PrivateKey key;
  private final List<X509Certificate> chain;
  private SignatureAlgorithm algorithm;
  private String algHeader;
  private SigningScheme scheme = SigningScheme.X509;
  private String signingTime = DEFAULT_SIGNING_TIME.toString();
  private String authenticSigningTime;
  private String expiry;
  private String mediaType = DEFAULT_MEDIA_TYPE;
  private String digest = DEFAULT_DIGEST;
  private long size = 481;
  private byte[] payloadOverride;
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private final List<String> extraCritical = new ArrayList<>();
  private Object critOverride;
  private final Map<String, Object> protectedOverrides = new LinkedHashMap<>();
  private byte[] protectedOverride;
  private byte[] timestampToken;
  private String signingAgent = "signet-test/1.0";
  private Integer pssSaltLength;

  private JwsTestSigner(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = List.copyOf(chain);
  }

  /** A signer with this key and x5c chain (leaf first). */
  public static JwsTestSigner of(PrivateKey key, List<X509Certificate> chain) {
    return new JwsTestSigner(key, chain);
  }

  /** A signer for a TestPki leaf followed by the rest of its chain. */
  public static JwsTestSigner of(TestPki.Issued leaf, X509Certificate... rest) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf.certificate());
    chain.addAll(List.of(rest));
    return new JwsTestSigner(leaf.privateKey(), chain);
  }

  /** The algorithm used to sign (default: bound to the leaf key). Also sets the header. */
  public JwsTestSigner algorithm(SignatureAlgorithm algorithm) {
    this.algorithm = algorithm;
    return this;
  }

  /** The {@code alg} header text, independent of the algorithm actually used to sign. */
  public JwsTestSigner algHeader(String alg) {
    this.algHeader = alg;
    return this;
  }

  /** The signing scheme; SA switches the signing time to an authentic signing time. */
  public JwsTestSigner scheme(SigningScheme scheme) {
    this.scheme = scheme;
    if (scheme == SigningScheme.X509_SIGNING_AUTHORITY && authenticSigningTime == null) {
      authenticSigningTime = signingTime;
      signingTime = null;
    }
    return this;
  }

  public JwsTestSigner signingTime(Instant time) {
    return signingTime(time == null ? null : time.toString());
  }

  /** The raw signingTime header text (null omits it). */
  public JwsTestSigner signingTime(String text) {
    this.signingTime = text;
    return this;
  }

  public JwsTestSigner authenticSigningTime(Instant time) {
    return authenticSigningTime(time == null ? null : time.toString());
  }

  /** The raw authenticSigningTime header text (null omits it). */
  public JwsTestSigner authenticSigningTime(String text) {
    this.authenticSigningTime = text;
    return this;
  }

  public JwsTestSigner expiry(Instant time) {
    return expiry(time == null ? null : time.toString());
  }

  /** The raw expiry header text (null omits it); listed in crit by default. */
  public JwsTestSigner expiry(String text) {
    this.expiry = text;
    return this;
  }

  /** The target artifact descriptor in the payload. */
  public JwsTestSigner payloadDescriptor(String mediaType, String digest, long size) {
    this.mediaType = mediaType;
    this.digest = digest;
    this.size = size;
    return this;
  }

  /** Raw payload bytes, replacing the descriptor payload. */
  public JwsTestSigner payload(byte[] payload) {
    this.payloadOverride = payload.clone();
    return this;
  }

  /** Raw payload JSON text. */
  public JwsTestSigner payload(String json) {
    return payload(json.getBytes(StandardCharsets.UTF_8));
  }

  /** An extended protected attribute, listed in crit when {@code critical}. */
  public JwsTestSigner attribute(String key, Object value, boolean critical) {
    extra.put(key, value);
    if (critical) {
      extraCritical.add(key);
    }
    return this;
  }

  /** Replaces the computed crit value with any JSON value (a list, a string, null...). */
  public JwsTestSigner critValue(Object value) {
    this.critOverride = value;
    return this;
  }

  /** Replaces the crit list. */
  public JwsTestSigner crit(String... keys) {
    return critValue(List.of(keys));
  }

  /** Sets ({@link #REMOVE} deletes) any protected header entry after the defaults are built. */
  public JwsTestSigner protectedEntry(String key, Object value) {
    protectedOverrides.put(key, value);
    return this;
  }

  /** Uses these bytes as the protected header verbatim (before base64url). */
  public JwsTestSigner protectedHeader(String json) {
    this.protectedOverride = json.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** The RFC 3161 token to place in the unprotected header. */
  public JwsTestSigner timestampToken(byte[] token) {
    this.timestampToken = token == null ? null : token.clone();
    return this;
  }

  /** The signing agent (null omits it). */
  public JwsTestSigner signingAgent(String agent) {
    this.signingAgent = agent;
    return this;
  }

  /** The RSASSA-PSS salt length (default: the hash length). */
  public JwsTestSigner pssSaltLength(int saltLength) {
    this.pssSaltLength = saltLength;
    return this;
  }

  /** The protected header as it will be encoded. */
  public Map<String, Object> protectedHeaderMap() throws GeneralSecurityException {
    SignatureAlgorithm alg = signingAlgorithm();
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("alg", algHeader != null ? algHeader : alg.jwsName());
    List<String> crit = new ArrayList<>();
    crit.add("io.cncf.notary.signingScheme");
    if (expiry != null) {
      crit.add("io.cncf.notary.expiry");
    }
    if (scheme == SigningScheme.X509_SIGNING_AUTHORITY && authenticSigningTime != null) {
      crit.add("io.cncf.notary.authenticSigningTime");
    }
    crit.addAll(extraCritical);
    h.put("crit", critOverride != null ? critOverride : crit);
    h.put("cty", PAYLOAD_CONTENT_TYPE);
    h.put("io.cncf.notary.signingScheme", scheme.value());
    if (signingTime != null) {
      h.put("io.cncf.notary.signingTime", signingTime);
    }
    if (authenticSigningTime != null) {
      h.put("io.cncf.notary.authenticSigningTime", authenticSigningTime);
    }
    if (expiry != null) {
      h.put("io.cncf.notary.expiry", expiry);
    }
    h.putAll(extra);
    for (Map.Entry<String, Object> e : protectedOverrides.entrySet()) {
      if (e.getValue() == REMOVE) {
        h.remove(e.getKey());
      } else {
        h.put(e.getKey(), e.getValue());
      }
    }
    return h;
  }

  /** Signs and returns the envelope parts. */
  public Envelope sign() {
    try {
      byte[] protectedBytes =
          protectedOverride != null
              ? protectedOverride
              : StrictJson.MAPPER.writeValueAsBytes(protectedHeaderMap());
      byte[] payload = payloadOverride != null ? payloadOverride : descriptorPayload();
      String protectedText = base64Url(protectedBytes);
      String payloadText = base64Url(payload);
      byte[] signature =
          signRaw(
              signingAlgorithm(),
              (protectedText + "." + payloadText).getBytes(StandardCharsets.US_ASCII));
      Map<String, Object> header = new LinkedHashMap<>();
      List<String> x5c = new ArrayList<>();
      for (X509Certificate c : chain) {
        x5c.add(Base64.getEncoder().encodeToString(c.getEncoded()));
      }
      header.put("x5c", x5c);
      if (signingAgent != null) {
        header.put("io.cncf.notary.signingAgent", signingAgent);
      }
      if (timestampToken != null) {
        header.put(
            "io.cncf.notary.timestampSignature",
            Base64.getEncoder().encodeToString(timestampToken));
      }
      return new Envelope(protectedText, payloadText, base64Url(signature), header);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The payload bytes this signer produces by default. */
  public byte[] descriptorPayload() {
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("mediaType", mediaType);
    target.put("digest", digest);
    target.put("size", size);
    return StrictJson.MAPPER.writeValueAsBytes(Map.of("targetArtifact", target));
  }

  private SignatureAlgorithm signingAlgorithm() throws GeneralSecurityException {
    if (algorithm != null) {
      return algorithm;
    }
    try {
      return SignatureAlgorithm.forKey(chain.get(0).getPublicKey());
    } catch (dev.signet.notation.envelope.EnvelopeException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private byte[] signRaw(SignatureAlgorithm alg, byte[] data) throws GeneralSecurityException {
    Signature s;
    if (alg.isRsaPss()) {
      s = Signature.getInstance("RSASSA-PSS");
      int salt = pssSaltLength != null ? pssSaltLength : alg.hashLength();
      s.setParameter(
          new PSSParameterSpec(alg.hash(), "MGF1", new MGF1ParameterSpec(alg.hash()), salt, 1));
    } else {
      s = Signature.getInstance(alg.hash().replace("-", "") + "withECDSAinP1363Format");
    }
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  /** Unpadded base64url. */
  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The four members of a flattened JWS. Change any part with the {@code with*} methods to make
   * hostile variants, then call {@link #bytes()}.
   */
  public record Envelope(
      String protectedText, String payloadText, String signatureText, Map<String, Object> header) {

    public Envelope {
      header = new LinkedHashMap<>(header);
    }

    public Envelope withProtectedText(String text) {
      return new Envelope(text, payloadText, signatureText, header);
    }

    public Envelope withPayloadText(String text) {
      return new Envelope(protectedText, text, signatureText, header);
    }

    public Envelope withSignatureText(String text) {
      return new Envelope(protectedText, payloadText, text, header);
    }

    /** Edits the unprotected header ({@code null} from the operator keeps it as is). */
    public Envelope withHeader(UnaryOperator<Map<String, Object>> edit) {
      Map<String, Object> copy = new LinkedHashMap<>(header);
      Map<String, Object> edited = edit.apply(copy);
      return new Envelope(
          protectedText, payloadText, signatureText, edited == null ? copy : edited);
    }

    /** The members as an ordered map, for tests that add, drop or retype members. */
    public Map<String, Object> members() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("payload", payloadText);
      m.put("protected", protectedText);
      m.put("header", header);
      m.put("signature", signatureText);
      return m;
    }

    /** The envelope JSON. */
    public byte[] bytes() {
      return json(members());
    }

    public String text() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Serializes any members map (after edits) as the envelope JSON. */
    public static byte[] json(Map<String, Object> members) {
      return StrictJson.MAPPER.writeValueAsBytes(members);
    }
  }
}
