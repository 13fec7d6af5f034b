/**
 * RFC 3161 timestamp countersignatures on Notary Project signatures. {@link
 * dev.signet.notation.timestamp.Rfc3161TimestampVerifier} reads a TimeStampToken (CMS SignedData
 * with an id-ct-TSTInfo content), checks that its message imprint is the hash of the signature's
 * raw bytes, verifies the TSA's signature and ESS signing-certificate binding, and builds the TSA
 * chain to a root of the {@code tsa:} trust store <em>at the token's genTime</em>, so a TSA
 * certificate that has since expired still vouches for the time it issued. The Notary
 * timestamping-chain rules are supplied by the caller as {@link
 * dev.signet.notation.timestamp.TsaChainRules}; comparing the timestamp with the signing chain and
 * checking TSA revocation are left to the verification workflow.
 */
package dev.signet.notation.timestamp;
