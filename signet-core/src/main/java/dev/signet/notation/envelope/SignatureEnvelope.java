package dev.signet.notation.envelope;

import dev.signet.notation.x509.CertificateChainException;
import dev.signet.notation.x509.CertificateChains;
import dev.signet.oci.MediaTypes;

/**
 * The integrity step for either envelope format: parse and verify it (each format also checks the
 * payload, signing time and expiry rules of checklist §3.8), then the certificate chain rules of
 * the signature specification.
 */
public final class SignatureEnvelope {
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
    try {
      CertificateChains.validateCodeSigning(content.certificateChain());
    } catch (CertificateChainException e) {
      throw new EnvelopeException("certificate-chain is invalid, " + e.getMessage(), e);
    }
    return content;
  }
}
