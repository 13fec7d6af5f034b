package dev.signet.notation.envelope;

import static dev.signet.notation.envelope.NotaryHeaders.AUTHENTIC_SIGNING_TIME;
import static dev.signet.notation.envelope.NotaryHeaders.EXPIRY;
import static dev.signet.notation.envelope.NotaryHeaders.SIGNING_AGENT;
import static dev.signet.notation.envelope.NotaryHeaders.SIGNING_SCHEME;
import static dev.signet.notation.envelope.NotaryHeaders.SIGNING_TIME;
import static dev.signet.notation.envelope.NotaryHeaders.TIMESTAMP_SIGNATURE;

// Notary Project "COSE Sign1 signature envelope" (specs/signature-envelope-cose.md) on RFC 9052
// COSE_Sign1, with notation-core-go's header rules where the specification is silent.

import dev.signet.cbor.Cbor;
import dev.signet.cbor.CborException;
import dev.signet.cbor.CborLimits;
import dev.signet.cbor.CborValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * Parses and verifies a Notary COSE_Sign1 envelope ({@code application/cose}): strict decoding,
 * header rules, the leaf key's algorithm bound to the header {@code alg}, and the signature over
 * the {@code Sig_structure}. The certificate chain rules, trust and payload-versus-target checks
 * are left to the caller.
 */
public final class CoseEnvelope {
  /** The envelope media type. */
  public static final String MEDIA_TYPE = "application/cose";

  /** The only payload content type Notary signs. */
  public static final String PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";

  static final int MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;
  static final int MAX_PROTECTED_HEADER_BYTES = 256 * 1024;
  static final int MAX_CERTIFICATES = 10;
  private static final CborLimits LIMITS = new CborLimits(16, 10_000);

  static final long LABEL_ALG = 1;
  static final long LABEL_CRIT = 2;
  static final long LABEL_CONTENT_TYPE = 3;
  static final long LABEL_X5CHAIN = 33;
  private static final long TAG_COSE_SIGN1 = 18;
  private static final long TAG_EPOCH_TIME = 1;


  private static final Set<CborValue> NOTARY_PROTECTED_LABELS =
      Set.of(
          CborValue.of(LABEL_ALG),
          CborValue.of(LABEL_CRIT),
          CborValue.of(LABEL_CONTENT_TYPE),
          CborValue.of(SIGNING_SCHEME),
          CborValue.of(SIGNING_TIME),
          CborValue.of(AUTHENTIC_SIGNING_TIME),
          CborValue.of(EXPIRY));

  private CoseEnvelope() {}

  /**
   * The decoded protected header: the signed attributes (times are null when absent or not used
   * by the scheme) and the labels its {@code crit} list names.
   */
  record ProtectedHeader(SignedAttributes signed, List<CborValue> critical) {}

  /** The decoded unprotected header; {@code certificates} is empty when x5chain is absent. */
  record UnprotectedHeader(List<byte[]> certificates, byte[] timestampToken, String signingAgent) {}

  /** A structurally valid envelope whose signature has not been checked yet. */
  record Parsed(
      byte[] protectedBytes,
      ProtectedHeader protectedHeader,
      UnprotectedHeader unprotectedHeader,
      byte[] payload,
      byte[] signature) {}

  /**
   * Parses the envelope and verifies its signature with the leaf certificate's key.
   *
   * @return the envelope's content, every field filled
   * @throws EnvelopeException when the envelope is malformed, breaks a header rule, uses a key or
   *     algorithm outside the six Notary algorithms, or its signature does not verify
   */
  public static EnvelopeContent verify(byte[] envelope) throws EnvelopeException {
    Parsed parsed = parse(envelope);
    SignedAttributes header = parsed.protectedHeader().signed();
    List<X509Certificate> chain = certificates(parsed.unprotectedHeader().certificates());

    // The key decides the algorithm; an unsupported key fails before any signature work.
    SignatureAlgorithm keyAlgorithm = SignatureAlgorithm.forKey(chain.get(0).getPublicKey());
    if (keyAlgorithm != header.algorithm()) {
      throw new EnvelopeException(
          "signature is invalid. Error: algorithm mismatch: verifier "
              + keyAlgorithm
              + ": header "
              + header.algorithm()
              + " (the signing certificate's key requires "
              + keyAlgorithm
              + ")");
    }
    byte[] toBeSigned = sigStructure(parsed.protectedBytes(), parsed.payload());
    if (!keyAlgorithm.verify(chain.get(0).getPublicKey(), toBeSigned, parsed.signature())) {
      throw new EnvelopeException("signature is invalid. Error: verification error");
    }

    // Generic envelope checks (checklist 3.8), on authenticated content only.
    if (parsed.payload().length == 0) {
      throw new EnvelopeException("envelope payload can't be empty");
    }
    Instant effectiveTime =
        header.signingScheme() == SigningScheme.X509_SIGNING_AUTHORITY
            ? header.authenticSigningTime()
            : header.signingTime();
    if (effectiveTime == null) {
      throw new EnvelopeException("signing-time not present");
    }
    if (header.expiry() != null && !header.expiry().isAfter(effectiveTime)) {
      throw new EnvelopeException("expiry cannot be equal or before the signing time");
    }
    NotaryPayload.check(parsed.payload());

    UnprotectedHeader unprotected = parsed.unprotectedHeader();
    return EnvelopeContent.of(
        parsed.payload(),
        header,
        chain,
        parsed.signature(),
        unprotected.timestampToken(),
        unprotected.signingAgent());
  }

  /** {@code ["Signature1", protected, h'', payload]} with definite lengths (RFC 9052 4.4). */
  static byte[] sigStructure(byte[] protectedBytes, byte[] payload) {
    return Cbor.encode(
        new CborValue.Array(
            CborValue.of("Signature1"),
            CborValue.of(protectedBytes),
            CborValue.of(new byte[0]),
            CborValue.of(payload)));
  }

  /** Decodes the envelope and applies every header rule that needs no key. */
  static Parsed parse(byte[] envelope) throws EnvelopeException {
    if (envelope == null || envelope.length == 0) {
      throw new EnvelopeException("COSE envelope is empty");
    }
    if (envelope.length > MAX_ENVELOPE_BYTES) {
      throw new EnvelopeException(
          "COSE envelope is " + envelope.length + " bytes, larger than the limit of 32 MiB");
    }
    if (envelope.length < 2 || (envelope[0] & 0xff) != 0xd2 || (envelope[1] & 0xff) != 0x84) {
      throw new EnvelopeException(
          "cbor: invalid COSE_Sign1_Tagged object (expected tag 18 and an array of 4, 0xD2 0x84)");
    }
    CborValue decoded;
    try {
      decoded = Cbor.decode(envelope, LIMITS);
    } catch (CborException e) {
      throw new EnvelopeException("malformed COSE envelope: " + e.getMessage(), e);
    }
    if (!(decoded instanceof CborValue.Tag tag)
        || tag.number() != TAG_COSE_SIGN1
        || !(tag.content() instanceof CborValue.Array message)
        || message.size() != 4) {
      throw new EnvelopeException("cbor: invalid COSE_Sign1_Tagged object");
    }
    // go-cose decodes the message with tags forbidden: only the protected bstr may carry them.
    for (int i = 0; i < 4; i++) {
      if (containsTag(message.get(i))) {
        throw new EnvelopeException(
            "malformed COSE envelope: CBOR tags are not allowed outside the protected header");
      }
    }
    if (!(message.get(0) instanceof CborValue.Bytes protectedBstr)) {
      throw new EnvelopeException(
          "malformed COSE envelope: protected header must be a byte string");
    }
    if (!(message.get(1) instanceof CborValue.Map unprotectedMap)) {
      throw new EnvelopeException("malformed COSE envelope: unprotected header must be a map");
    }
    byte[] payload;
    if (message.get(2) instanceof CborValue.Bytes p) {
      payload = p.value();
    } else if (message.get(2) instanceof CborValue.Null) {
      throw new EnvelopeException(
          "detached payload is not supported: the COSE envelope must carry its payload");
    } else {
      throw new EnvelopeException("malformed COSE envelope: payload must be a byte string");
    }
    if (!(message.get(3) instanceof CborValue.Bytes signatureBstr)) {
      throw new EnvelopeException("malformed COSE envelope: signature must be a byte string");
    }
    if (signatureBstr.value().length == 0) {
      throw new EnvelopeException("signature missing in COSE envelope");
    }

    byte[] protectedBytes = protectedBstr.value();
    CborValue.Map protectedMap = protectedMap(protectedBytes);
    ProtectedHeader header = protectedHeader(protectedMap);
    UnprotectedHeader unprotected = unprotectedHeader(unprotectedMap, protectedMap);
    return new Parsed(protectedBytes, header, unprotected, payload, signatureBstr.value());
  }

  private static CborValue.Map protectedMap(byte[] bytes) throws EnvelopeException {
    if (bytes.length == 0) {
      // RFC 9052: an empty protected header is a zero-length bstr; Notary needs alg, so fail.
      throw new EnvelopeException("algorithm not found");
    }
    if (bytes.length > MAX_PROTECTED_HEADER_BYTES) {
      throw new EnvelopeException(
          "protected header is "
              + bytes.length
              + " bytes, larger than the limit of "
              + MAX_PROTECTED_HEADER_BYTES);
    }
    CborValue value;
    try {
      value = Cbor.decode(bytes, LIMITS);
    } catch (CborException e) {
      throw new EnvelopeException("malformed COSE protected header: " + e.getMessage(), e);
    }
    if (!(value instanceof CborValue.Map map)) {
      throw new EnvelopeException("malformed COSE protected header: must be a map");
    }
    checkLabels(map, "protected");
    return map;
  }

  private static void checkLabels(CborValue.Map map, String bucket) throws EnvelopeException {
    for (CborValue.Entry e : map.entries()) {
      if (!(e.key() instanceof CborValue.Int) && !(e.key() instanceof CborValue.Text)) {
        throw new EnvelopeException(
            "malformed COSE "
                + bucket
                + " header: label "
                + e.key()
                + " must be an int or a text string");
      }
    }
  }

  private static ProtectedHeader protectedHeader(CborValue.Map map) throws EnvelopeException {
    // crit (label 2): RFC 9052 3.1, as go-cose enforces it.
    List<CborValue> critical = new ArrayList<>();
    CborValue critValue = map.get(LABEL_CRIT);
    if (critValue != null) {
      if (!(critValue instanceof CborValue.Array crit)) {
        throw new EnvelopeException("invalid crit header");
      }
      if (crit.size() == 0) {
        throw new EnvelopeException("empty crit header");
      }
      Set<CborValue> seen = new HashSet<>();
      for (CborValue label : crit.items()) {
        if (!(label instanceof CborValue.Int) && !(label instanceof CborValue.Text)) {
          throw new EnvelopeException(
              "invalid crit header: label " + label + " must be an int or a text string");
        }
        if (!seen.add(label)) {
          throw new EnvelopeException("invalid crit header: label " + label + " is listed twice");
        }
        if (!map.containsKey(label)) {
          throw new EnvelopeException("missing critical header: " + plain(label));
        }
        critical.add(label);
      }
    }

    // Signing scheme first: it decides which headers must be critical.
    if (!(map.get(SIGNING_SCHEME) instanceof CborValue.Text schemeText)) {
      throw new EnvelopeException("invalid signingScheme");
    }
    SigningScheme scheme = SigningScheme.fromValue(schemeText.value());
    Set<String> mustBeCritical = new LinkedHashSet<>();
    mustBeCritical.add(SIGNING_SCHEME);
    if (scheme == SigningScheme.X509_SIGNING_AUTHORITY) {
      mustBeCritical.add(AUTHENTIC_SIGNING_TIME);
    }
    if (map.containsKey(CborValue.of(EXPIRY))) {
      mustBeCritical.add(EXPIRY);
    }
    for (CborValue label : critical) {
      if (label instanceof CborValue.Text t) {
        mustBeCritical.remove(t.value());
      }
    }
    if (!mustBeCritical.isEmpty()) {
      throw new EnvelopeException(
          "these required headers are not marked as critical: ["
              + String.join(" ", mustBeCritical)
              + "]");
    }

    CborValue algValue = map.get(LABEL_ALG);
    if (algValue == null) {
      throw new EnvelopeException("algorithm not found");
    }
    SignatureAlgorithm algorithm = null;
    if (algValue instanceof CborValue.Int alg) {
      for (SignatureAlgorithm candidate : SignatureAlgorithm.values()) {
        if (candidate.coseId() == alg.value()) {
          algorithm = candidate;
        }
      }
    }
    if (algorithm == null) {
      throw new EnvelopeException("signature algorithm not supported: " + plain(algValue));
    }

    CborValue ctyValue = map.get(LABEL_CONTENT_TYPE);
    if (ctyValue == null) {
      throw new EnvelopeException("missing content type");
    }
    if (!(ctyValue instanceof CborValue.Text cty)) {
      throw new EnvelopeException("content type should be of 'tstr' type");
    }
    if (!PAYLOAD_CONTENT_TYPE.equals(cty.value())) {
      throw new EnvelopeException(
          "payload content type \""
              + cty.value()
              + "\" not supported: Notary requires \""
              + PAYLOAD_CONTENT_TYPE
              + "\"");
    }

    if (scheme == null) {
      throw new EnvelopeException("unsupported signingScheme: " + schemeText.value());
    }
    boolean x509 = scheme == SigningScheme.X509;
    Instant time = time(map, scheme.timeHeader(), x509 ? "signingTime" : "authenticSigningTime");
    Instant signingTime = x509 ? time : null;
    Instant authenticSigningTime = x509 ? null : time;
    scheme.refuseOtherTime(header -> map.containsKey(CborValue.of(header)));
    Instant expiry = map.containsKey(CborValue.of(EXPIRY)) ? time(map, EXPIRY, "expiry") : null;

    Set<CborValue> criticalSet = new HashSet<>(critical);
    List<ExtendedAttribute> extended = new ArrayList<>();
    Set<String> extendedKeys = new HashSet<>();
    for (CborValue.Entry e : map.entries()) {
      if (NOTARY_PROTECTED_LABELS.contains(e.key())) {
        continue;
      }
      String key = plain(e.key());
      if (!extendedKeys.add(key)) {
        throw new EnvelopeException(
            "ambiguous protected header: labels " + key + " and \"" + key + "\" are both present");
      }
      extended.add(new ExtendedAttribute(key, toJava(e.value()), criticalSet.contains(e.key())));
    }
    return new ProtectedHeader(
        new SignedAttributes(
            algorithm, cty.value(), scheme, signingTime, authenticSigningTime, expiry, extended),
        List.copyOf(critical));
  }

  /** A tag 1 epoch time (integer or floating seconds), as notation-core-go requires. */
  private static Instant time(CborValue.Map map, String label, String name)
      throws EnvelopeException {
    CborValue value = map.get(label);
    String prefix = "invalid " + name + ": ";
    if (value == null) {
      throw new EnvelopeException(prefix + "protected header \"" + label + "\" is missing");
    }
    if (!(value instanceof CborValue.Tag tag)) {
      throw new EnvelopeException(prefix + "time value does not have a tag");
    }
    if (tag.number() != TAG_EPOCH_TIME) {
      throw new EnvelopeException(
          prefix
              + "only Tag `1` Datetime CBOR object is supported (found tag "
              + tag.number()
              + ")");
    }
    try {
      if (tag.content() instanceof CborValue.Int seconds) {
        return Instant.ofEpochSecond(seconds.value());
      }
      if (tag.content() instanceof CborValue.Float seconds && Double.isFinite(seconds.value())) {
        BigDecimal exact = new BigDecimal(seconds.value());
        BigDecimal whole = exact.setScale(0, RoundingMode.FLOOR);
        long nanos =
            exact.subtract(whole).movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
      }
    } catch (DateTimeException | ArithmeticException e) {
      throw new EnvelopeException(prefix + "epoch time " + tag.content() + " is out of range");
    }
    throw new EnvelopeException(
        prefix + "tag 1 must hold an integer or a finite floating-point number of seconds");
  }

  private static UnprotectedHeader unprotectedHeader(CborValue.Map map, CborValue.Map protectedMap)
      throws EnvelopeException {
    checkLabels(map, "unprotected");
    for (CborValue.Entry e : map.entries()) {
      if (e.key().equals(CborValue.of(LABEL_CRIT))) {
        throw new EnvelopeException(
            "malformed COSE unprotected header: crit (label 2) is only allowed in the protected"
                + " header");
      }
      if (protectedMap.containsKey(e.key())) {
        throw new EnvelopeException(
            "malformed COSE header: label "
                + e.key()
                + " is present in both the protected and unprotected headers");
      }
    }

    List<byte[]> certificates = new ArrayList<>();
    CborValue x5chain = map.get(LABEL_X5CHAIN);
    if (x5chain != null) {
      if (!(x5chain instanceof CborValue.Array chain)) {
        throw new EnvelopeException(
            "certificate chain is not present: x5chain (label 33) must be an array of DER"
                + " certificates");
      }
      if (chain.size() > MAX_CERTIFICATES) {
        throw new EnvelopeException(
            "certificate chain has "
                + chain.size()
                + " certificates, more than the limit of "
                + MAX_CERTIFICATES);
      }
      for (int i = 0; i < chain.size(); i++) {
        if (!(chain.get(i) instanceof CborValue.Bytes der)) {
          throw new EnvelopeException(
              i == 0
                  ? "COSE envelope malformed leaf certificate"
                  : "COSE envelope malformed certificate at position "
                      + i
                      + " of x5chain: not a byte string");
        }
        certificates.add(der.value());
      }
    }

    byte[] timestampToken = null;
    CborValue tst = map.get(TIMESTAMP_SIGNATURE);
    if (tst != null) {
      if (!(tst instanceof CborValue.Bytes token) || token.value().length == 0) {
        throw new EnvelopeException(
            "invalid " + TIMESTAMP_SIGNATURE + ": must be a non-empty byte string");
      }
      timestampToken = token.value();
    }
    String signingAgent = null;
    CborValue agent = map.get(SIGNING_AGENT);
    if (agent != null) {
      if (!(agent instanceof CborValue.Text text)) {
        throw new EnvelopeException("invalid " + SIGNING_AGENT + ": must be a text string");
      }
      signingAgent = text.value();
    }
    return new UnprotectedHeader(List.copyOf(certificates), timestampToken, signingAgent);
  }

  private static List<X509Certificate> certificates(List<byte[]> ders) throws EnvelopeException {
    if (ders.isEmpty()) {
      throw new EnvelopeException("certificate chain is not present");
    }
    List<X509Certificate> chain = new ArrayList<>(ders.size());
    for (int i = 0; i < ders.size(); i++) {
      try {
        chain.add(certificate(ders.get(i)));
      } catch (CertificateException | IOException | RuntimeException e) {
        throw new EnvelopeException(
            i == 0
                ? "malformed leaf certificate"
                : "malformed certificate at position " + i + " of x5chain: " + e.getMessage(),
            e);
      }
    }
    return chain;
  }

  private static X509Certificate certificate(byte[] der) throws CertificateException, IOException {
    // One DER object, nothing after it: the JDK factory would ignore trailing bytes or accept PEM.
    if (der.length == 0 || der[0] != 0x30) {
      throw new CertificateException("not a DER certificate");
    }
    ASN1Primitive.fromByteArray(der);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  /** The payload must be a Notary payload: {@code {"targetArtifact": descriptor}} (checklist 2). */
  private static boolean containsTag(CborValue value) {
    return switch (value) {
      case CborValue.Tag t -> true;
      case CborValue.Array a -> a.items().stream().anyMatch(CoseEnvelope::containsTag);
      case CborValue.Map m ->
          m.entries().stream().anyMatch(e -> containsTag(e.key()) || containsTag(e.value()));
      default -> false;
    };
  }

  /** A label as a user reads it: ints as digits, text without quotes. */
  private static String plain(CborValue label) {
    return label instanceof CborValue.Text t ? t.value() : label.toString();
  }

  /** CBOR to the plain Java values {@link ExtendedAttribute} documents; tags stay as CBOR. */
  private static Object toJava(CborValue value) {
    return switch (value) {
      case CborValue.Int i -> i.value();
      case CborValue.Text t -> t.value();
      case CborValue.Bytes b -> b.value().clone();
      case CborValue.Bool b -> b.value();
      case CborValue.Null n -> null;
      case CborValue.Float f -> f.value();
      case CborValue.Array a -> {
        List<Object> list = new ArrayList<>();
        for (CborValue item : a.items()) {
          list.add(toJava(item));
        }
        yield Collections.unmodifiableList(list);
      }
      case CborValue.Map m -> {
        LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
        for (CborValue.Entry e : m.entries()) {
          out.put(toJava(e.key()), toJava(e.value()));
        }
        yield Collections.unmodifiableMap(out);
      }
      case CborValue.Tag t -> t;
    };
  }
}
