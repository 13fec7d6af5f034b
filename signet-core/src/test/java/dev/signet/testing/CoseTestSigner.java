package dev.signet.testing;

import dev.signet.testkit.TestPki;
import dev.signet.cbor.Cbor;
import dev.signet.cbor.CborValue;
import dev.signet.notation.envelope.EnvelopeException;
import dev.signet.notation.envelope.SignatureAlgorithm;
import dev.signet.notation.envelope.SigningScheme;
import dev.signet.oci.Descriptor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Makes Notary COSE_Sign1 envelopes for tests: a well-formed envelope by default, with escape
 * hatches for every hostile variant (raw header values, crit overrides, raw protected bytes,
 * tampered signatures).
 *
 * <pre>{@code
 * byte[] env = CoseTestSigner.of(leaf).descriptor(target).expiry(t).sign();
 * }</pre>
 */
public final class CoseTestSigner {
  public static final Instant DEFAULT_SIGNING_TIME = Instant.parse("2025-01-02T03:04:05Z");
  private static final String CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";

  private PrivateKey privateKey;
  private List<X509Certificate> chain;
  private SignatureAlgorithm algorithm;
  private SigningScheme scheme = SigningScheme.X509;
  private Instant signingTime = DEFAULT_SIGNING_TIME;
  private Instant expiry;
  private byte[] payload;
  private CborValue payloadValue;
  private final LinkedHashMap<CborValue, CborValue> extraProtected = new LinkedHashMap<>();
  private final List<CborValue> extraCritical = new ArrayList<>();
  private List<CborValue> critOverride;
  private boolean omitCrit;
  private final LinkedHashMap<CborValue, CborValue> protectedOverrides = new LinkedHashMap<>();
  private final List<CborValue> protectedRemovals = new ArrayList<>();
  private final LinkedHashMap<CborValue, CborValue> unprotectedOverrides = new LinkedHashMap<>();
  private final List<CborValue> unprotectedRemovals = new ArrayList<>();
  private byte[] protectedBytesOverride;
  private byte[] timestampToken;
  private String signingAgent = "signet-test/1.0";
  private UnaryOperator<byte[]> signatureTamper = UnaryOperator.identity();
  private SignatureAlgorithm signWith;
  private byte[] fixedSignature;

  private CoseTestSigner(PrivateKey key, List<X509Certificate> chain) {
    this.privateKey = key;
    this.chain = List.copyOf(chain);
    this.payload =
        payloadFor(
            new Descriptor(
                "application/vnd.oci.image.manifest.v1+json",
                dev.signet.reference.Digest.sha256("signet".getBytes(StandardCharsets.UTF_8)),
                6));
  }

  /** Signs with the leaf's key; the chain is the leaf alone. */
  public static CoseTestSigner of(TestPki.Issued leaf) {
    return new CoseTestSigner(leaf.privateKey(), List.of(leaf.certificate()));
  }

  /** Signs with {@code key}; {@code chain} is leaf first. */
  public static CoseTestSigner of(PrivateKey key, List<X509Certificate> chain) {
    return new CoseTestSigner(key, chain);
  }

  /** The Notary payload JSON for a descriptor. */
  public static byte[] payloadFor(Descriptor d) {
    StringBuilder sb = new StringBuilder("{\"targetArtifact\":{");
    sb.append("\"mediaType\":\"").append(d.mediaType()).append("\",");
    sb.append("\"digest\":\"").append(d.digest()).append("\",");
    sb.append("\"size\":").append(d.size());
    if (!d.annotations().isEmpty()) {
      sb.append(",\"annotations\":{");
      boolean first = true;
      for (Map.Entry<String, String> e : d.annotations().entrySet()) {
        sb.append(first ? "" : ",")
            .append('"')
            .append(e.getKey())
            .append("\":\"")
            .append(e.getValue())
            .append('"');
        first = false;
      }
      sb.append('}');
    }
    return sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  public CoseTestSigner descriptor(Descriptor d) {
    this.payload = payloadFor(d);
    return this;
  }

  /** Raw payload bytes (need not be a Notary payload). */
  public CoseTestSigner payload(byte[] bytes) {
    this.payload = bytes.clone();
    return this;
  }

  /** Replaces the payload slot of the message (e.g. {@code CborValue.NULL} for detached). */
  public CoseTestSigner payloadValue(CborValue value) {
    this.payloadValue = value;
    return this;
  }

  public CoseTestSigner chain(List<X509Certificate> certificates) {
    this.chain = List.copyOf(certificates);
    return this;
  }

  public CoseTestSigner privateKey(PrivateKey key) {
    this.privateKey = key;
    return this;
  }

  /** The header alg; by default the algorithm of the first certificate's key. */
  public CoseTestSigner algorithm(SignatureAlgorithm alg) {
    this.algorithm = alg;
    return this;
  }

  /** The primitive used to sign, when it should differ from the header alg. */
  public CoseTestSigner signWith(SignatureAlgorithm alg) {
    this.signWith = alg;
    return this;
  }

  public CoseTestSigner scheme(SigningScheme s) {
    this.scheme = s;
    return this;
  }

  /** The signing time (or authentic signing time for the signing-authority scheme). */
  public CoseTestSigner signingTime(Instant t) {
    this.signingTime = t;
    return this;
  }

  public CoseTestSigner expiry(Instant t) {
    this.expiry = t;
    return this;
  }

  /** An extra protected attribute, added to crit when {@code critical}. */
  public CoseTestSigner attribute(CborValue label, CborValue value, boolean critical) {
    extraProtected.put(label, value);
    if (critical) {
      extraCritical.add(label);
    }
    return this;
  }

  public CoseTestSigner attribute(String label, CborValue value, boolean critical) {
    return attribute(CborValue.of(label), value, critical);
  }

  /** crit exactly as given (null: compute it). */
  public CoseTestSigner crit(List<CborValue> labels) {
    this.critOverride = labels == null ? null : List.copyOf(labels);
    return this;
  }

  /** Leave crit out entirely. */
  public CoseTestSigner omitCrit() {
    this.omitCrit = true;
    return this;
  }

  /** Sets (or replaces in place) a protected header value after the defaults are built. */
  public CoseTestSigner setProtected(CborValue label, CborValue value) {
    protectedOverrides.put(label, value);
    return this;
  }

  public CoseTestSigner setProtected(String label, CborValue value) {
    return setProtected(CborValue.of(label), value);
  }

  public CoseTestSigner removeProtected(CborValue label) {
    protectedRemovals.add(label);
    return this;
  }

  public CoseTestSigner removeProtected(String label) {
    return removeProtected(CborValue.of(label));
  }

  /** The protected bstr's content verbatim (it is still signed). */
  public CoseTestSigner protectedBytes(byte[] raw) {
    this.protectedBytesOverride = raw.clone();
    return this;
  }

  public CoseTestSigner setUnprotected(CborValue label, CborValue value) {
    unprotectedOverrides.put(label, value);
    return this;
  }

  public CoseTestSigner removeUnprotected(CborValue label) {
    unprotectedRemovals.add(label);
    return this;
  }

  public CoseTestSigner timestampToken(byte[] token) {
    this.timestampToken = token == null ? null : token.clone();
    return this;
  }

  public CoseTestSigner signingAgent(String agent) {
    this.signingAgent = agent;
    return this;
  }

  /** Uses these bytes as the signature and does not sign at all (e.g. for keys the JDK lacks). */
  public CoseTestSigner signature(byte[] raw) {
    this.fixedSignature = raw.clone();
    return this;
  }

  /** Transforms the signature bytes after signing (e.g. flip a bit, empty it). */
  public CoseTestSigner tamperSignature(UnaryOperator<byte[]> tamper) {
    this.signatureTamper = tamper;
    return this;
  }

  /** The protected header map as it will be encoded. */
  public CborValue.Map protectedHeader() {
    SignatureAlgorithm alg = algorithm != null ? algorithm : keyAlgorithm();
    LinkedHashMap<CborValue, CborValue> m = new LinkedHashMap<>();
    m.put(CborValue.of(1), CborValue.of(alg.coseId()));
    List<CborValue> crit = new ArrayList<>();
    crit.add(CborValue.of("io.cncf.notary.signingScheme"));
    if (scheme == SigningScheme.X509_SIGNING_AUTHORITY) {
      crit.add(CborValue.of("io.cncf.notary.authenticSigningTime"));
    }
    if (expiry != null) {
      crit.add(CborValue.of("io.cncf.notary.expiry"));
    }
    crit.addAll(extraCritical);
    if (critOverride != null) {
      crit = critOverride;
    }
    if (!omitCrit) {
      m.put(CborValue.of(2), new CborValue.Array(crit));
    }
    m.put(CborValue.of(3), CborValue.of(CONTENT_TYPE));
    m.put(CborValue.of("io.cncf.notary.signingScheme"), CborValue.of(scheme.value()));
    String timeLabel =
        scheme == SigningScheme.X509_SIGNING_AUTHORITY
            ? "io.cncf.notary.authenticSigningTime"
            : "io.cncf.notary.signingTime";
    m.put(CborValue.of(timeLabel), epoch(signingTime));
    if (expiry != null) {
      m.put(CborValue.of("io.cncf.notary.expiry"), epoch(expiry));
    }
    m.putAll(extraProtected);
    m.putAll(protectedOverrides);
    protectedRemovals.forEach(m::remove);
    return toMap(m);
  }

  /** A tag 1 epoch time in integer seconds. */
  public static CborValue epoch(Instant t) {
    return new CborValue.Tag(1, CborValue.of(t.getEpochSecond()));
  }

  /** The finished envelope bytes. */
  public byte[] sign() {
    return Cbor.encode(message());
  }

  /** The finished envelope as a CBOR value (tag 18). */
  public CborValue.Tag message() {
    byte[] protectedBytes =
        protectedBytesOverride != null ? protectedBytesOverride : Cbor.encode(protectedHeader());
    LinkedHashMap<CborValue, CborValue> u = new LinkedHashMap<>();
    List<CborValue> certs = new ArrayList<>();
    try {
      for (X509Certificate c : chain) {
        certs.add(CborValue.of(c.getEncoded()));
      }
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    u.put(CborValue.of(33), new CborValue.Array(certs));
    if (timestampToken != null) {
      u.put(CborValue.of("io.cncf.notary.timestampSignature"), CborValue.of(timestampToken));
    }
    if (signingAgent != null) {
      u.put(CborValue.of("io.cncf.notary.signingAgent"), CborValue.of(signingAgent));
    }
    u.putAll(unprotectedOverrides);
    unprotectedRemovals.forEach(u::remove);

    byte[] toBeSigned =
        Cbor.encode(
            new CborValue.Array(
                CborValue.of("Signature1"),
                CborValue.of(protectedBytes),
                CborValue.of(new byte[0]),
                CborValue.of(payload)));
    SignatureAlgorithm primitive =
        signWith != null ? signWith : algorithm != null ? algorithm : keyAlgorithm();
    byte[] signature =
        signatureTamper.apply(
            fixedSignature != null
                ? fixedSignature.clone()
                : rawSign(primitive, privateKey, toBeSigned));
    return new CborValue.Tag(
        18,
        new CborValue.Array(
            CborValue.of(protectedBytes),
            toMap(u),
            payloadValue != null ? payloadValue : CborValue.of(payload),
            CborValue.of(signature)));
  }

  /** RSASSA-PSS (salt = hash length) or ECDSA in raw r||s form. */
  public static byte[] rawSign(SignatureAlgorithm alg, PrivateKey key, byte[] data) {
    try {
      Signature s;
      if (alg.isRsaPss()) {
        s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(
            new PSSParameterSpec(
                alg.hash(), "MGF1", new MGF1ParameterSpec(alg.hash()), alg.hashLength(), 1));
      } else {
        s = Signature.getInstance(alg.hash().replace("-", "") + "withECDSAinP1363Format");
      }
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private SignatureAlgorithm keyAlgorithm() {
    if (chain.isEmpty()) {
      return SignatureAlgorithm.PS256;
    }
    try {
      return SignatureAlgorithm.forKey(chain.get(0).getPublicKey());
    } catch (EnvelopeException e) {
      // Unsupported test keys (RSA 1024, P-224) still sign; the header then claims PS256 / ES256.
      return chain.get(0).getPublicKey().getAlgorithm().equals("RSA")
          ? SignatureAlgorithm.PS256
          : SignatureAlgorithm.ES256;
    }
  }

  private static CborValue.Map toMap(LinkedHashMap<CborValue, CborValue> m) {
    List<CborValue.Entry> entries = new ArrayList<>();
    m.forEach((k, v) -> entries.add(new CborValue.Entry(k, v)));
    return new CborValue.Map(entries);
  }
}
