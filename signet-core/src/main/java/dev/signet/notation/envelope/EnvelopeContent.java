package dev.signet.notation.envelope;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What a verified envelope says, independent of its format (JWS or COSE).
 *
 * @param payload the raw payload bytes (a JSON {@code {"targetArtifact": descriptor}})
 * @param payloadContentType the content type ({@code cty} / label 3)
 * @param signingScheme the signing scheme
 * @param signingTime {@code io.cncf.notary.signingTime}; null for the signingAuthority scheme
 * @param authenticSigningTime {@code io.cncf.notary.authenticSigningTime}; null for notary.x509
 * @param expiry {@code io.cncf.notary.expiry}, or null
 * @param extendedAttributes protected attributes beyond the Notary-defined ones
 * @param certificateChain {@code x5c} / {@code x5chain}, leaf first
 * @param algorithm the signature algorithm (bound to the leaf key)
 * @param signature the raw primitive signature bytes (what a timestamp countersigns)
 * @param timestampToken {@code io.cncf.notary.timestampSignature} (DER RFC 3161 token), or null
 * @param signingAgent {@code io.cncf.notary.signingAgent}, or null
 */
public record EnvelopeContent(
    byte[] payload,
    String payloadContentType,
    SigningScheme signingScheme,
    Instant signingTime,
    Instant authenticSigningTime,
    Instant expiry,
    List<ExtendedAttribute> extendedAttributes,
    List<X509Certificate> certificateChain,
    SignatureAlgorithm algorithm,
    byte[] signature,
    byte[] timestampToken,
    String signingAgent) {

  public EnvelopeContent {
    extendedAttributes = List.copyOf(extendedAttributes);
    certificateChain = List.copyOf(certificateChain);
  }

  /** The content of an envelope: its signed attributes and what else it carries. */
  static EnvelopeContent of(
      byte[] payload,
      SignedAttributes signed,
      List<X509Certificate> certificateChain,
      byte[] signature,
      byte[] timestampToken,
      String signingAgent) {
    return new EnvelopeContent(
        payload,
        signed.contentType(),
        signed.signingScheme(),
        signed.signingTime(),
        signed.authenticSigningTime(),
        signed.expiry(),
        signed.extendedAttributes(),
        certificateChain,
        signed.algorithm(),
        signature,
        timestampToken,
        signingAgent);
  }

  /** The signing certificate. */
  public X509Certificate leaf() {
    return certificateChain.get(0);
  }

  /** The time the signature claims it was made: authentic time for SA, else signing time. */
  public Instant effectiveSigningTime() {
    return signingScheme == SigningScheme.X509_SIGNING_AUTHORITY ? authenticSigningTime : signingTime;
  }
}
