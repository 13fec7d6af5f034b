package dev.signet.notation.envelope;

import dev.signet.notation.x509.CertificateChainException;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.oci.MediaTypes;

/**
 * The integrity step for either envelope format: parse, verify the signature, then the checks that
 * do not depend on the format (checklist §3.8): payload and signing time present, expiry after
 * signing time, and the certificate chain rules of the signature specification.
 */
public final class SignatureEnvelope {
  /** The payload content type every Notary signature carries. */
  public static final String PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";

  private SignatureEnvelope() {}

  /**
   * Parses and verifies an envelope of the given media type.
   *
   * @throws EnvelopeException when the envelope fails any integrity rule
   */
  public static EnvelopeContent verify(String mediaType, byte[] envelope) throws EnvelopeException {
    EnvelopeContent content =
        switch (mediaType == null ? "" : mediaType) {
          case MediaTypes.JWS_ENVELOPE -> JwsEnvelope.verify(envelope);
          case MediaTypes.COSE_ENVELOPE -> CoseEnvelope.verify(envelope);
          default -> throw new EnvelopeException(
              "signature envelope format with media type \""
                  + mediaType
                  + "\" is not supported (expected "
                  + MediaTypes.JWS_ENVELOPE
                  + " or "
                  + MediaTypes.COSE_ENVELOPE
                  + ")");
        };
    if (!PAYLOAD_CONTENT_TYPE.equals(content.payloadContentType())) {
      throw new EnvelopeException(
          "payload content type \"" + content.payloadContentType() + "\" not supported");
    }
    if (content.payload().length == 0) {
      throw new EnvelopeException("envelope payload can't be empty");
    }
    if (content.signature().length == 0) {
      throw new EnvelopeException("signature missing in the envelope");
    }
    if (content.effectiveSigningTime() == null) {
      throw new EnvelopeException("signing-time not present");
    }
    if (content.expiry() != null && !content.expiry().isAfter(content.effectiveSigningTime())) {
      throw new EnvelopeException("expiry cannot be equal or before the signing time");
    }
    try {
      CertificateChains.validateCodeSigning(content.certificateChain());
    } catch (CertificateChainException e) {
      throw new EnvelopeException("certificate-chain is invalid, " + e.getMessage(), e);
    }
    return content;
  }
}
