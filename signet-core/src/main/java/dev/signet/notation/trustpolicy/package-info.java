/**
 * Notary Project trust policies for OCI artifacts (specifications {@code
 * trust-store-trust-policy.md}; checklist §7): reading and validating {@code trustpolicy.oci.json}
 * ({@link dev.signet.notation.trustpolicy.TrustPolicyDocument}), selecting the statement for an
 * artifact, the effective action of each validation ({@link
 * dev.signet.notation.trustpolicy.SignatureVerification#action}), and the trusted identity check
 * ({@link dev.signet.notation.trustpolicy.TrustedIdentities}).
 *
 * <p>Deliberate differences from notation-go, all stricter:
 *
 * <ul>
 *   <li>JSON keys are case-sensitive and unknown keys are errors naming the key; values of the
 *       wrong JSON type are errors (Go matches keys case-insensitively, ignores unknown keys).
 *   <li>Every rule is checked when the document is read, including store formats, which notation
 *       checks again only at verification time.
 *   <li>In a DN, a repeated attribute type is an error even when the earlier value is empty, and a
 *       hex escape must decode to valid UTF-8; an identity attribute with an empty value does not
 *       match a leaf that lacks the attribute.
 *   <li>At most 1000 {@code x509.subject} identities per statement (the overlap check is pairwise).
 * </ul>
 *
 * <p>Kept as notation does it, although the specification says otherwise: the {@code skip} level on
 * the global {@code *} scope is accepted (notation's own e2e {@code skip_trustpolicy.json} does
 * this). Blob trust policies ({@code trustpolicy.blob.json}) are not read by this package.
 */
package dev.signet.notation.trustpolicy;
