/**
 * Certificate revocation checking for Notary Project signatures (checklist §10; results used per
 * §8.6(i) and §8.7).
 *
 * <p>{@link dev.signet.notation.revocation.OnlineRevocationChecker} asks OCSP first, falls back to
 * CRLs (with delta CRLs from the base CRL's FreshestCRL) and reports one {@link
 * dev.signet.notation.revocation.CertificateStatus} per certificate; {@link
 * dev.signet.notation.revocation.RevocationOutcome#summarize} turns those into notation's pass /
 * "is revoked" / "revocation status is unknown" result.
 *
 * <p>Where we are stricter than notation (spec side, RFC 6960 / RFC 5280):
 *
 * <ul>
 *   <li>A delegated OCSP responder certificate must carry the id-kp-OCSPSigning EKU and be valid
 *       now (x/crypto/ocsp checks neither), and must be identified by the response's responder ID.
 *   <li>Unknown critical response-level OCSP extensions are rejected (the nonce is accepted but not
 *       required); thisUpdate more than 5 minutes in the future is rejected (OCSP and CRL).
 *   <li>The CRL issuer name must equal the certificate's issuer (indirect CRLs are not supported).
 *   <li>The IssuingDistributionPoint is accepted, but a CRL whose scope excludes the certificate
 *       (user-only vs CA-only, attribute-only), a partial (onlySomeReasons) or an indirect CRL
 *       gives unknown rather than a false "not revoked".
 *   <li>Redirects are followed only to http URLs (at most 3).
 * </ul>
 *
 * <p>The chain is not re-validated here: the interface receives a chain that already passed the
 * certificate rules. {@link dev.signet.notation.x509.Purpose} does not change the revocation
 * rules themselves.
 */
package dev.signet.notation.revocation;
