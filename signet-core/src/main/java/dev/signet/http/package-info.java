/**
 * The one way Signet talks HTTP: {@link dev.signet.http.HttpPipeline} and its concerns.
 *
 * <p>Every remote client sends through a pipeline: the OCI registry client
 * ({@code oci.registry.RegistryClient}), OCSP and CRL fetches ({@code notation.revocation}), the
 * cloud identity and Key Vault clients and Rekor ({@code cloud.CloudHttp}), and remote JSON schemas
 * ({@code schema.SchemaSource.Remote}). A request passes, outermost first:
 *
 * <ul>
 *   <li>{@link dev.signet.http.Retry}: repeatable requests again after an I/O failure, 429 or 5xx
 *       (not 501/505), waiting {@code Retry-After} or a jittered backoff, never past the deadline;
 *   <li>{@link dev.signet.http.Redirects}: followed only when the request asks, to allowed schemes,
 *       never from HTTPS down to HTTP, a bounded number of times;
 *   <li>{@link dev.signet.http.Authentication}: credentials only to their own origin, dropped for
 *       and after a redirect elsewhere; one answer to a 401 challenge;
 *   <li>limits: a {@link dev.signet.http.Gate} (slots, throttling pauses), then each exchange within
 *       the smaller of its timeout and the time left before the caller's
 *       {@link dev.signet.deadline.Deadline};
 *   <li>{@link dev.signet.http.BoundedBody}: a body past its limit fails (an error body is cut);
 *   <li>scrubbing: {@link dev.signet.http.HttpPipeline#scrub} removes the credentials sent, and
 *       anything shaped like one ({@link dev.signet.http.Scrubber}), from text a server sent back.
 * </ul>
 *
 * <p>{@link dev.signet.http.TokenCache} is the bounded, expiring token store authentication uses.
 */
package dev.signet.http;
