package dev.signet.notation.envelope;

import java.time.Instant;
import java.util.List;

/**
 * The Notary attributes an envelope's protected header signs, as the JWS and the COSE parser each
 * decode them (see {@link EnvelopeContent} for their meaning).
 */
record SignedAttributes(
    SignatureAlgorithm algorithm,
    String contentType,
    SigningScheme signingScheme,
    Instant signingTime,
    Instant authenticSigningTime,
    Instant expiry,
    List<ExtendedAttribute> extendedAttributes) {

  SignedAttributes {
    extendedAttributes = List.copyOf(extendedAttributes);
  }
}
