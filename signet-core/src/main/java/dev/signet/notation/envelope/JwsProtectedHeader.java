package dev.signet.notation.envelope;

import static dev.signet.notation.envelope.NotaryHeaders.AUTHENTIC_SIGNING_TIME;
import static dev.signet.notation.envelope.NotaryHeaders.EXPIRY;
import static dev.signet.notation.envelope.NotaryHeaders.SIGNING_SCHEME;
import static dev.signet.notation.envelope.NotaryHeaders.SIGNING_TIME;

// Notary Project signature-envelope-jws.md "Protected Headers" and signature-specification.md
// "Signing Scheme"; RFC 7515 §4.1.11 for crit (no duplicates, only names present in the header).

import static dev.signet.notation.envelope.JwsEnvelope.typeOf;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Decodes and rule-checks a JWS protected header. */
final class JwsProtectedHeader {

  static final String PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";
  static final String ALG = "alg";
  static final String CTY = "cty";
  static final String CRIT = "crit";

  private static final List<String> DEFINED =
      List.of(ALG, CTY, CRIT, SIGNING_SCHEME, SIGNING_TIME, AUTHENTIC_SIGNING_TIME, EXPIRY);

  // RFC 3339 date-time as Go's time.RFC3339 parses it: upper-case T and Z, optional fraction.
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

  private JwsProtectedHeader() {}

  static SignedAttributes parse(JsonNode header) throws EnvelopeException {
    if (header.size() > JwsEnvelope.MAX_HEADER_ENTRIES) {
      throw new EnvelopeException(
          "JWS protected header has "
              + header.size()
              + " entries, more than the limit of "
              + JwsEnvelope.MAX_HEADER_ENTRIES);
    }
    // Go matched these names case-insensitively; a near-miss spelling is ambiguous, so reject it
    // instead of treating it as an extended attribute.
    for (String key : header.propertyNames()) {
      for (String defined : DEFINED) {
        if (!key.equals(defined) && key.equalsIgnoreCase(defined)) {
          throw new EnvelopeException(
              "protected header key \""
                  + key
                  + "\" differs from \""
                  + defined
                  + "\" only in case; header names are case-sensitive");
        }
      }
    }

    SignatureAlgorithm algorithm = algorithm(header.get(ALG));

    JsonNode cty = header.get(CTY);
    if (cty == null || !cty.isString() || !cty.asString().equals(PAYLOAD_CONTENT_TYPE)) {
      String shown = cty == null ? "" : cty.isString() ? cty.asString() : cty.toString();
      throw new EnvelopeException(
          "payload content type \""
              + shown
              + "\" not supported (\"cty\" must be \""
              + PAYLOAD_CONTENT_TYPE
              + "\")");
    }

    JsonNode schemeNode = header.get(SIGNING_SCHEME);
    if (schemeNode == null) {
      throw new EnvelopeException(
          "unsupported SigningScheme: `` (the \"" + SIGNING_SCHEME + "\" header is missing)");
    }
    if (!schemeNode.isString()) {
      throw new EnvelopeException(
          "\"" + SIGNING_SCHEME + "\" header must be a string, found " + typeOf(schemeNode));
    }
    SigningScheme scheme = SigningScheme.fromValue(schemeNode.asString());
    if (scheme == null) {
      throw new EnvelopeException(
          "unsupported SigningScheme: `"
              + schemeNode.asString()
              + "` (expected notary.x509 or notary.x509.signingAuthority)");
    }

    Instant signingTime = time(header, SIGNING_TIME);
    Instant authenticSigningTime = time(header, AUTHENTIC_SIGNING_TIME);
    Instant expiry = time(header, EXPIRY);
    // Both times are parsed above, so a header that is present holds a time.
    scheme.refuseOtherTime(name -> header.get(name) != null);
    Instant effectiveTime = scheme == SigningScheme.X509 ? signingTime : authenticSigningTime;
    if (effectiveTime == null) {
      throw new EnvelopeException(
          scheme == SigningScheme.X509
              ? "signing-time not present: the \""
                  + SIGNING_TIME
                  + "\" header is required for notary.x509 signing scheme"
              : "\""
                  + AUTHENTIC_SIGNING_TIME
                  + "\" header must be present for notary.x509.signingAuthority signing scheme");
    }
    if (expiry != null && !expiry.isAfter(effectiveTime)) {
      throw new EnvelopeException(
          "expiry cannot be equal or before the signing time (expiry "
              + expiry
              + ", signing time "
              + effectiveTime
              + ")");
    }

    Set<String> critical = crit(header, scheme, expiry != null);
    List<ExtendedAttribute> extended = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : header.properties()) {
      if (!DEFINED.contains(e.getKey())) {
        extended.add(
            new ExtendedAttribute(e.getKey(), value(e.getValue()), critical.contains(e.getKey())));
      }
    }
    return new SignedAttributes(
        algorithm,
        PAYLOAD_CONTENT_TYPE,
        scheme,
        signingTime,
        authenticSigningTime,
        expiry,
        extended);
  }

  private static SignatureAlgorithm algorithm(JsonNode alg) throws EnvelopeException {
    if (alg == null) {
      throw new EnvelopeException(
          "protected header is missing \"alg\" (signing method is unspecified)");
    }
    if (!alg.isString()) {
      throw new EnvelopeException(
          "protected header \"alg\" must be a string, found " + typeOf(alg));
    }
    for (SignatureAlgorithm a : SignatureAlgorithm.values()) {
      if (a.jwsName().equals(alg.asString())) {
        return a;
      }
    }
    throw new EnvelopeException(
        "signature algorithm \""
            + alg.asString()
            + "\" is not supported (allowed: PS256, PS384, PS512, ES256, ES384, ES512)");
  }

  /** The crit rules; returns the extended attributes marked critical. */
  private static Set<String> crit(JsonNode header, SigningScheme scheme, boolean hasExpiry)
      throws EnvelopeException {
    JsonNode crit = header.get(CRIT);
    if (crit == null || (crit.isArray() && crit.isEmpty())) {
      throw new EnvelopeException("missing \"crit\" header");
    }
    if (!crit.isArray()) {
      throw new EnvelopeException(
          "\"crit\" header must be an array of strings, found " + typeOf(crit));
    }
    Set<String> required = new LinkedHashSet<>();
    required.add(SIGNING_SCHEME);
    if (hasExpiry) {
      required.add(EXPIRY);
    }
    if (scheme == SigningScheme.X509_SIGNING_AUTHORITY) {
      required.add(AUTHENTIC_SIGNING_TIME);
    }
    Set<String> seen = new LinkedHashSet<>();
    Set<String> criticalExtended = new LinkedHashSet<>();
    for (JsonNode entry : crit) {
      if (!entry.isString()) {
        throw new EnvelopeException(
            "\"crit\" header must be an array of strings, found an entry of type " + typeOf(entry));
      }
      String key = entry.asString();
      if (!seen.add(key)) {
        throw new EnvelopeException(
            "\"" + key + "\" is listed more than once in the \"crit\" header");
      }
      if (required.remove(key)) {
        continue;
      }
      // Anything else must be an extended attribute that is present: alg, cty, crit and the
      // signing time are defined by JWS or Notary and are never listed.
      if (DEFINED.contains(key) || !header.has(key)) {
        throw new EnvelopeException("\"" + key + "\" header is marked critical but not present");
      }
      criticalExtended.add(key);
    }
    if (!required.isEmpty()) {
      throw new EnvelopeException(
          "these required headers are not marked as critical: ["
              + String.join(" ", required)
              + "]");
    }
    return criticalExtended;
  }

  private static Instant time(JsonNode header, String key) throws EnvelopeException {
    JsonNode node = header.get(key);
    if (node == null) {
      return null;
    }
    if (!node.isString()) {
      throw new EnvelopeException(
          "\"" + key + "\" header must be an RFC 3339 date-time string, found " + typeOf(node));
    }
    String text = node.asString();
    if (RFC_3339.matcher(text).matches()) {
      try {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new EnvelopeException(
        "\"" + key + "\" header \"" + text + "\" is not an RFC 3339 date-time");
  }

  /** Converts a JSON value to String, Long, BigInteger, BigDecimal, Boolean, List, Map or null. */
  private static Object value(JsonNode node) {
    if (node.isString()) {
      return node.asString();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode item : node) {
        list.add(value(item));
      }
      return Collections.unmodifiableList(list);
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        map.put(e.getKey(), value(e.getValue()));
      }
      return Collections.unmodifiableMap(map);
    }
    return null;
  }
}
