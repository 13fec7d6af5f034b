package dev.signet.oci.registry;

// OCI Distribution Specification v1.1 (pull, referrers API and the referrers tag schema fallback,
// section "Listing Referrers" and "Unavailable Referrers API"); Docker registry token
// authentication (token and OAuth2 refresh-token grant); RFC 7235 / RFC 6750 for challenges.

import dev.signet.deadline.Deadline;
import dev.signet.deadline.DeadlineExceededException;
import dev.signet.http.BoundedBody;
import dev.signet.http.HttpException;
import dev.signet.http.HttpPipeline;
import dev.signet.http.Redirects;
import dev.signet.http.Retry;
import dev.signet.json.JsonFormatException;
import dev.signet.json.StrictJson;
import dev.signet.oci.ContentMismatchException;
import dev.signet.oci.Descriptor;
import dev.signet.oci.MediaTypes;
import dev.signet.oci.StoreException;
import dev.signet.reference.Digest;
import dev.signet.reference.Reference;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;

/**
 * A thin OCI registry client on {@link HttpClient}. Every manifest and blob it returns matched its
 * digest and size; every wait is bounded by the caller's {@link Deadline}. One instance shares one
 * HTTP client (connection reuse), one token cache and one content cache; nothing is static.
 */
public final class RegistryClient implements AutoCloseable {


  static final List<String> MANIFEST_MEDIA_TYPES =
      List.of(
          MediaTypes.OCI_MANIFEST,
          MediaTypes.OCI_INDEX,
          MediaTypes.DOCKER_MANIFEST,
          MediaTypes.DOCKER_MANIFEST_LIST,
          MediaTypes.OCI_ARTIFACT_MANIFEST);

  static final String MANIFEST_ACCEPT = String.join(", ", MANIFEST_MEDIA_TYPES);

  /** A manifest fetched and checked. */
  record FetchedManifest(byte[] bytes, String mediaType, Digest digest) {
    Descriptor descriptor() {
      return new Descriptor(mediaType, digest, bytes.length);
    }
  }

  private final RegistryOptions options;
  private final CredentialProvider credentials;
  private final HttpPipeline pipeline;
  private final RegistryAuthentication authentication;
  private final ContentCache cache;
  private final SingleFlight<Descriptor> resolutions = new SingleFlight<>();
  private final ReferrerListing referrers;

  RegistryClient(
      RegistryOptions options,
      CredentialProvider credentials,
      Clock clock,
      Retry.Sleeper sleeper,
      RandomGenerator random)
      throws StoreException {
    this.options = options;
    this.credentials = credentials;
    this.cache = new ContentCache(options.cacheMaxBytes());
    this.authentication = new RegistryAuthentication(credentials, clock);
    this.referrers = new ReferrerListing(this, options,
        new ReferrersSupport(clock, ReferrersSupport.LIFETIME, ReferrersSupport.MAX_REGISTRIES));
    this.pipeline =
        HttpPipeline.builder(clock)
            .ssl(TrustMaterial.sslContext(options.caFile()))
            .requestTimeout(options.requestTimeout())
            .retry(new Retry(options.maxRetries(), clock, sleeper, random))
            .redirects(Redirects.WEB)
            .gate(new HostGate(clock, sleeper, options.maxConcurrentRequests(), options.requestTimeout()))
            .build();
  }

  /** A client; {@code clock} drives token expiry and {@code Retry-After} dates. */
  public static RegistryClient create(
      RegistryOptions options, CredentialProvider credentials, Clock clock) throws StoreException {
    return new RegistryClient(
        options, credentials, clock, Thread::sleep,
        // Jitter from the calling thread's generator: RandomGenerator instances are not thread-safe.
        () -> ThreadLocalRandom.current().nextLong());
  }

  /** The identity the credential provider presents, for {@code --verbose}. */
  public String identity() {
    return credentials.describe();
  }

  /** HTTP exchanges sent so far (token requests, redirects and retries included). */
  public long requestCount() {
    return pipeline.exchanges();
  }

  public RegistryOptions options() {
    return options;
  }

  @Override
  public void close() {
    pipeline.close();
  }

  /** {@code text} without the credentials this client sent or anything shaped like one. */
  String scrub(String text) {
    return pipeline.scrub(text);
  }

  // ---------------------------------------------------------------- public operations

  /** API version check ({@code GET /v2/}), authenticating if the registry asks to. */
  public void ping(String registry, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    URI uri = URI.create(base(registry) + "/v2/");
    HttpPipeline.Response r =
        send(HttpPipeline.Request.get("API check of " + registry, uri), registry, null, deadline);
    if (r.status() != 200) {
      throw ErrorResponse.failure(r, "API check of " + registry, registry);
    }
  }

  /**
   * Resolves a reference to its manifest descriptor with a {@code HEAD} when the registry's headers
   * make a complete descriptor ({@code Docker-Content-Digest}, {@code Content-Length} and a manifest
   * {@code Content-Type}), else with a GET whose digest is computed from the bytes. The body is not
   * fetched here; {@link #fetchManifest} checks it against this digest and size when it is needed.
   * A digest reference in the content cache costs no request. Identical resolutions in flight at
   * the same time share one exchange.
   */
  public Descriptor resolve(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    if (reference.digest() != null) {
      ContentCache.Entry hit = cache.get(reference.digest());
      if (hit != null && hit.mediaType() != null) {
        return new Descriptor(hit.mediaType(), reference.digest(), hit.bytes().length);
      }
    }
    return resolutions.run(reference.toString(), deadline, "manifest " + reference,
        () -> resolveAtRegistry(reference, deadline));
  }

  private Descriptor resolveAtRegistry(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String ref = manifestReference(reference);
    String what = "manifest " + reference;
    HttpPipeline.Response r = send(HttpPipeline.Request.of(what, "HEAD", manifestUri(reference, ref))
        .header("Accept", MANIFEST_ACCEPT), reference.registry(), pullScope(reference), deadline);
    Descriptor headed = r.status() == 200 ? headDescriptor(r, reference, what) : null;
    if (headed != null) {
      return headed;
    }
    if (r.status() == 429 || r.status() >= 500) {
      throw ErrorResponse.failure(r, what, reference.registry()); // retried already; a GET would add to the load
    }
    // Incomplete headers, or an error whose code and message are in a body a HEAD does not carry
    // (MANIFEST_UNKNOWN or NAME_UNKNOWN, DENIED, ...): asked again with GET.
    return getManifest(reference, ref, reference.digest(), -1, MANIFEST_ACCEPT, what, deadline)
        .descriptor();
  }

  /**
   * The descriptor in the headers of a successful {@code HEAD}; null when they do not make a
   * complete one (no digest for a tag, no size, or no manifest media type).
   */
  private Descriptor headDescriptor(HttpPipeline.Response r, Reference reference, String what)
      throws StoreException {
    String digestText = r.headers().firstValue("docker-content-digest").orElse(null);
    Digest digest = reference.digest();
    if (digestText != null) {
      Digest header = parseDigestHeader(digestText, what);
      if (digest != null && !digest.equals(header)) {
        throw new StoreException(what + ": the registry answered for " + header);
      }
      digest = header;
    }
    long size = r.headers().firstValueAsLong("content-length").orElse(-1);
    if (size > options.maxManifestBytes()) {
      throw new StoreException(what + " is " + size
          + " bytes, larger than the manifest limit of " + options.maxManifestBytes() + " bytes");
    }
    String mediaType = contentType(r.headers());
    if (digest == null || size <= 0 || !MANIFEST_MEDIA_TYPES.contains(mediaType)) {
      return null;
    }
    return new Descriptor(mediaType, digest, size);
  }

  private static String manifestReference(Reference reference) {
    if (reference.digest() != null) {
      return reference.digest().toString();
    }
    return reference.tag() == null ? "latest" : reference.tag();
  }

  /**
   * Checks that a manifest exists with {@code HEAD}; the descriptor comes from response headers and
   * is not content-verified (use {@link #fetchManifest} for that). Empty when the registry says 404.
   */
  public Optional<Descriptor> headManifest(Reference reference, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = "manifest " + reference;
    HttpPipeline.Response r = send(
        HttpPipeline.Request.of(what, "HEAD", manifestUri(reference, manifestReference(reference)))
            .header("Accept", MANIFEST_ACCEPT), reference.registry(), pullScope(reference), deadline);
    if (r.status() == 404) {
      return Optional.empty();
    }
    if (r.status() != 200) {
      throw ErrorResponse.failure(r, what, reference.registry());
    }
    Descriptor d = headDescriptor(r, reference, what);
    if (d == null) {
      throw new StoreException(what + ": the registry's headers do not name its digest, size and"
          + " manifest media type; resolve it with GET");
    }
    return Optional.of(d);
  }

  /** Fetches a manifest (or index) by descriptor, checked against its digest and size. */
  public byte[] fetchManifest(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return content(repository, descriptor, "manifest", options.maxManifestBytes(),
        what -> getManifest(repository, descriptor.digest().toString(), descriptor.digest(),
            descriptor.size(), MANIFEST_ACCEPT, what, deadline).bytes());
  }

  /** Fetches a blob by descriptor, following redirects, checked against its digest and size. */
  public byte[] fetchBlob(Reference repository, Descriptor descriptor, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return content(repository, descriptor, "blob", options.maxBlobBytes(), what -> {
      URI uri = URI.create(repoBase(repository) + "/blobs/" + descriptor.digest());
      HttpPipeline.Response r = send(HttpPipeline.Request.get(what, uri)
          .maxBody((int) descriptor.size()).followingRedirects(), repository.registry(),
          pullScope(repository), deadline);
      if (r.status() != 200) {
        throw ErrorResponse.failure(r, what, repository.registry());
      }
      checkContent(descriptor, r.body(), what);
      cache.put(descriptor.digest(), r.body(), null);
      return r.body();
    });
  }

  /** Fetches checked content named in messages as {@code what}. */
  @FunctionalInterface
  private interface Fetch {
    byte[] from(String what) throws StoreException, DeadlineExceededException;
  }

  /**
   * The content of {@code descriptor} (a copy), from the content cache or else fetched; refused
   * when the descriptor is past the {@code kind}'s limit.
   */
  private byte[] content(
      Reference repository, Descriptor descriptor, String kind, long limit, Fetch fetch)
      throws StoreException, DeadlineExceededException {
    String what = kind + " " + descriptor.digest() + " of " + repository.qualifiedName();
    if (descriptor.size() > limit) {
      throw new StoreException(what + " is " + descriptor.size() + " bytes, larger than the "
          + kind + " limit of " + limit + " bytes");
    }
    ContentCache.Entry hit = cache.get(descriptor.digest());
    if (hit == null) {
      return fetch.from(what).clone();
    }
    if (hit.bytes().length != descriptor.size()) {
      throw mismatch(what + " is " + hit.bytes().length + " bytes, its descriptor says "
          + descriptor.size());
    }
    return hit.bytes().clone();
  }

  /**
   * The manifests whose subject is {@code subject}: the referrers API (all pages, filtered by
   * {@code artifactType} on the server or here), else the referrers tag schema, plus the cosign
   * {@code .sig} tag when enabled. Duplicates (same digest) are listed once.
   */
  public List<Descriptor> referrers(
      Reference repository, Descriptor subject, String artifactType, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    return referrers.list(repository, subject, artifactType, deadline);
  }

  /** {@code <alg>-<hex, at most 64 characters>} plus a suffix, per the referrers tag schema. */
  static String tagFor(Digest digest, String suffix) {
    String hex = digest.hex().length() > 64 ? digest.hex().substring(0, 64) : digest.hex();
    return digest.algorithm() + "-" + hex + suffix;
  }

  // ---------------------------------------------------------------- manifests and content checks

  FetchedManifest getManifest(
      Reference repository,
      String reference,
      Digest expected,
      long expectedSize,
      String accept,
      String what,
      Deadline deadline)
      throws StoreException, DeadlineExceededException {
    int limit = expectedSize >= 0 ? (int) expectedSize : options.maxManifestBytes();
    HttpPipeline.Response r = send(HttpPipeline.Request.get(what, manifestUri(repository, reference))
        .header("Accept", accept).maxBody(limit), repository.registry(), pullScope(repository),
        deadline);
    if (r.status() != 200) {
      throw ErrorResponse.failure(r, what, repository.registry());
    }
    byte[] body = r.body();
    String headerText = r.headers().firstValue("docker-content-digest").orElse(null);
    Digest digest;
    if (expected != null) {
      if (expectedSize >= 0) {
        checkContent(new Descriptor(null, expected, expectedSize), body, what);
      } else if (!expected.matches(body)) {
        throw mismatch(what + ": the registry sent content that does not match " + expected);
      }
      digest = expected;
    } else if (headerText != null) {
      digest = parseDigestHeader(headerText, what);
      if (!digest.matches(body)) {
        throw mismatch(what + ": the registry's Docker-Content-Digest " + digest
            + " does not match the manifest it sent");
      }
    } else {
      digest = Digest.sha256(body);
    }
    String mediaType = manifestMediaType(r.headers(), body, what);
    cache.put(digest, body, mediaType);
    return new FetchedManifest(body, mediaType, digest);
  }

  /** Content-Type when it names a manifest type, else the document's own mediaType. */
  private static String manifestMediaType(HttpHeaders headers, byte[] body, String what)
      throws StoreException {
    String declared = contentType(headers);
    if (declared != null && MANIFEST_MEDIA_TYPES.contains(declared)) {
      return declared;
    }
    try {
      JsonNode root = StrictJson.parseObject(body, body.length + 1, what);
      JsonNode mt = root.get("mediaType");
      if (mt != null && mt.isString() && MANIFEST_MEDIA_TYPES.contains(mt.asString())) {
        return mt.asString();
      }
    } catch (JsonFormatException e) {
      throw new StoreException(e.getMessage(), e);
    }
    throw new StoreException(what + ": unsupported manifest media type "
        + (declared == null ? "(none)" : "\"" + declared + "\""));
  }

  private static void checkContent(Descriptor descriptor, byte[] body, String what)
      throws StoreException {
    try {
      descriptor.verifyContent(body);
    } catch (ContentMismatchException e) {
      throw new StoreException(what + ": " + e.getMessage(), e);
    }
  }

  private static StoreException mismatch(String message) {
    return new StoreException(message, new ContentMismatchException(message));
  }

  private static Digest parseDigestHeader(String text, String what) throws StoreException {
    try {
      return Digest.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new StoreException(what + ": invalid Docker-Content-Digest header: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- sending

  /** Sends {@code request} to {@code registry} with the client's credentials for {@code scope}. */
  HttpPipeline.Response send(
      HttpPipeline.Request request, String registry, String scope, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    URI origin = URI.create(base(registry));
    return send(pipeline,
        request.authenticatedBy(authentication.forScope(registry, origin, scope, pipeline)),
        deadline);
  }

  /**
   * Sends through {@code pipeline}, saying in the registry's terms what is not an answer: a body
   * past its limit is content that does not match, a retry the deadline cannot wait for ends the
   * call, a failed authentication is its own exception.
   */
  static HttpPipeline.Response send(
      HttpPipeline pipeline, HttpPipeline.Request request, Deadline deadline)
      throws StoreException, DeadlineExceededException {
    String what = request.what();
    HttpPipeline.Response r;
    try {
      r = pipeline.send(request, deadline);
    } catch (HttpException e) {
      if (e.getCause() instanceof StoreException own) {
        throw own;
      }
      if (e.getCause() instanceof BoundedBody.TooLarge tooLarge) {
        throw mismatch(what + ": the registry sent more than " + tooLarge.limit()
            + " bytes (the expected size or the configured limit)");
      }
      if (e.refusedRetry() != null) {
        throw new DeadlineExceededException(what + " (" + e.getMessage() + "; the next retry in "
            + e.refusedRetry().toMillis() + " ms would pass the deadline)");
      }
      throw new StoreException(what + ": " + e.getMessage(), e.getCause());
    }
    if (r.refusedRetry() != null) {
      throw new DeadlineExceededException(what + " (HTTP " + r.status() + "; the next retry in "
          + r.refusedRetry().toMillis() + " ms would pass the deadline)");
    }
    return r;
  }

  static String pullScope(Reference repository) {
    return "repository:" + repository.repository() + ":pull";
  }

  static String contentType(HttpHeaders headers) {
    return headers.firstValue("content-type")
        .map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
        .filter(v -> !v.isEmpty())
        .orElse(null);
  }

  URI manifestUri(Reference repository, String reference) {
    return URI.create(repoBase(repository) + "/manifests/" + reference);
  }

  String repoBase(Reference repository) {
    return base(repository.registry()) + "/v2/" + repository.repository();
  }

  /** {@code scheme://host[:port]} of a registry; Docker Hub's API lives at registry-1. */
  String base(String registry) {
    String host = registry.equals(Reference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
    boolean plain = options.useHttp() || (options.plainHttpLoopback() && isLoopback(registry));
    return (plain ? "http://" : "https://") + host;
  }

  /** localhost, 127.0.0.0/8 and ::1, with or without a port (Ratify's plain-HTTP hosts). */
  static boolean isLoopback(String registry) {
    String host = registry;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(1, end) : host;
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        host = host.substring(0, colon);
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    return host.matches("127\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){2}");
  }
}
