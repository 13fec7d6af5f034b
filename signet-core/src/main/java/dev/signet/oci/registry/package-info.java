/**
 * Reading subjects, referrers, manifests and blobs from OCI registries (OCI Distribution
 * Specification v1.1), for Ratify's {@code oras} store.
 *
 * <p>{@link dev.signet.oci.registry.RegistryStore} is the {@link dev.signet.oci.ReferrerStore};
 * {@link dev.signet.oci.registry.RegistryClient} is the OCI API on the shared
 * {@link dev.signet.http.HttpPipeline} (retries, redirects, limits, bounded bodies, scrubbing),
 * with {@code ReferrerListing} for referrers, {@code RegistryAuthentication} (challenges and the
 * token cache) as its authentication and {@code HostGate} (connection slots and throttling pauses
 * per host) as its gate. Design points:
 *
 * <ul>
 *   <li>Every manifest and blob returned matched its digest and size. A reference is resolved with
 *       a {@code HEAD} when its headers make a complete descriptor ({@code Docker-Content-Digest},
 *       {@code Content-Length}, a manifest {@code Content-Type}); else, and for a 404 or another
 *       error whose code is in the body, with a GET whose digest comes from the bytes (and {@code
 *       Docker-Content-Digest} must agree). A body is fetched only when needed and checked then.
 *       Manifests are limited to 4 MiB and blobs to 32 MiB by default; bodies are read with a
 *       bound and a declared {@code Content-Length} above the bound is refused before reading.
 *   <li>Referrers: the referrers API with {@code artifactType}, every {@code Link} page (same
 *       origin only), filtered here as well even when the registry says {@code
 *       OCI-Filters-Applied}; on a 404 without {@code NAME_UNKNOWN} (or a non-index answer) the
 *       referrers tag schema {@code <alg>-<hex>}; cosign's {@code <alg>-<hex>.sig} when enabled. A
 *       401/403/5xx on the fallback tag is an error, never "no referrers". While a client has not
 *       learnt which of the two a registry has, both are asked at once (either failing fails the
 *       listing); what it learns is kept per registry for 10 minutes (at most 1024 registries).
 *   <li>Identical resolutions and token requests in flight at the same time share one exchange.
 *   <li>Auth: RFC 7235 challenge parsing; Basic, Bearer (token GET with Basic credentials, or the
 *       OAuth2 refresh-token POST for identity tokens); tokens cached per registry and scope until
 *       shortly before {@code expires_in}; a learned scheme is used pre-emptively on later requests.
 *       Credentials go only to the registry's origin (not to redirect targets elsewhere) and to an
 *       HTTPS token realm (HTTP only when the registry itself is plain HTTP).
 *   <li>Transport: one pipeline (one {@link java.net.http.HttpClient}) per client (HTTP/2 over TLS, HTTP/1.1 on
 *       plain HTTP); plain HTTP for {@code useHttp} and, as in Ratify, for loopback hosts unless
 *       {@code plainHttpLoopback} is false; JVM trust anchors plus an optional CA bundle.
 *   <li>Retries on 429, 5xx (not 501/505) and I/O errors: exponential backoff from 200 ms, capped
 *       at 2 s, with jitter; {@code Retry-After} (seconds or HTTP date) wins; a wait that would pass
 *       the caller's deadline ends the call at once. After a 429 every request to that host waits
 *       for the pause (at most a minute), or fails at once when the pause would pass its deadline.
 *       Requests in flight per host are bounded; free slots go to the earliest deadline first.
 *   <li>An in-memory, byte-bounded LRU of verified content by digest: a manifest or blob is fetched
 *       once per client while hot. Tags and referrer lists are never cached.
 * </ul>
 *
 * <p>Requests for one cold verification (resolve, list referrers, signature manifest, envelope):
 * 7 with token auth on a registry not yet learnt (401 challenge + token + HEAD + referrers API and
 * tag index at once + 2), 6 once the store knows it has the referrers API; 6 against distribution
 * 2.8.2 with basic auth (401 challenge + HEAD, referrers 404 and tag index at once, manifest, blob).
 * A warm repeat by digest costs a HEAD and the referrer listing.
 */
package dev.signet.oci.registry;
