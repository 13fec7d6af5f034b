package dev.signet.notation.envelope;

/** The names of the Notary Project's header parameters, the same in JWS and COSE envelopes. */
final class NotaryHeaders {
  static final String SIGNING_SCHEME = "io.cncf.notary.signingScheme";
  static final String SIGNING_TIME = "io.cncf.notary.signingTime";
  static final String AUTHENTIC_SIGNING_TIME = "io.cncf.notary.authenticSigningTime";
  static final String EXPIRY = "io.cncf.notary.expiry";
  static final String TIMESTAMP_SIGNATURE = "io.cncf.notary.timestampSignature";
  static final String SIGNING_AGENT = "io.cncf.notary.signingAgent";

  private NotaryHeaders() {}
}
